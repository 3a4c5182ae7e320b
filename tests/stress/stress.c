/* SPDX-License-Identifier: MIT */
/*
 * Concurrency stress for the PASID manager and the dispatcher, meant for
 * ThreadSanitizer.  One thread per guest domain issues PASID hypercalls
 * on its own behalf (and now and then tears its set down and makes it
 * again, as a domain restart would), a fault thread routes faults and
 * holds and drops references on random PASIDs, and a control thread
 * (the privileged domain 0) lists the sets and changes quotas.
 *
 * Each domain thread knows exactly what its domain holds, since nobody
 * else changes it, so every result is checked, not just survived.  At the
 * end: invariants, mocks matching, nothing leaked.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "world.h"

#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/xen.h>

#define NDOMS 5 /* 0: control; 1..4: guests */
#define QUOTA 24
#define MAXP  64
#ifndef STRESS_ITERS
#define STRESS_ITERS 80000
#endif

static struct world *w;
static _Atomic unsigned anomalies;
static _Atomic bool domains_done;
static _Atomic unsigned n_alloc, n_refused, n_restart, n_bind, n_held;

#define ANOMALY(...)                                                           \
	do {                                                                   \
		if (atomic_fetch_add(&anomalies, 1) < 20)                      \
			fprintf(stderr, __VA_ARGS__);                          \
	} while (0)

/* A small xorshift generator per thread. */
static uint32_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (uint32_t)(*s >> 11);
}

struct mine {
	uint32_t pasid;
	uint64_t cookie;
	unsigned bound; /* bit 0: WORLD_DEV, bit 1: WORLD_DEV2 */
};

struct dom_state {
	unsigned id;
	uint64_t seed;
	struct mine live[MAXP];
	unsigned nlive;
	struct mine parked[MAXP]; /* freed with bindings left */
	unsigned nparked;
};

static long op(unsigned id, struct paddock_pasid_op *o)
{
	return world_pasid_op(w, id, o);
}

static uint32_t dev_of(unsigned id, unsigned bit)
{
	return bit ? WORLD_DEV2(id) : WORLD_DEV(id);
}

static void restart_domain(struct dom_state *st)
{
	struct pasid_set_cfg c = {.domain = (domid_t)st->id, .quota = QUOTA};
	struct pasid_err err;
	unsigned tries = 0;

	atomic_fetch_add(&n_restart, 1);
	pasid_domain_teardown(&w->m, (domid_t)st->id);
	st->nlive = st->nparked = 0;
	/* Held parked PASIDs keep the old set until the fault thread lets
	 * go of them. */
	while (pasid_set_create(&w->m, &c, &err) != 0) {
		if (err.reason != PADDOCK_PASID_R_BAD_ARGUMENT ||
		    ++tries > 10000000) {
			ANOMALY("dom%u: cannot come back: %s\n", st->id,
				err.text);
			return;
		}
		sched_yield();
	}
}

