/* SPDX-License-Identifier: MIT */
/*
 * Lock handoffs under ThreadSanitizer, made deterministic.
 *
 * The stress test (stress.c) finds a missing lock only when two threads
 * happen to meet without any other synchronisation between them, which
 * its many atomics make rare.  Here each case runs two operations on two
 * threads, one strictly after the other, ordered by a relaxed flag: TSan
 * sees no happens-before in a relaxed load, so the only order between the
 * threads' plain accesses is the one the code's own locks give.  A lock
 * left out on either side is then reported on every run, whatever the
 * timing: the second thread touches what the first wrote without having
 * acquired what the first released.
 *
 * Each case names the lock it proves (docs/design.md, "Lock order") and
 * checks the results too.  The threads pass nothing to each other: what
 * one wrote, main reads once both are joined.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handoff.h"
#include "world.h"

#include <xen/errno.h>

#define DOM   1
#define OTHER 2

/** One case: setup on the main thread, then first, then second. */
struct handoff {
	const char *name;
	void (*setup)(struct world *w, uint32_t *p);
	void (*first)(struct world *w, uint32_t *p);
	void (*second)(struct world *w, uint32_t *p);
};

static _Atomic unsigned wrong;
static struct pasid_record *pinned;

#define EXPECT(cond)                                                           \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "handoff: %s:%d: %s\n", __func__,      \
				__LINE__, #cond);                              \
			atomic_fetch_add(&wrong, 1);                           \
		}                                                              \
	} while (0)

struct run {
	const struct handoff *h;
	struct world *w;
	uint32_t p[4];
};

static void run_first(void *arg)
{
	struct run *r = arg;

	r->h->first(r->w, r->p);
}

static void run_second(void *arg)
{
	struct run *r = arg;

	r->h->second(r->w, r->p);
}

static uint32_t alloc_ok(struct world *w, domid_t dom)
{
	struct pasid_err err;
	uint32_t p = 0;

	EXPECT(pasid_alloc(&w->m, dom, &p, &err) == 0);
	return p;
}

static const struct pasid_bind_req *bind_req(uint32_t device)
{
	static struct pasid_bind_req req[2];
	struct pasid_bind_req *q = &req[device == WORLD_DEV2(DOM)];

	*q = (struct pasid_bind_req){.device = device,
				     .kind = PASID_ENTRY_SECOND_LEVEL,
				     .sl_root = {0x5000}};
	return q;
}

static void none(struct world *w, uint32_t *p)
{
}

static void setup_one(struct world *w, uint32_t *p)
{
	p[0] = alloc_ok(w, DOM);
}

/* set->lock: two allocations by one domain. */
static void alloc_dom(struct world *w, uint32_t *p)
{
	p[1] = alloc_ok(w, DOM);
}

static void alloc_dom_again(struct world *w, uint32_t *p)
{
	p[2] = alloc_ok(w, DOM);
}

/* pool_lock: two domains each claim a first chunk. */
static void alloc_other(struct world *w, uint32_t *p)
{
	p[2] = alloc_ok(w, OTHER);
}

/* pool_lock: a chunk released by one domain, one claimed by another. */
static void setup_two_chunks(struct world *w, uint32_t *p)
{
	struct pasid_err err;
	uint32_t got[20];

	for (unsigned i = 0; i < 20; i++)
		got[i] = alloc_ok(w, DOM);
	p[0] = got[19];
	for (unsigned i = 0; i < 19; i++)
		if (got[i] / 16 == p[0] / 16)
			EXPECT(pasid_free(&w->m, DOM, got[i], &err) == 0);
}

static void free_last_of_chunk(struct world *w, uint32_t *p)
{
	struct pasid_err err;

	EXPECT(pasid_free(&w->m, DOM, p[0], &err) == 0);
}

/* set->lock: data attached by one call, read by the next. */
static void set_data(struct world *w, uint32_t *p)
{
	struct pasid_err err;

	EXPECT(pasid_set_data(&w->m, DOM, p[0], 0xC0FFEE, &err) == 0);
}

static void get_data(struct world *w, uint32_t *p)
{
	struct pasid_err err;
	uint64_t cookie = 0;

	EXPECT(pasid_get_data(&w->m, DOM, p[0], &cookie, &err) == 0);
	EXPECT(cookie == 0xC0FFEE);
}

static void free_first(struct world *w, uint32_t *p)
{
	struct pasid_err err;

	EXPECT(pasid_free(&w->m, DOM, p[0], &err) == 0);
}

/* set->lock: a PASID's bindings. */
static void bind_dev(struct world *w, uint32_t *p)
{
	struct pasid_err err;

	EXPECT(pasid_bind(&w->m, DOM, p[0], bind_req(WORLD_DEV(DOM)), &err) ==
	       0);
}

static void bind_dev2(struct world *w, uint32_t *p)
{
	struct pasid_err err;

	EXPECT(pasid_bind(&w->m, DOM, p[0], bind_req(WORLD_DEV2(DOM)), &err) ==
	       0);
}