static void dom_step(struct dom_state *st)
{
	unsigned id = st->id, r = rnd(&st->seed) % 100;
	struct paddock_pasid_op o = {0};
	long rc;

	if (r < 20) {
		o.cmd = PADDOCK_PASID_ALLOC;
		rc = op(id, &o);
		if (rc == 0) {
			if (st->nlive == MAXP) {
				ANOMALY("dom%u: more than %u live\n", id, MAXP);
				return;
			}
			st->live[st->nlive++] = (struct mine){o.pasid, 0, 0};
			atomic_fetch_add(&n_alloc, 1);
		} else if (rc == -XEN_EMFILE || rc == -XEN_ENOSPC) {
			atomic_fetch_add(&n_refused, 1);
		} else if (rc != -XEN_EMFILE && rc != -XEN_ENOSPC) {
			ANOMALY("dom%u: ALLOC %ld reason %u\n", id, rc,
				o.reason);
		}
	} else if (r < 32 && st->nlive) {
		unsigned k = rnd(&st->seed) % st->nlive;
		struct mine m = st->live[k];

		o.cmd = PADDOCK_PASID_FREE;
		o.pasid = m.pasid;
		rc = op(id, &o);
		if (rc != 0)
			ANOMALY("dom%u: FREE of live %u: %ld\n", id, m.pasid,
				rc);
		st->live[k] = st->live[--st->nlive];
		if (m.bound)
			st->parked[st->nparked++] = m;
	} else if (r < 50 && st->nlive) {
		unsigned k = rnd(&st->seed) % st->nlive;
		unsigned bit = rnd(&st->seed) % 2;
		struct mine *m = &st->live[k];

		o.cmd = PADDOCK_PASID_BIND;
		o.pasid = m->pasid;
		o.device = dev_of(id, bit);
		o.bind_type = rnd(&st->seed) % 2;
		o.fl_root = 0; /* first-level: the hypervisor's tables */
		rc = op(id, &o);
		if (m->bound & (1u << bit)) {
			if (rc != -XEN_EEXIST)
				ANOMALY("dom%u: rebind %u: %ld\n", id, m->pasid,
					rc);
		} else if (rc != 0) {
			ANOMALY("dom%u: BIND %u: %ld reason %u\n", id, m->pasid,
				rc, o.reason);
		} else {
			m->bound |= 1u << bit;
			atomic_fetch_add(&n_bind, 1);
		}
	} else if (r < 62 && (st->nlive || st->nparked)) {
		bool parked = st->nparked && (!st->nlive || r % 2);
		struct mine *m =
			parked ? &st->parked[rnd(&st->seed) % st->nparked]
			       : &st->live[rnd(&st->seed) % st->nlive];
		unsigned bit = rnd(&st->seed) % 2;

		o.cmd = PADDOCK_PASID_UNBIND;
		o.pasid = m->pasid;
		o.device = dev_of(id, bit);
		rc = op(id, &o);
		if (!(m->bound & (1u << bit))) {
			if (rc != -XEN_ENOENT)
				ANOMALY("dom%u: unbind unbound %u: %ld\n", id,
					m->pasid, rc);
		} else if (rc != 0) {
			ANOMALY("dom%u: UNBIND %u: %ld\n", id, m->pasid, rc);
		} else {
			m->bound &= ~(1u << bit);
			if (parked && !m->bound)
				*m = st->parked[--st->nparked];
		}
	} else if (r < 72 && st->nlive) {
		struct mine *m = &st->live[rnd(&st->seed) % st->nlive];

		o.cmd = PADDOCK_PASID_SET_DATA;
		o.pasid = m->pasid;
		o.cookie = ((uint64_t)rnd(&st->seed) << 32) | m->pasid;
		if (op(id, &o) != 0)
			ANOMALY("dom%u: SET_DATA %u\n", id, m->pasid);
		m->cookie = o.cookie;
		o = (struct paddock_pasid_op){.cmd = PADDOCK_PASID_GET_DATA,
					      .pasid = m->pasid};
		if (op(id, &o) != 0 || o.cookie != m->cookie)
			ANOMALY("dom%u: GET_DATA %u\n", id, m->pasid);
	} else if (r < 80) {
		unsigned nb = 0;

		o.cmd = PADDOCK_PASID_QUERY;
		if (op(id, &o) != 0) {
			ANOMALY("dom%u: QUERY\n", id);
			return;
		}
		for (unsigned i = 0; i < st->nlive; i++)
			nb += st->live[i].bound != 0;
		if (o.u.info.bound != nb ||
		    o.u.info.allocated < st->nlive + st->nparked ||
		    o.u.info.parked < st->nparked || o.u.info.domain != id)
			ANOMALY("dom%u: QUERY says %u allocated %u bound %u "
				"parked; I hold %u live (%u bound), %u "
				"parked\n",
				id, o.u.info.allocated, o.u.info.bound,
				o.u.info.parked, st->nlive, nb, st->nparked);
	} else if (r < 86) {
		o.cmd = PADDOCK_PASID_GET_FAULTS;
		o.u.faults.buf = world_gva(id, 0x3000);
		o.u.faults.max = rnd(&st->seed) % 20;
		if (op(id, &o) != 0 || o.u.faults.count > o.u.faults.max)
			ANOMALY("dom%u: GET_FAULTS\n", id);
	} else if (r < 97) {
		/* Someone else's, or nobody's: never ours to free. */
		uint32_t p = rnd(&st->seed) % 1100;
		bool ours = false;

		for (unsigned i = 0; i < st->nlive; i++)
			ours |= st->live[i].pasid == p;
		o.cmd = PADDOCK_PASID_FREE;
		o.pasid = p;
		rc = op(id, &o);
		if (!ours && rc == 0)
			ANOMALY("dom%u: freed PASID %u it did not hold\n", id,
				p);
		if (ours) {
			for (unsigned i = 0; i < st->nlive; i++)
				if (st->live[i].pasid == p) {
					if (st->live[i].bound)
						st->parked[st->nparked++] =
							st->live[i];
					st->live[i] = st->live[--st->nlive];
					break;
				}
		}
	} else if (r < 98 && rnd(&st->seed) % 8 == 0) {
		restart_domain(st);
	}
}

/* Odd domains shut themselves down at the end, while faults are still
 * being filed for them. */
static bool shuts_down(unsigned id)
{
	return id % 2;
}

static void *dom_thread(void *arg)
{
	struct dom_state *st = arg;

	for (unsigned i = 0; i < STRESS_ITERS; i++)
		dom_step(st);
	if (shuts_down(st->id)) {
		struct sched_shutdown *sd = world_mem(w, st->id, 0x5000);

		sd->reason = SHUTDOWN_poweroff;
		if (world_hcall(w, st->id, __HYPERVISOR_sched_op,
				SCHEDOP_shutdown, world_gva(st->id, 0x5000),
				0) != 0)
			ANOMALY("dom%u: shutdown refused\n", st->id);
	}
	return NULL;
}

static void *fault_thread(void *arg)
{
	uint64_t seed = 0x9E3779B97F4A7C15ull;
	struct pasid_record *held[8] = {0};
	uint32_t held_pasid[8] = {0};

	(void)arg;
	while (!atomic_load(&domains_done)) {
		uint32_t p = 1 + rnd(&seed) % 300;
		unsigned r = rnd(&seed) % 10, k = rnd(&seed) % 8;

		if (r < 3) {
			/* From any domain's device, or from nobody's. */
			struct paddock_pasid_fault f = {
				.address = rnd(&seed),
				.pasid = p,
				.device = WORLD_DEV(rnd(&seed) % (NDOMS + 1))};

			hv_report_fault(&w->sys, &f);
		} else if (r < 5) {
			pasid_route_fault(&w->m, (domid_t)(rnd(&seed) % NDOMS),
					  p);
		} else if (!held[k]) {
			held[k] = pasid_lookup_get(&w->m, p);
			held_pasid[k] = p;
			if (held[k]) {
				atomic_fetch_add(&n_held, 1);
				domid_t d = pasid_record_domain(held[k]);

				if (pasid_lookup(&w->m, p).domain != d ||
				    (d >= NDOMS && d != DOMID_HYPERVISOR))
					ANOMALY("fault: PASID %u owner %u\n", p,
						d);
			}
		} else {
			pasid_put(&w->m, held_pasid[k]);
			held[k] = NULL;
		}
	}
	for (unsigned k = 0; k < 8; k++)
		if (held[k])
			pasid_put(&w->m, held_pasid[k]);
	return NULL;
}

static void *control_thread(void *arg)
{
	uint64_t seed = 12345;
	uint32_t mine[8];
	unsigned nmine = 0;

	(void)arg;
	while (!atomic_load(&domains_done)) {
		struct paddock_pasid_op o = {0};
		unsigned r = rnd(&seed) % 10;
		long rc;

		if (r < 3) {
			o.cmd = PADDOCK_PASID_LIST;
			o.u.list.buf = world_gva(0, 0x2000);
			o.u.list.max = 8;
			rc = op(0, &o);
			if (rc != 0 || o.u.list.count < 2 ||
			    o.u.list.count > NDOMS + 1)
				ANOMALY("control: LIST %ld count %u\n", rc,
					o.u.list.count);
		} else if (r < 6) {
			o.cmd = PADDOCK_PASID_SET_QUOTA;
			o.domain = 1 + rnd(&seed) % (NDOMS - 1);
			o.quota = 4 + rnd(&seed) % 40;
			rc = op(0, &o);
			if (rc != 0 && rc != -XEN_ESRCH)
				ANOMALY("control: SET_QUOTA %ld\n", rc);
		} else if (r < 8 && nmine < 8) {
			o.cmd = PADDOCK_PASID_ALLOC;
			if (op(0, &o) == 0)
				mine[nmine++] = o.pasid;
		} else if (nmine) {
			o.cmd = PADDOCK_PASID_FREE;
			o.pasid = mine[--nmine];
			if (op(0, &o) != 0)
				ANOMALY("control: FREE %u\n", o.pasid);
		}
	}
	return NULL;
}