static void unbind_dev(struct world *w, uint32_t *p)
{
	struct pasid_err err;

	EXPECT(pasid_unbind(&w->m, DOM, p[0], WORLD_DEV(DOM), &err) == 0);
}

/* set->lock: the last in-hypervisor reference recycles a parked PASID. */
static void setup_pinned(struct world *w, uint32_t *p)
{
	struct pasid_record *r;
	struct pasid_err err;

	p[0] = alloc_ok(w, DOM);
	r = pasid_lookup_get(&w->m, p[0]);
	EXPECT(r != NULL);
	EXPECT(pasid_free(&w->m, DOM, p[0], &err) == 0);
	pinned = r;
}

static void put_pin(struct world *w, uint32_t *p)
{
	pasid_put(&w->m, p[0]);
	EXPECT(pasid_lookup(&w->m, p[0]).state == PASID_FREE);
}

static void query_dom(struct world *w, uint32_t *p)
{
	struct paddock_pasid_info info;

	EXPECT(pasid_query(&w->m, DOM, &info) == 0);
	EXPECT(info.allocated == 2);
}

/* sets_lock: a set made, then one with a range checked against it. */
static void create_pool_set(struct world *w, uint32_t *p)
{
	struct pasid_set_cfg c = {.domain = 5, .quota = 4};
	struct pasid_err err;

	EXPECT(pasid_set_create(&w->m, &c, &err) == 0);
}

static void create_range_set(struct world *w, uint32_t *p)
{
	struct pasid_set_cfg c = {
		.domain = 6, .quota = 4, .range_lo = 512, .range_hi = 527};
	struct pasid_err err;

	EXPECT(pasid_set_create(&w->m, &c, &err) == 0);
}

/* fault_lock: the ring, and the state a stop changes. */
static void report_fault(struct world *w, uint32_t *p)
{
	struct paddock_pasid_fault f = {.device = WORLD_DEV(DOM),
					.pasid = p[0]};

	EXPECT(hv_report_fault(&w->sys, &f) == DOM);
}

static void stop_dom(struct world *w, uint32_t *p)
{
	domain_stop(&w->sys, w->doms[DOM], DOMAIN_SHUTDOWN, 0, "handoff");
}

/* PASID 0 (a request without one), whose record the stop does not touch:
 * reading the tag the stop's teardown wrote would order the threads. */
static void report_after_stop(struct world *w, uint32_t *p)
{
	struct paddock_pasid_fault f = {.device = WORLD_DEV(DOM), .pasid = 0};

	EXPECT(hv_report_fault(&w->sys, &f) == PASID_DOMID_NONE);
}

static const struct handoff cases[] = {
	{"set lock: alloc, alloc", none, alloc_dom, alloc_dom_again},
	{"pool lock: claim, claim", none, alloc_dom, alloc_other},
	{"pool lock: release, claim", setup_two_chunks, free_last_of_chunk,
	 alloc_other},
	{"set lock: set data, get data", setup_one, set_data, get_data},
	{"set lock: alloc, free", setup_one, alloc_dom, free_first},
	{"set lock: bind, bind", setup_one, bind_dev, bind_dev2},
	{"set lock: bind, unbind", setup_one, bind_dev, unbind_dev},
	{"set lock: alloc, last put", setup_pinned, alloc_dom, put_pin},
	{"set lock: alloc, query", setup_one, alloc_dom, query_dom},
	{"sets lock: create, create", none, create_pool_set, create_range_set},
	{"fault lock: fault, fault", setup_one, report_fault, report_fault},
	{"fault lock: stop, fault", setup_one, stop_dom, report_after_stop},
};

static bool run_case(const struct handoff *h)
{
	struct world_cfg cfg = {
		.bits = 10, .ndoms = 3, .quota = 32, .hv_quota = 4};
	struct run r = {.h = h};
	unsigned before = atomic_load(&wrong);
	char why[256];

	r.w = world_new(&cfg);
	if (!r.w)
		return false;
	h->setup(r.w, r.p);
	handoff_run(run_first, run_second, &r);
	/* The threads' results, read once both are joined. */
	if (h->second == alloc_dom_again)
		EXPECT(r.p[2] != r.p[1]);
	if (h->second == alloc_other) /* its own chunk */
		EXPECT(r.p[2] / 16 != r.p[1] / 16);
	if (world_check(r.w, why, sizeof(why)) != 0) {
		fprintf(stderr, "handoff: %s: %s\n", h->name, why);
		atomic_fetch_add(&wrong, 1);
	}
	world_free(r.w);
	printf("handoff: %-30s %s\n", h->name,
	       atomic_load(&wrong) == before ? "ok" : "WRONG");
	return atomic_load(&wrong) == before;
}

int main(void)
{
	unsigned pass = 0, fail = 0;

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (run_case(&cases[i]))
			pass++;
		else
			fail++;
	}
	printf("%u passed, %u failed\n", pass, fail);
	return fail != 0;
}