int main(void)
{
	struct world_cfg cfg = {
		.bits = 10, .ndoms = NDOMS, .quota = QUOTA, .hv_quota = 4};
	static struct dom_state st[NDOMS];
	pthread_t dt[NDOMS], ft, ct;
	unsigned pass = 0, fail = 0;
	char why[256];
	long base;

	w = world_new(&cfg);
	if (!w) {
		printf("0 passed, 1 failed\n");
		return 1;
	}
	base = w->heap_base;
	pthread_create(&ft, NULL, fault_thread, NULL);
	pthread_create(&ct, NULL, control_thread, NULL);
	for (unsigned i = 1; i < NDOMS; i++) {
		st[i].id = i;
		st[i].seed = 0x1234567ull * (i + 1);
		pthread_create(&dt[i], NULL, dom_thread, &st[i]);
	}
	for (unsigned i = 1; i < NDOMS; i++)
		pthread_join(dt[i], NULL);
	atomic_store(&domains_done, true);
	pthread_join(ft, NULL);
	pthread_join(ct, NULL);

	printf("stress: %u allocs, %u refused, %u binds, %u restarts, %u "
	       "references held\n",
	       atomic_load(&n_alloc), atomic_load(&n_refused),
	       atomic_load(&n_bind), atomic_load(&n_restart),
	       atomic_load(&n_held));
	if (atomic_load(&anomalies) == 0) {
		pass++;
	} else {
		fail++;
		printf("stress: %u wrong results\n", atomic_load(&anomalies));
	}
	if (world_check(w, why, sizeof(why)) == 0) {
		pass++;
	} else {
		fail++;
		printf("stress: after the run: %s\n", why);
	}
	/* Each domain's own view matches the manager's; the domains that
	 * shut down left nothing behind. */
	for (unsigned i = 1; i < NDOMS; i++) {
		struct paddock_pasid_info info;

		if (shuts_down(i)) {
			if (!pasid_set_of(&w->m, (domid_t)i) &&
			    w->doms[i]->state == DOMAIN_SHUTDOWN &&
			    w->fd[i].stopped == 1) {
				pass++;
			} else {
				fail++;
				printf("stress: dom%u: not cleanly shut down\n",
				       i);
			}
			continue;
		}
		if (pasid_query(&w->m, (domid_t)i, &info) == 0 &&
		    info.allocated == st[i].nlive + st[i].nparked &&
		    info.parked == st[i].nparked) {
			pass++;
		} else {
			fail++;
			printf("stress: dom%u: manager says %u allocated %u "
			       "parked, the domain holds %u live %u parked\n",
			       i, info.allocated, info.parked, st[i].nlive,
			       st[i].nparked);
		}
	}
	for (unsigned i = 0; i < NDOMS; i++)
		pasid_domain_teardown(&w->m, (domid_t)i);
	if (world_check(w, why, sizeof(why)) == 0 &&
	    w->iommu[0].nentries == 0 && w->iommu[1].nentries == 0) {
		pass++;
	} else {
		fail++;
		printf("stress: after teardown: %s\n", why);
	}
	world_free(w);
	if (heap_live() == base) {
		pass++;
	} else {
		fail++;
		printf("stress: %ld allocations leaked\n", heap_live() - base);
	}
	printf("%u passed, %u failed\n", pass, fail);
	return fail != 0;
}
