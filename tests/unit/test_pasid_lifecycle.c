/* SPDX-License-Identifier: MIT */
/*
 * Every PASID state transition, parking, quotas, ranges, space
 * exhaustion, teardown, fault routing, the IOMMU call order and
 * clustering, against the manager's own API and the recording mocks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"
#include "../../hypervisor/pasid/internal.h"
#include "world_ok.h"

#include <xen/errno.h>

static enum pasid_state state_of(struct world *w, uint32_t pasid)
{
	struct pasid_record *r = pasid_lookup_get(&w->m, pasid);
	enum pasid_state st;

	if (!r)
		return PASID_FREE;
	st = pasid_lookup(&w->m, pasid).state;
	pasid_put(&w->m, pasid);
	return st;
}

static struct paddock_pasid_info info_of(struct world *w, domid_t d)
{
	struct paddock_pasid_info info;

	memset(&info, 0xAA, sizeof(info));
	assert_int_equal(pasid_query(&w->m, d, &info), 0);
	return info;
}

static uint32_t alloc_ok(struct world *w, domid_t d)
{
	struct pasid_err err;
	uint32_t p = 0;

	if (pasid_alloc(&w->m, d, &p, &err) != 0)
		fail_msg("alloc for domain %u: %s", d, err.text);
	assert_true(p >= 1 && p < w->m.limit);
	return p;
}

static void bind_ok(struct world *w, domid_t d, uint32_t p, uint32_t dev,
		    enum pasid_entry_kind kind)
{
	struct pasid_bind_req req = {.device = dev, .kind = kind};
	struct pasid_err err;

	if (pasid_bind(&w->m, d, p, &req, &err) != 0)
		fail_msg("bind %u to %#x: %s", p, dev, err.text);
}

static void walk_all_transitions(void **state)
{
	struct world *w = mk(20, 2, 8);
	struct pasid_err err;
	uint32_t p = alloc_ok(w, 1);
	struct paddock_pasid_info i;

	assert_int_equal(state_of(w, p), PASID_ALLOCATED);
	bind_ok(w, 1, p, WORLD_DEV(1), PASID_ENTRY_SECOND_LEVEL);
	assert_int_equal(state_of(w, p), PASID_BOUND);
	i = info_of(w, 1);
	assert_int_equal(i.bound, 1);
	bind_ok(w, 1, p, WORLD_DEV2(1), PASID_ENTRY_FIRST_LEVEL);
	assert_int_equal(state_of(w, p), PASID_BOUND);
	assert_int_equal(info_of(w, 1).bound, 1); /* PASIDs, not bindings */
	assert_int_equal(mock_entry(&w->iommu[1], WORLD_DEV2(1), p)->cfg.kind,
			 PASID_ENTRY_FIRST_LEVEL);
	assert_world_ok(w);
	assert_int_equal(pasid_unbind(&w->m, 1, p, WORLD_DEV(1), &err), 0);
	assert_int_equal(state_of(w, p), PASID_BOUND);
	assert_int_equal(pasid_unbind(&w->m, 1, p, WORLD_DEV2(1), &err), 0);
	assert_int_equal(state_of(w, p), PASID_ALLOCATED);
	assert_int_equal(info_of(w, 1).bound, 0);
	assert_int_equal(w->iommu[0].nentries + w->iommu[1].nentries, 0);
	/* Free with nothing bound and nobody holding: straight to FREE. */
	assert_int_equal(pasid_free(&w->m, 1, p, &err), 0);
	assert_int_equal(state_of(w, p), PASID_FREE);
	i = info_of(w, 1);
	assert_int_equal(i.allocated, 0);
	assert_int_equal(i.parked, 0);
	assert_int_equal(i.peak, 1);
	done(w);
}

static void free_of_bound_parks_until_last_unbind(void **state)
{
	struct world *w = mk(20, 2, 8);
	struct pasid_err err;
	uint32_t p = alloc_ok(w, 1);
	uint64_t c;

	bind_ok(w, 1, p, WORLD_DEV(1), PASID_ENTRY_SECOND_LEVEL);
	bind_ok(w, 1, p, WORLD_DEV2(1), PASID_ENTRY_SECOND_LEVEL);
	assert_int_equal(pasid_set_data(&w->m, 1, p, 77, &err), 0);
	assert_int_equal(pasid_free(&w->m, 1, p, &err), 0);
	assert_int_equal(state_of(w, p), PASID_PARKED);
	assert_int_equal(mock_entry(&w->iommu[0], WORLD_DEV(1), p)->cfg.kind,
			 PASID_ENTRY_BLOCKED);
	assert_int_equal(mock_entry(&w->iommu[1], WORLD_DEV2(1), p)->cfg.kind,
			 PASID_ENTRY_BLOCKED);
	assert_int_equal(info_of(w, 1).allocated, 1);
	assert_int_equal(info_of(w, 1).parked, 1);
	assert_int_equal(info_of(w, 1).bound, 0);
	assert_world_ok(w);
	/* A parked PASID refuses everything but unbind. */
	assert_int_equal(pasid_free(&w->m, 1, p, &err), -XEN_ENOENT);
	assert_int_equal(err.reason, PADDOCK_PASID_R_PARKED);
	assert_int_equal(pasid_get_data(&w->m, 1, p, &c, &err), -XEN_ENOENT);
	assert_int_equal(err.reason, PADDOCK_PASID_R_PARKED);
	assert_int_equal(pasid_unbind(&w->m, 1, p, WORLD_DEV(1), &err), 0);
	assert_int_equal(state_of(w, p), PASID_PARKED);
	assert_null(mock_entry(&w->iommu[0], WORLD_DEV(1), p));
	assert_int_equal(pasid_unbind(&w->m, 1, p, WORLD_DEV2(1), &err), 0);
	assert_int_equal(state_of(w, p), PASID_FREE);
	assert_int_equal(info_of(w, 1).allocated, 0);
	assert_int_equal(info_of(w, 1).parked, 0);
	/* Recycled: the next allocation may get it back, with data reset. */
	p = alloc_ok(w, 1);
	assert_int_equal(pasid_get_data(&w->m, 1, p, &c, &err), 0);
	assert_int_equal(c, 0);
	done(w);
}

static void holder_keeps_parked_pasid_until_put(void **state)
{
	struct world *w = mk(20, 2, 2);
	struct pasid_err err;
	uint32_t p = alloc_ok(w, 1);
	struct pasid_record *r = pasid_lookup_get(&w->m, p);

	assert_non_null(r);
	assert_int_equal(pasid_record_domain(r), 1);
	assert_int_equal(pasid_free(&w->m, 1, p, &err), 0);
	assert_int_equal(state_of(w, p), PASID_PARKED);
	assert_int_equal(info_of(w, 1).allocated, 1);
	assert_int_equal(info_of(w, 1).parked, 1);
	/* (No invariant check while a holder is out: it counts on
	 * quiescence, holders included.) */
	/* A second holder, then both let go. */
	struct pasid_record *r2 = pasid_lookup_get(&w->m, p);
	assert_ptr_equal(r, r2);
	pasid_put(&w->m, p);
	assert_int_equal(state_of(w, p), PASID_PARKED);
	pasid_put(&w->m, p);
	assert_int_equal(state_of(w, p), PASID_FREE);
	assert_null(pasid_lookup_get(&w->m, p));
	assert_int_equal(info_of(w, 1).allocated, 0);
	assert_int_equal(info_of(w, 1).parked, 0);
	done(w);
}

static void teardown_parks_and_last_put_frees_set(void **state)
{
	struct world *w = mk(8, 3, 8);
	struct pasid_err err;
	struct pasid_set_cfg c5 = {.domain = 5, .quota = 8};
	struct pasid_record *held;
	uint32_t p[4];
	long base;

	/* Make the one leaf of records, and its extras (a cookie), exist
	 * first: they outlive sets. */
	assert_int_equal(pasid_set_data(&w->m, 2, alloc_ok(w, 2), 1, &err), 0);
	base = heap_live();
	assert_int_equal(pasid_set_create(&w->m, &c5, &err), 0);
	assert_int_equal(
		pasid_device_add(&w->m, 0x505, 5, &w->iommu[0].iommu, &err), 0);
	for (int i = 0; i < 4; i++)
		p[i] = alloc_ok(w, 5);
	bind_ok(w, 5, p[0], 0x505, PASID_ENTRY_SECOND_LEVEL);
	bind_ok(w, 5, p[1], 0x505, PASID_ENTRY_FIRST_LEVEL);
	assert_int_equal(pasid_free(&w->m, 5, p[1], &err), 0); /* parked */
	assert_world_ok(w);
	held = pasid_lookup_get(&w->m, p[2]);
	assert_non_null(held);

	pasid_domain_teardown(&w->m, 5);
	/* No entry of domain 5 is left; only the held PASID stays, parked
	 * and charged, in a dying set. */
	assert_null(mock_entry(&w->iommu[0], 0x505, p[0]));
	assert_null(mock_entry(&w->iommu[0], 0x505, p[1]));
	assert_int_equal(w->iommu[0].nentries, 0);
	assert_int_equal(state_of(w, p[0]), PASID_FREE);
	assert_int_equal(state_of(w, p[1]), PASID_FREE);
	assert_int_equal(state_of(w, p[3]), PASID_FREE);
	assert_int_equal(state_of(w, p[2]), PASID_PARKED);
	struct paddock_pasid_info i = info_of(w, 5);
	assert_int_equal(i.allocated, 1);
	assert_int_equal(i.parked, 1);
	assert_true(i.flags & PADDOCK_PASID_INFO_DYING);
	/* A dying set refuses work and cannot be recreated yet. */
	uint32_t q;
	assert_int_equal(pasid_alloc(&w->m, 5, &q, &err), -XEN_ESRCH);
	assert_int_equal(err.reason, PADDOCK_PASID_R_NO_DOMAIN);
	assert_int_equal(pasid_set_create(&w->m, &c5, &err), -XEN_EEXIST);
	assert_int_equal(pasid_set_quota(&w->m, 5, 3, &err), -XEN_ESRCH);
	/* Its devices' faults on it are suppressed, not routed. */
	assert_int_equal(pasid_route_fault(&w->m, 5, p[2]), PASID_DOMID_NONE);
	assert_int_equal(info_of(w, 5).faults_suppressed, 1);
	/* Teardown twice is harmless. */
	pasid_domain_teardown(&w->m, 5);
	pasid_put(&w->m, p[2]);
	assert_null(pasid_set_of(&w->m, 5));
	assert_int_equal(state_of(w, p[2]), PASID_FREE);
	assert_int_equal(heap_live(), base);
	assert_world_ok(w);
	/* And the domain can come back. */
	assert_int_equal(pasid_set_create(&w->m, &c5, &err), 0);
	alloc_ok(w, 5);
	done(w);
}

/* The manager going away with references still held frees everything. */
static void fini_with_holders_leaks_nothing(void **state)
{
	struct world *w = mk(12, 3, 8);
	long base = w->heap_base;
	struct pasid_record *r[3];
	struct pasid_err err;
	uint32_t p;

	for (int i = 0; i < 3; i++) {
		p = alloc_ok(w, (domid_t)(1 + i % 2));
		if (i == 1)
			bind_ok(w, 2, p, WORLD_DEV(2),
				PASID_ENTRY_SECOND_LEVEL);
		r[i] = pasid_lookup_get(&w->m, p);
		assert_non_null(r[i]);
		if (i == 0)
			assert_int_equal(pasid_free(&w->m, 1, p, &err), 0);
	}
	pasid_domain_teardown(&w->m, 2); /* dying, held */
	world_free(w);
	assert_int_equal(heap_live(), base);
}

/* Sets share one heap block per 16 domain ids (internal.h): the first
 * set of a slab makes it, the others take no memory of their own, and
 * the last to go frees it. */
static void sets_share_a_slab(void **state)
{
	struct world *w = mk(12, 2, 8);
	struct pasid_set_cfg c = {.quota = 4};
	struct pasid_err err;
	long base = heap_live(), one, leaf;

	c.domain = 32;
	assert_int_equal(pasid_set_create(&w->m, &c, &err), 0);
	one = heap_live();
	assert_true(one > base);
	for (domid_t d = 33; d < 48; d++) {
		c.domain = d;
		assert_int_equal(pasid_set_create(&w->m, &c, &err), 0);
	}
	assert_int_equal(heap_live(), one);
	alloc_ok(w, 40);
	leaf = heap_live() - one; /* records outlive sets */
	assert_world_ok(w);
	for (domid_t d = 32; d < 48; d++) {
		assert_int_equal(heap_live(), one + leaf);
		pasid_domain_teardown(&w->m, d);
		assert_null(pasid_set_of(&w->m, d));
	}
	assert_world_ok(w);
	assert_int_equal(heap_live(), base + leaf);
	c.domain = 32;
	assert_int_equal(pasid_set_create(&w->m, &c, &err), 0);
	assert_int_equal(info_of(w, 32).allocated, 0);
	done(w);
}

/* A set that empties a chunk while it owns another keeps it as its spare
 * (alloc.c): across a chunk boundary, alloc and free go back and forth
 * without the pool; a second emptied chunk goes back to the pool; the
 * spare goes back with the set. */
static void a_spare_chunk_spares_the_pool(void **state)
{
	struct world *w = mk(12, 2, 4096);
	struct pasid_err err;
	uint32_t p[64], n = 0, c1, c2, q;
	struct pasid_set *s = pasid_set_of(&w->m, 1);

	do /* until every chunk it owns is full */
		p[n++] = alloc_ok(w, 1);
	while (s->room_head != CHUNK_NONE);
	q = alloc_ok(w, 1); /* a new chunk */
	c1 = q / 16;
	assert_int_equal(pasid_free(&w->m, 1, q, &err), 0);
	assert_int_equal(s->spare, c1);
	assert_false(hbm_test(w->m.free_chunks, c1)); /* not in the pool */
	assert_world_ok(w);
	for (int round = 0; round < 5; round++) {
		q = alloc_ok(w, 1);
		assert_int_equal(q / 16, c1); /* the spare, not the pool */
		assert_int_equal(s->spare, CHUNK_NONE);
		assert_int_equal(pasid_free(&w->m, 1, q, &err), 0);
		assert_int_equal(s->spare, c1);
	}
	/* Two chunks emptied: one spare, one back in the pool. */
	for (int i = 0; i < 17; i++)
		p[n + i] = alloc_ok(w, 1);
	c2 = p[n + 16] / 16;
	assert_true(c2 != c1 && p[n] / 16 == c1);
	for (int i = 16; i >= 0; i--)
		assert_int_equal(pasid_free(&w->m, 1, p[n + i], &err), 0);
	assert_true(s->spare == c1 || s->spare == c2);
	assert_true(hbm_test(w->m.free_chunks, s->spare == c1 ? c2 : c1));
	assert_world_ok(w);
	/* The spare leaves with the set. */
	pasid_domain_teardown(&w->m, 1);
	assert_true(hbm_test(w->m.free_chunks, c1) &&
		    hbm_test(w->m.free_chunks, c2) &&
		    hbm_test(w->m.free_chunks, p[0] / 16));
	assert_world_ok(w);
	done(w);
}

/*
 * A PASID lent to domain 2 in domain 1's chunk; domain 1 empties that
 * chunk (in its view) and gives it back to the pool while it is lent;
 * domain 2 claims the chunk, and its own claim on the lent PASID fails
 * and drops the bit.  When domain 2 frees the lent PASID, the bit goes
 * back to its mask: its next alloc takes it from its own chunk, with no
 * fallback.
 */
static void a_lent_pasid_comes_home(void **state)
{
	struct world *w = mk(6, 3, 64);
	struct pasid_err err;
	uint32_t p, fallbacks;

	while (pasid_alloc(&w->m, 1, &p, &err) == 0)
		;
	assert_int_equal(pasid_free(&w->m, 1, 20, &err), 0);
	assert_int_equal(alloc_ok(w, 2), 20); /* a fallback */
	assert_int_equal(info_of(w, 2).fallbacks, 1);
	for (p = 32; p < 48; p++) /* chunk 2: domain 1's spare */
		assert_int_equal(pasid_free(&w->m, 1, p, &err), 0);
	for (p = 16; p < 32; p++) /* chunk 1: back to the pool */
		if (p != 20)
			assert_int_equal(pasid_free(&w->m, 1, p, &err), 0);
	assert_world_ok(w);
	for (int i = 0; i < 15; i++) { /* chunk 1, 20 excepted */
		p = alloc_ok(w, 2);
		assert_true(p / 16 == 1 && p != 20);
	}
	assert_world_ok(w);
	assert_int_equal(pasid_free(&w->m, 2, 20, &err), 0);
	fallbacks = info_of(w, 2).fallbacks;
	assert_int_equal(alloc_ok(w, 2), 20);
	assert_int_equal(info_of(w, 2).fallbacks, fallbacks);
	assert_world_ok(w);
	done(w);
}

/*
 * A fallback first tries the lent PASID its set gave back last
 * (alloc.c): a range made over that PASID since keeps it.  Domain 2's
 * hint is PASID 20 in domain 1's chunk 1; domain 1 gives chunk 1 back to
 * the pool, a range is made over it, and the pool is dry again: domain 2
 * falls back elsewhere.
 */
static void a_fallback_hint_stays_out_of_a_new_range(void **state)
{
	struct world *w = mk(6, 4, 64);
	struct pasid_set_cfg r3 = {
		.domain = 3, .quota = 16, .range_lo = 16, .range_hi = 31};
	struct pasid_err err;
	uint32_t p;

	pasid_domain_teardown(&w->m, 3); /* made ranged below */
	while (pasid_alloc(&w->m, 1, &p, &err) == 0)
		;
	assert_int_equal(pasid_free(&w->m, 1, 20, &err), 0);
	assert_int_equal(alloc_ok(w, 2), 20);		     /* lent */
	assert_int_equal(pasid_free(&w->m, 2, 20, &err), 0); /* the hint */
	for (p = 32; p < 48; p++) /* chunk 2: domain 1's spare */
		assert_int_equal(pasid_free(&w->m, 1, p, &err), 0);
	for (p = 16; p < 32; p++) /* chunk 1: back to the pool */
		if (p != 20)
			assert_int_equal(pasid_free(&w->m, 1, p, &err), 0);
	assert_int_equal(pasid_set_create(&w->m, &r3, &err), 0);
	assert_world_ok(w);
	p = alloc_ok(w, 2);
	assert_true(p < 16 || p > 31);
	assert_world_ok(w);
	assert_int_equal(alloc_ok(w, 3), 16); /* the range is whole */
	done(w);
}

static void teardown_without_holders_leaves_nothing(void **state)
{
	struct world *w = mk(12, 4, 40);
	long base;

	struct pasid_err err;

	/* Leaf 0 and its extras (a cookie): they outlive sets. */
	assert_int_equal(pasid_set_data(&w->m, 3, alloc_ok(w, 3), 1, &err), 0);
	alloc_ok(w, 3);
	base = heap_live();
	for (int i = 0; i < 30; i++) {
		uint32_t p = alloc_ok(w, 1);

		if (i % 3 == 0)
			bind_ok(w, 1, p, WORLD_DEV(1),
				PASID_ENTRY_SECOND_LEVEL);
		if (i % 5 == 0)
			bind_ok(w, 1, p, WORLD_DEV2(1),
				PASID_ENTRY_SECOND_LEVEL);
	}
	assert_world_ok(w);
	pasid_domain_teardown(&w->m, 1);
	assert_null(pasid_set_of(&w->m, 1));
	assert_int_equal(w->iommu[0].nentries, 0);
	assert_int_equal(w->iommu[1].nentries, 0);
	assert_int_equal(w->iommu[0].pending, 0);
	/* Everything the set held is gone; its slot in the slab of sets
	 * stays with domain 3's. */
	assert_true(heap_live() <= base);
	assert_world_ok(w);
	done(w);
}

static void quota_stays_charged_while_parked(void **state)
{
	struct world *w = mk(20, 4, 16);
	struct pasid_err err;
	struct pasid_record *held[2];
	uint32_t p[16], q;

	for (int i = 0; i < 16; i++)
		p[i] = alloc_ok(w, 3);
	held[0] = pasid_lookup_get(&w->m, p[0]);
	held[1] = pasid_lookup_get(&w->m, p[1]);
	assert_true(held[0] && held[1]);
	assert_int_equal(pasid_free(&w->m, 3, p[0], &err), 0);
	assert_int_equal(pasid_free(&w->m, 3, p[1], &err), 0);
	assert_int_equal(pasid_alloc(&w->m, 3, &q, &err), -XEN_EMFILE);
	assert_int_equal(err.reason, PADDOCK_PASID_R_QUOTA);
	assert_string_equal(err.text, "quota exhausted: domain 3 holds 16/16 "
				      "PASIDs (2 parked)");
	assert_int_equal(info_of(w, 3).refusals_quota, 1);
	/* Churning cannot get past the quota while PASIDs stay parked. */
	for (int round = 0; round < 50; round++) {
		uint32_t x;

		assert_int_equal(pasid_free(&w->m, 3, p[2 + round % 14], &err),
				 0);
		x = alloc_ok(w, 3);
		assert_int_equal(pasid_alloc(&w->m, 3, &q, &err), -XEN_EMFILE);
		p[2 + round % 14] = x;
		assert_int_equal(info_of(w, 3).allocated, 16);
	}
	assert_int_equal(info_of(w, 3).peak, 16);
	pasid_put(&w->m, p[0]);
	pasid_put(&w->m, p[1]);
	assert_int_equal(info_of(w, 3).allocated, 14);
	alloc_ok(w, 3);
	alloc_ok(w, 3);
	assert_int_equal(pasid_alloc(&w->m, 3, &q, &err), -XEN_EMFILE);
	done(w);
}

static void churn_with_bindings_never_exceeds_quota(void **state)
{
	struct world *w = mk(10, 2, 5);
	struct pasid_err err;
	uint32_t live[5];
	unsigned n = 0;

	srand(7);
	for (int i = 0; i < 2000; i++) {
		uint32_t p;
		int rc = pasid_alloc(&w->m, 1, &p, &err);
		struct paddock_pasid_info info = info_of(w, 1);

		assert_true(info.allocated <= 5);
		if (rc == 0) {
			assert_true(n < 5);
			live[n++] = p;
			if (rand() % 2)
				bind_ok(w, 1, p, WORLD_DEV(1),
					PASID_ENTRY_SECOND_LEVEL);
		} else {
			assert_int_equal(rc, -XEN_EMFILE);
		}
		if (n && rand() % 3 == 0) {
			unsigned k = (unsigned)rand() % n;

			assert_int_equal(pasid_free(&w->m, 1, live[k], &err),
					 0);
			/* Parked until unbound, if bound. */
			pasid_unbind(&w->m, 1, live[k], WORLD_DEV(1), &err);
			live[k] = live[--n];
		}
	}
	assert_true(info_of(w, 1).peak <= 5);
	done(w);
}

static void set_quota_shrink_refuses_until_use_falls(void **state)
{
	struct world *w = mk(20, 2, 8);
	struct pasid_err err;
	uint32_t p[6], q;

	for (int i = 0; i < 6; i++)
		p[i] = alloc_ok(w, 1);
	assert_int_equal(pasid_set_quota(&w->m, 1, 3, &err), 0);
	assert_int_equal(info_of(w, 1).quota, 3);
	assert_int_equal(info_of(w, 1).allocated, 6); /* nothing taken */
	assert_int_equal(pasid_alloc(&w->m, 1, &q, &err), -XEN_EMFILE);
	assert_string_equal(err.text, "quota exhausted: domain 1 holds 6/3 "
				      "PASIDs (0 parked)");
	for (int i = 0; i < 3; i++) {
		assert_int_equal(pasid_free(&w->m, 1, p[i], &err), 0);
		assert_int_equal(pasid_alloc(&w->m, 1, &q, &err), -XEN_EMFILE);
	}
	assert_int_equal(pasid_free(&w->m, 1, p[3], &err), 0);
	alloc_ok(w, 1);
	assert_int_equal(pasid_alloc(&w->m, 1, &q, &err), -XEN_EMFILE);
	/* Growing works at once; zero refuses everything. */
	assert_int_equal(pasid_set_quota(&w->m, 1, 4, &err), 0);
	alloc_ok(w, 1);
	assert_int_equal(pasid_set_quota(&w->m, 1, 0, &err), 0);
	assert_int_equal(pasid_alloc(&w->m, 1, &q, &err), -XEN_EMFILE);
	/* Unknown domain. */
	assert_int_equal(pasid_set_quota(&w->m, 77, 1, &err), -XEN_ESRCH);
	assert_int_equal(err.reason, PADDOCK_PASID_R_NO_DOMAIN);
	done(w);
}

static bool in_any_range(uint32_t p)
{
	return (p >= 100 && p <= 131) || (p >= 200 && p <= 211);
}

static void ranges_are_exclusive(void **state)
{
	struct world *w = mk(8, 1, 0); /* only dom0, quota 0 */
	struct pasid_err err;
	struct pasid_set_cfg r5 = {
		.domain = 5, .quota = 32, .range_lo = 100, .range_hi = 131};
	struct pasid_set_cfg r6 = {
		.domain = 6, .quota = 12, .range_lo = 200, .range_hi = 211};
	struct pasid_set_cfg bad;
	struct pasid_set_cfg pool = {.domain = 4, .quota = 1000};
	bool seen[256] = {false};
	uint32_t p;
	unsigned got5 = 0, got4 = 0;

	assert_int_equal(pasid_set_create(&w->m, &r5, &err), 0);
	assert_int_equal(pasid_set_create(&w->m, &r6, &err), 0);
	/* Overlapping either range, at either end or inside. */
	bad = (struct pasid_set_cfg){
		.domain = 7, .quota = 1, .range_lo = 131, .range_hi = 140};
	assert_int_equal(pasid_set_create(&w->m, &bad, &err), -XEN_EEXIST);
	assert_int_equal(err.reason, PADDOCK_PASID_R_BAD_ARGUMENT);
	assert_non_null(strstr(err.text, "overlaps domain 5's [100, 131]"));
	bad.range_lo = 90;
	bad.range_hi = 100;
	assert_int_equal(pasid_set_create(&w->m, &bad, &err), -XEN_EEXIST);
	bad.range_lo = 205;
	bad.range_hi = 206;
	assert_int_equal(pasid_set_create(&w->m, &bad, &err), -XEN_EEXIST);
	bad.range_lo = 50;
	bad.range_hi = 250;
	assert_int_equal(pasid_set_create(&w->m, &bad, &err), -XEN_EEXIST);
	/* Quota above the range's size. */
	bad = (struct pasid_set_cfg){
		.domain = 7, .quota = 11, .range_lo = 140, .range_hi = 149};
	assert_int_equal(pasid_set_create(&w->m, &bad, &err), -XEN_EINVAL);
	assert_int_equal(err.reason, PADDOCK_PASID_R_BAD_ARGUMENT);
	assert_string_equal(err.text,
			    "domain 7: quota 11 is above its range's size 10");
	/* Outside the space, or naming PASID 0, or backwards. */
	bad.quota = 1;
	bad.range_lo = 0;
	assert_int_equal(pasid_set_create(&w->m, &bad, &err), -XEN_EINVAL);
	assert_int_equal(err.reason, PADDOCK_PASID_R_OUT_OF_RANGE);
	bad.range_lo = 250;
	bad.range_hi = 256;
	assert_int_equal(pasid_set_create(&w->m, &bad, &err), -XEN_EINVAL);
	assert_int_equal(err.reason, PADDOCK_PASID_R_OUT_OF_RANGE);
	bad.range_lo = 150;
	bad.range_hi = 149;
	assert_int_equal(pasid_set_create(&w->m, &bad, &err), -XEN_EINVAL);
	assert_null(pasid_set_of(&w->m, 7));
	/* Quota above range size on SET_QUOTA too. */
	assert_int_equal(pasid_set_quota(&w->m, 6, 13, &err), -XEN_EINVAL);
	assert_int_equal(err.reason, PADDOCK_PASID_R_BAD_ARGUMENT);
	assert_int_equal(pasid_set_quota(&w->m, 6, 12, &err), 0);

	assert_int_equal(pasid_set_create(&w->m, &pool, &err), 0);
	/* Interleave: the ranged domain gets only its range, the pool
	 * domain never any range's PASID. */
	for (;;) {
		bool any = false;

		if (pasid_alloc(&w->m, 5, &p, &err) == 0) {
			assert_true(p >= 100 && p <= 131);
			assert_false(seen[p]);
			seen[p] = true;
			got5++;
			any = true;
		} else if (got5 < 32) {
			fail_msg("domain 5 refused early: %s", err.text);
		}
		if (pasid_alloc(&w->m, 4, &p, &err) == 0) {
			assert_true(p >= 1 && p < 256);
			if (in_any_range(p))
				fail_msg("pool domain got ranged PASID %u", p);
			assert_false(seen[p]);
			seen[p] = true;
			got4++;
			any = true;
		} else {
			assert_int_equal(err.reason, PADDOCK_PASID_R_SPACE);
		}
		if (!any)
			break;
	}
	assert_int_equal(got5, 32);
	assert_int_equal(pasid_alloc(&w->m, 5, &p, &err), -XEN_EMFILE);
	assert_int_equal(pasid_set_quota(&w->m, 5, 32, &err), 0);
	/* Every PASID outside the two ranges: the chunks the ranges touch
	 * never enter the pool, but their free ends are reached by
	 * fallbacks (never out of space while space is free). */
	assert_int_equal(got4, 255 - 44);
	assert_true(info_of(w, 4).fallbacks > 0);
	/* Range 6 still whole. */
	for (int i = 0; i < 12; i++) {
		assert_int_equal(pasid_alloc(&w->m, 6, &p, &err), 0);
		assert_true(p >= 200 && p <= 211);
	}
	assert_int_equal(pasid_alloc(&w->m, 6, &p, &err), -XEN_EMFILE);
	assert_world_ok(w);
	/* When the ranged domain goes, its range returns to the pool. */
	pasid_domain_teardown(&w->m, 5);
	assert_world_ok(w);
	for (uint32_t k = 100; k <= 131; k++)
		seen[k] = false;
	got5 = 0;
	while (pasid_alloc(&w->m, 4, &p, &err) == 0) {
		assert_false(seen[p]);
		assert_false(p >= 200 && p <= 211);
		seen[p] = true;
		got5 += p >= 100 && p <= 131;
	}
	assert_int_equal(got5, 32);
	done(w);
}

static unsigned drain(struct world *w, domid_t d)
{
	struct pasid_err err;
	unsigned n = 0;
	uint32_t p;

	while (pasid_alloc(&w->m, d, &p, &err) == 0)
		n++;
	assert_int_equal(err.reason, PADDOCK_PASID_R_SPACE);
	return n;
}

/* A range may not end in a chunk a pool domain owns, even where the
 * domain holds nothing inside the range: it would allocate there. */
static void range_refused_over_an_owned_chunk(void **state)
{
	struct world *w = mk(8, 2, 8);
	struct pasid_set_cfg r = {
		.domain = 5, .quota = 5, .range_lo = 8, .range_hi = 12};
	struct pasid_err err;

	for (int i = 0; i < 3; i++)
		assert_true(alloc_ok(w, 1) < 8);
	assert_int_equal(pasid_set_create(&w->m, &r, &err), -XEN_EBUSY);
	assert_world_ok(w);
	done(w);
}

/* Two ranges sharing a 16-PASID chunk at their edges: the shared chunk
 * rejoins the pool only when both ranges are gone. */
static void adjacent_ranges_return_to_pool(void **state)
{
	struct world *w = mk(8, 1, 0);
	struct pasid_err err;
	struct pasid_set_cfg r5 = {
		.domain = 5, .quota = 21, .range_lo = 20, .range_hi = 40};
	struct pasid_set_cfg r6 = {
		.domain = 6, .quota = 10, .range_lo = 41, .range_hi = 50};
	struct pasid_set_cfg pool = {.domain = 4, .quota = 1000};
	uint32_t p;

	assert_int_equal(pasid_set_create(&w->m, &r5, &err), 0);
	assert_int_equal(pasid_set_create(&w->m, &r6, &err), 0);
	assert_int_equal(pasid_set_create(&w->m, &pool, &err), 0);
	/* Half of range 6: its free half must stay out of the pool too. */
	for (int i = 0; i < 5; i++) {
		assert_int_equal(pasid_alloc(&w->m, 6, &p, &err), 0);
		assert_true(p >= 41 && p <= 50);
	}
	/* Chunks 1..3 (PASIDs 16..63) touch the ranges and stay out of the
	 * pool; their PASIDs outside both ranges go by fallback. */
	assert_int_equal(drain(w, 4), 255 - 31);
	assert_world_ok(w);
	pasid_domain_teardown(&w->m, 5);
	assert_int_equal(drain(w, 4), 21); /* 20..40: chunk 1, half of 2 */
	assert_world_ok(w);
	pasid_domain_teardown(&w->m, 6);
	assert_int_equal(drain(w, 4), 10);
	assert_world_ok(w);
	done(w);
}

static void range_full_and_late_range_refused(void **state)
{
	struct world *w = mk(8, 2, 300);
	struct pasid_err err;
	struct pasid_set_cfg r5 = {
		.domain = 5, .quota = 2, .range_lo = 100, .range_hi = 101};
	struct pasid_set_cfg late = {
		.domain = 6, .quota = 1, .range_lo = 1, .range_hi = 8};
	uint32_t p;

	assert_int_equal(pasid_set_create(&w->m, &r5, &err), 0);
	assert_int_equal(pasid_set_quota(&w->m, 5, 2, &err), 0);
	alloc_ok(w, 5);
	alloc_ok(w, 5);
	/* Quota 2 == range size: quota comes first. */
	assert_int_equal(pasid_alloc(&w->m, 5, &p, &err), -XEN_EMFILE);
	/* The pool domain has taken chunk 0: a range there is refused. */
	alloc_ok(w, 1);
	assert_int_equal(pasid_set_create(&w->m, &late, &err), -XEN_EBUSY);
	assert_int_equal(err.reason, PADDOCK_PASID_R_BAD_ARGUMENT);
	assert_null(pasid_set_of(&w->m, 6));
	done(w);
}

static void range_space_refusal_text(void **state)
{
	struct world *w = mk(8, 1, 0);
	struct pasid_err err;
	struct pasid_set_cfg r5 = {
		.domain = 5, .quota = 3, .range_lo = 100, .range_hi = 102};
	struct pasid_record *h;
	uint32_t p;

	assert_int_equal(pasid_set_create(&w->m, &r5, &err), 0);
	for (int i = 0; i < 3; i++)
		alloc_ok(w, 5);
	/* Only a parked PASID lets the range fill while quota is free:
	 * shrink... cannot; so make quota larger via a held park. */
	h = pasid_lookup_get(&w->m, 100);
	assert_non_null(h);
	assert_int_equal(pasid_free(&w->m, 5, 100, &err), 0);
	assert_int_equal(pasid_alloc(&w->m, 5, &p, &err), -XEN_EMFILE);
	pasid_put(&w->m, 100);
	assert_int_equal(pasid_alloc(&w->m, 5, &p, &err), 0);
	assert_int_equal(p, 100);
	done(w);
}

static void pool_space_exhaustion(void **state)
{
	struct world *w = mk(6, 3, 100); /* PASIDs 1..63 */
	struct pasid_err err;
	bool seen[64] = {false};
	unsigned n = 0;
	uint32_t p;
	int rc;

	/* Alternate until both are refused: one domain may still have
	 * room in its own chunk when the other finds the pool empty. */
	for (int i = 0, refused = 0; refused < 2; i++) {
		domid_t d = (domid_t)(1 + i % 2);

		rc = pasid_alloc(&w->m, d, &p, &err);
		if (rc < 0) {
			refused++;
			continue;
		}
		refused = 0;
		assert_true(p >= 1 && p <= 63);
		assert_false(seen[p]);
		seen[p] = true;
		n++;
	}
	assert_int_equal(rc, -XEN_ENOSPC);
	assert_int_equal(err.reason, PADDOCK_PASID_R_SPACE);
	assert_int_equal(n, 63);
	assert_false(seen[0]);
	assert_int_equal(pasid_alloc(&w->m, 1, &p, &err), -XEN_ENOSPC);
	assert_string_equal(err.text,
			    "the shared PASID pool (1..63) is full for domain "
			    "1: every PASID outside the static ranges is held");
	assert_int_equal(pasid_alloc(&w->m, 0, &p, &err), -XEN_ENOSPC);
	assert_string_equal(err.text,
			    "the shared PASID pool (1..63) is full for domain "
			    "0: every PASID outside the static ranges is held");
	assert_world_ok(w);
	/* Domain 2 goes: all its PASIDs come back, to anyone. */
	pasid_domain_teardown(&w->m, 2);
	n = 0;
	while (pasid_alloc(&w->m, 0, &p, &err) == 0)
		n++;
	assert_true(n >= 16);
	done(w);
}

/* A wide space, exhausted twice over by several domains: every PASID
 * handed out exactly once per round, the hierarchical bitmaps of the
 * pool consistent after it has been emptied and refilled. */
static void wide_space_exhausted_twice(void **state)
{
	const unsigned bits = PASID_BITS_MAX;
	struct world *w = mk(bits, 4, 1u << bits);
	static uint32_t got[1u << PASID_BITS_MAX];
	static uint8_t seen[1u << PASID_BITS_MAX];
	struct pasid_err err;

	for (int round = 0; round < 2; round++) {
		unsigned n = 0;
		int refused = 0;

		memset(seen, 0, sizeof(seen));
		for (unsigned i = 0; refused < 3; i++) {
			domid_t d = (domid_t)(1 + i % 3);
			uint32_t p;

			if (pasid_alloc(&w->m, d, &p, &err) != 0) {
				assert_int_equal(err.reason,
						 PADDOCK_PASID_R_SPACE);
				refused++;
				continue;
			}
			refused = 0;
			assert_true(p >= 1 && p < (1u << bits));
			assert_false(seen[p]);
			seen[p] = (uint8_t)d;
			got[n++] = p;
		}
		assert_int_equal(n, (1u << bits) - 1);
		if (round == 0)
			assert_world_ok(w);
		for (unsigned i = 0; i < n; i++)
			assert_int_equal(
				pasid_free(&w->m, seen[got[i]], got[i], &err),
				0);
	}
	done(w);
}

/* And never 2^width (mutation P39): where a space is narrower than one
 * chunk, that PASID would be refused as a record that cannot be made
 * (out of memory), not as the space being full. */
static void tiny_space_never_hands_out_zero(void **state)
{
	for (unsigned bits = 1; bits <= 5; bits++) {
		struct world *w = mk(bits, 2, 100);
		struct pasid_err err;
		unsigned n = 0;
		uint32_t p;
		int rc;

		while ((rc = pasid_alloc(&w->m, 1, &p, &err)) == 0) {
			assert_int_not_equal(p, 0);
			assert_true(p < (1u << bits));
			n++;
		}
		assert_int_equal(n, (1u << bits) - 1);
		assert_int_equal(rc, -XEN_ENOSPC);
		assert_int_equal(err.reason, PADDOCK_PASID_R_SPACE);
		done(w);
	}
}

static void route_fault_counts(void **state)
{
	struct world *w = mk(10, 3, 8);
	struct pasid_err err;
	uint32_t a = alloc_ok(w, 1), b = alloc_ok(w, 1), c = alloc_ok(w, 2);
	struct paddock_pasid_info hv0 = info_of(w, DOMID_HYPERVISOR);

	bind_ok(w, 1, b, WORLD_DEV(1), PASID_ENTRY_SECOND_LEVEL);
	/* Its own device, its own PASID: its fault. */
	assert_int_equal(pasid_route_fault(&w->m, 1, a), 1);
	assert_int_equal(pasid_route_fault(&w->m, 1, a), 1);
	assert_int_equal(pasid_route_fault(&w->m, 2, c), 2);
	assert_int_equal(pasid_free(&w->m, 1, b, &err), 0); /* parked */
	assert_int_equal(pasid_route_fault(&w->m, 1, b), PASID_DOMID_NONE);
	/* Free, never-allocated, zero and outside the space: still the
	 * device owner's, on a PASID it does not hold. */
	assert_int_equal(pasid_route_fault(&w->m, 1, 1000), 1);
	assert_int_equal(pasid_route_fault(&w->m, 1, 0), 1);
	assert_int_equal(pasid_route_fault(&w->m, 2, 1u << 10), 2);
	assert_int_equal(pasid_route_fault(&w->m, 2, 0xFFFFFFFFu), 2);
	assert_int_equal(info_of(w, 1).faults, 4);
	assert_int_equal(info_of(w, 1).faults_foreign, 2);
	assert_int_equal(info_of(w, 1).faults_suppressed, 1);
	assert_int_equal(info_of(w, 2).faults, 3);
	assert_int_equal(info_of(w, 2).faults_foreign, 2);
	assert_int_equal(info_of(w, 2).faults_suppressed, 0);
	assert_int_equal(pasid_unbind(&w->m, 1, b, WORLD_DEV(1), &err), 0);
	assert_int_equal(pasid_route_fault(&w->m, 1, b), 1); /* now free */
	assert_int_equal(info_of(w, 1).faults_foreign, 3);
	assert_int_equal(info_of(w, 1).faults_suppressed, 1);
	/* Nobody's device (or an id no set can have): the hypervisor's. */
	assert_int_equal(pasid_route_fault(&w->m, DOMID_HYPERVISOR, c),
			 DOMID_HYPERVISOR);
	assert_int_equal(pasid_route_fault(&w->m, 0xFFFF, 1000),
			 DOMID_HYPERVISOR);
	assert_int_equal(info_of(w, DOMID_HYPERVISOR).faults, hv0.faults + 2);
	assert_int_equal(info_of(w, DOMID_HYPERVISOR).faults_foreign,
			 hv0.faults_foreign + 2);
	assert_int_equal(info_of(w, 2).faults, 3);
	/* Routing holds a reference only while it runs. */
	assert_int_equal(pasid_free(&w->m, 1, a, &err), 0);
	assert_int_equal(state_of(w, a), PASID_FREE);
	assert_null(pasid_lookup_get(&w->m, 1u << 10));
	done(w);
}

/*
 * A device that emits another domain's PASID (hardware lets it emit any
 * value): the fault is its owner's, counted as foreign, and the PASID's
 * owner is not charged, whatever state its PASID is in.
 */
static void route_fault_by_source_and_pasid(void **state)
{
	struct world *w = mk(10, 3, 8);
	struct pasid_err err;
	uint32_t live = alloc_ok(w, 2), bound = alloc_ok(w, 2);
	uint32_t parked = alloc_ok(w, 2);
	struct paddock_pasid_info b0, b1;

	bind_ok(w, 2, bound, WORLD_DEV(2), PASID_ENTRY_SECOND_LEVEL);
	bind_ok(w, 2, parked, WORLD_DEV(2), PASID_ENTRY_SECOND_LEVEL);
	assert_int_equal(pasid_free(&w->m, 2, parked, &err), 0);
	b0 = info_of(w, 2);
	const uint32_t victims[] = {live, bound, parked};
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(pasid_route_fault(&w->m, 1, victims[i]), 1);
	assert_int_equal(info_of(w, 1).faults, 3);
	assert_int_equal(info_of(w, 1).faults_foreign, 3);
	assert_int_equal(info_of(w, 1).faults_suppressed, 0);
	b1 = info_of(w, 2);
	assert_memory_equal(&b1, &b0, sizeof(b0));
	/* The owner's own device still files its own faults. */
	assert_int_equal(pasid_route_fault(&w->m, 2, bound), 2);
	assert_int_equal(pasid_route_fault(&w->m, 2, parked), PASID_DOMID_NONE);
	assert_int_equal(info_of(w, 2).faults, b0.faults + 1);
	assert_int_equal(info_of(w, 2).faults_foreign, 0);
	assert_int_equal(info_of(w, 2).faults_suppressed,
			 b0.faults_suppressed + 1);
	pasid_unbind(&w->m, 2, parked, WORLD_DEV(2), &err);
	done(w);
}

/* Index of the first log entry at or after `from` with op `op`, or -1. */
static int log_find(const struct mock_iommu *mi, unsigned from, char op,
		    uint32_t pasid)
{
	for (unsigned i = from; i < mi->nlog && i < MOCK_LOG; i++)
		if (mi->log[i].op == op &&
		    (op == 'W' || mi->log[i].pasid == pasid))
			return (int)i;
	return -1;
}

static void iommu_order_on_free_and_unbind(void **state)
{
	struct world *w = mk(10, 2, 8);
	struct pasid_err err;
	uint32_t p = alloc_ok(w, 1);
	struct mock_iommu *mi = &w->iommu[0];
	unsigned from;
	int i, v, wt, c;

	bind_ok(w, 1, p, WORLD_DEV(1), PASID_ENTRY_SECOND_LEVEL);
	/* bind: install, invalidate, wait. */
	assert_int_equal(mi->nlog, 3);
	assert_int_equal(mi->log[0].op, 'I');
	assert_int_equal(mi->log[1].op, 'V');
	assert_int_equal(mi->log[2].op, 'W');
	from = mi->nlog;
	assert_int_equal(pasid_free(&w->m, 1, p, &err), 0);
	/* free: block (it queues its own invalidations), then wait. */
	i = log_find(mi, from, 'B', p);
	wt = log_find(mi, from, 'W', 0);
	assert_true(i >= 0 && wt > i);
	assert_int_equal(mi->nlog, from + 2);
	assert_int_equal(mock_entry(mi, WORLD_DEV(1), p)->cfg.kind,
			 PASID_ENTRY_BLOCKED);
	assert_false(mock_entry(mi, WORLD_DEV(1), p)->stale);
	assert_int_equal(log_find(mi, from, 'C', p), -1);
	from = mi->nlog;
	assert_int_equal(pasid_unbind(&w->m, 1, p, WORLD_DEV(1), &err), 0);
	c = log_find(mi, from, 'C', p);
	v = log_find(mi, from, 'V', p);
	wt = log_find(mi, from, 'W', 0);
	assert_true(c >= 0 && v > c && wt > v);
	assert_int_equal(mi->nlog, from + 3);
	assert_int_equal(state_of(w, p), PASID_FREE);
	done(w);
}

static void iommu_order_on_teardown(void **state)
{
	struct world *w = mk(10, 2, 8);
	uint32_t p[3];
	unsigned from;

	for (int k = 0; k < 3; k++) {
		p[k] = alloc_ok(w, 1);
		bind_ok(w, 1, p[k], WORLD_DEV(1), PASID_ENTRY_SECOND_LEVEL);
	}
	from = w->iommu[0].nlog;
	pasid_domain_teardown(&w->m, 1);
	/* The batch: every entry blocked, one wait; then every entry
	 * cleared and invalidated, one wait.  Nothing is cleared before it
	 * was blocked and the block waited for. */
	for (int k = 0; k < 3; k++) {
		struct mock_iommu *mi = &w->iommu[0];
		int b = log_find(mi, from, 'B', p[k]);
		int c = log_find(mi, from, 'C', p[k]);

		assert_true(b >= (int)from && b < (int)from + 3);
		assert_int_equal(mi->log[from + 3].op, 'W');
		assert_true(c > (int)from + 3);
		assert_true(log_find(mi, c + 1, 'V', p[k]) > c);
		assert_true(log_find(mi, from, 'I', p[k]) < 0);
	}
	assert_int_equal(w->iommu[0].nlog, from + 3 + 1 + 3 * 2 + 1);
	assert_int_equal(w->iommu[0].log[w->iommu[0].nlog - 1].op, 'W');
	assert_int_equal(w->iommu[0].nentries, 0);
	done(w);
}

struct watch {
	struct world *w;
	uint32_t pasid;
	unsigned ops, held_at_op, blocked_waits;
	bool blocked;
};

/* On every IOMMU call about the watched PASID (and every wait): the
 * PASID must still be held, not recycled, since the manager is still
 * cleaning up after it. */
static void watch_hook(void *ctx, struct mock_iommu *mi,
		       const struct mock_op *op)
{
	struct watch *wt = ctx;
	struct pasid_record *r;

	if (op->op != 'W' && op->pasid != wt->pasid)
		return;
	if (op->op == 'B')
		wt->blocked = true;
	if (op->op == 'W' && wt->blocked)
		wt->blocked_waits++;
	wt->ops++;
	r = pasid_lookup_get(&wt->w->m, wt->pasid);
	if (r) {
		wt->held_at_op++;
		pasid_put(&wt->w->m, wt->pasid); /* not the last */
	}
}

static void nothing_recycled_before_the_iommu_is_done(void **state)
{
	for (int how = 0; how < 2; how++) {
		struct world *w = mk(10, 2, 8);
		struct watch wt = {.w = w};
		struct pasid_err err;
		uint32_t p = alloc_ok(w, 1);

		bind_ok(w, 1, p, WORLD_DEV(1), PASID_ENTRY_SECOND_LEVEL);
		bind_ok(w, 1, p, WORLD_DEV2(1), PASID_ENTRY_FIRST_LEVEL);
		wt.pasid = p;
		for (int k = 0; k < 2; k++) {
			w->iommu[k].hook = watch_hook;
			w->iommu[k].hook_ctx = &wt;
		}
		if (how == 0) {
			assert_int_equal(pasid_free(&w->m, 1, p, &err), 0);
			assert_int_equal(
				pasid_unbind(&w->m, 1, p, WORLD_DEV(1), &err),
				0);
			assert_int_equal(
				pasid_unbind(&w->m, 1, p, WORLD_DEV2(1), &err),
				0);
		} else {
			pasid_domain_teardown(&w->m, 1);
		}
		/* free: 2 x (block, wait) + 2 x (clear, inv., wait);
		 * teardown: 2 blocks, 2 waits, 2 x (clear, inv.), 2 waits. */
		assert_int_equal(wt.ops, 10);
		assert_int_equal(wt.held_at_op, wt.ops);
		assert_true(wt.blocked_waits >= 2);
		assert_int_equal(state_of(w, p), PASID_FREE);
		for (int k = 0; k < 2; k++)
			w->iommu[k].hook = NULL;
		done(w);
	}
}

/*
 * Faults that arrive while a domain is torn down.  At every IOMMU call
 * the teardown makes, a device of the domain faults on each of its
 * PASIDs (as another CPU's fault polling would route them, without a
 * lock): from the moment teardown blocks a PASID until it recycles, each
 * such fault is suppressed (counted, not filed), never routed as live;
 * and once the block's wait is done, the PASID's entries are blocked
 * with faults suppressed, so the hardware reports none either.
 */
#define STORM_PASIDS 4

struct storm {
	struct world *w;
	uint32_t pasid[STORM_PASIDS];
	bool blocked[STORM_PASIDS]; /* teardown has blocked it */
	unsigned suppressed, live_after_block, live_before_block;
	unsigned blocked_at_wait, stale_at_wait, ops;
};

static void storm_hook(void *ctx, struct mock_iommu *mi,
		       const struct mock_op *op)
{
	struct storm *st = ctx;

	st->ops++;
	for (int k = 0; k < STORM_PASIDS; k++) {
		const struct mock_entry *e;
		domid_t to;

		if (op->op == 'B' && op->pasid == st->pasid[k])
			st->blocked[k] = true;
		to = pasid_route_fault(&st->w->m, 1, st->pasid[k]);
		if (to == PASID_DOMID_NONE)
			st->suppressed++;
		else if (st->blocked[k])
			st->live_after_block++;
		else
			st->live_before_block++;
		e = mock_entry(mi, WORLD_DEV(1), st->pasid[k]);
		if (op->op == 'W' && st->blocked[k] && e) {
			st->blocked_at_wait +=
				e->cfg.kind == PASID_ENTRY_BLOCKED;
			st->stale_at_wait += e->stale;
		}
	}
}

static void faults_during_teardown_are_suppressed(void **state)
{
	struct world *w = mk(10, 2, 16);
	struct storm st = {.w = w};
	struct pasid_err err;
	uint32_t routed0, suppressed0;

	for (int k = 0; k < STORM_PASIDS; k++) {
		st.pasid[k] = alloc_ok(w, 1);
		bind_ok(w, 1, st.pasid[k], WORLD_DEV(1),
			PASID_ENTRY_SECOND_LEVEL);
	}
	/* One was freed before: parked, still bound, blocked already. */
	assert_int_equal(pasid_free(&w->m, 1, st.pasid[3], &err), 0);
	st.blocked[3] = true;
	/* Before the teardown a fault on a live PASID is the domain's. */
	assert_int_equal(pasid_route_fault(&w->m, 1, st.pasid[0]), 1);
	routed0 = atomic_load(&w->m.fault_counts[1].routed);
	suppressed0 = atomic_load(&w->m.fault_counts[1].suppressed);
	w->iommu[0].hook = storm_hook;
	w->iommu[0].hook_ctx = &st;
	pasid_domain_teardown(&w->m, 1);
	w->iommu[0].hook = NULL;
	/* 3 blocks, a wait, 4 x (clear, invalidate), a wait: 13 calls,
	 * each with a fault on each of the 4 PASIDs. */
	assert_int_equal(st.ops, 13);
	assert_int_equal(st.live_after_block, 0);
	/* The blocks come one PASID at a time, each parked just before
	 * its block: a PASID not yet reached is still live (2 + 1 + 0
	 * faults, at the blocks of the first three). */
	assert_int_equal(st.live_before_block, 3);
	assert_int_equal(st.suppressed, 13 * STORM_PASIDS - 3);
	assert_int_equal(atomic_load(&w->m.fault_counts[1].suppressed),
			 suppressed0 + st.suppressed);
	assert_int_equal(atomic_load(&w->m.fault_counts[1].routed),
			 routed0 + st.live_before_block);
	/* At the first wait all four entries were blocked, not stale. */
	assert_true(st.blocked_at_wait >= STORM_PASIDS);
	assert_int_equal(st.stale_at_wait, 0);
	/* After the teardown the PASIDs are free: a late fault is the
	 * device's owner's, on a PASID it no longer holds. */
	assert_int_equal(state_of(w, st.pasid[0]), PASID_FREE);
	done(w);
}

/* Fills the space with domains 1..3, frees a seeded random half, so that
 * no 16-PASID chunk is wholly free: `into` still gets every free PASID
 * (fallbacks into the others' chunks), and is refused for space only
 * when none is left.  Returns how many it got. */
static unsigned fragment_then_drain(struct world *w, domid_t into,
				    uint64_t seed)
{
	static uint32_t held[4096];
	struct pasid_err err;
	unsigned n = 0, got = 0;
	uint32_t p, free_before;

	for (bool more = true; more;) {
		more = false;
		for (domid_t d = 1; d <= 3; d++)
			if (pasid_alloc(&w->m, d, &p, &err) == 0) {
				held[n++] = p;
				more = true;
			}
	}
	assert_int_equal(pasid_free_outside_ranges(&w->m), 0);
	for (unsigned i = 0; i < n; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		if ((seed >> 33) & 1)
			assert_int_equal(
				pasid_free(&w->m,
					   pasid_lookup(&w->m, held[i]).domain,
					   held[i], &err),
				0);
	}
	free_before = pasid_free_outside_ranges(&w->m);
	assert_true(free_before > n / 3);
	while (pasid_alloc(&w->m, into, &p, &err) == 0) {
		if (got % 7 == 0)
			bind_ok(w, into, p, WORLD_DEV(into),
				PASID_ENTRY_SECOND_LEVEL);
		got++;
	}
	assert_int_equal(err.reason, PADDOCK_PASID_R_SPACE);
	assert_int_equal(pasid_free_outside_ranges(&w->m), 0);
	assert_int_equal(got, free_before);
	return got;
}

static void fragmented_space_never_refuses(void **state)
{
	struct world *w = mk(12, 5, 4096);
	struct pasid_err err;
	unsigned got;

	got = fragment_then_drain(w, 4, 13);
	assert_true(info_of(w, 4).fallbacks > got / 2);
	assert_int_equal(info_of(w, 1).fallbacks, 0);
	assert_world_ok(w);
	/* A lender goes while its chunks hold lent PASIDs; they stay. */
	pasid_domain_teardown(&w->m, 1);
	assert_world_ok(w);
	assert_int_equal(info_of(w, 4).allocated, got);
	/* The borrower frees some, then everything it holds goes. */
	assert_int_equal(
		pasid_free(&w->m, 4, 1 + (uint32_t)(got % 100), &err) == 0 ||
			err.reason != 0,
		true);
	assert_world_ok(w);
	pasid_domain_teardown(&w->m, 4);
	assert_world_ok(w);
	assert_int_equal(pasid_free_outside_ranges(&w->m),
			 4095 - info_of(w, 2).allocated -
				 info_of(w, 3).allocated -
				 info_of(w, DOMID_HYPERVISOR).allocated);
	done(w);
}

/* Same, around a static range: the range's PASIDs are never lent, and
 * the free ends of the chunks it touches are. */
static void fallbacks_keep_out_of_ranges(void **state)
{
	struct world *w = mk(12, 5, 4096);
	struct pasid_set_cfg r = {
		.domain = 5, .quota = 40, .range_lo = 1000, .range_hi = 1039};
	struct pasid_err err;
	uint32_t p;

	assert_int_equal(pasid_set_create(&w->m, &r, &err), 0);
	fragment_then_drain(w, 4, 7);
	for (int i = 0; i < 40; i++) {
		assert_int_equal(pasid_alloc(&w->m, 5, &p, &err), 0);
		assert_true(p >= 1000 && p <= 1039);
	}
	assert_world_ok(w);
	/* 992..999 share the range's first chunk, which no domain owns;
	 * fallbacks took them, so no range may be made over them. */
	r.domain = 6;
	r.quota = 1;
	r.range_lo = 992;
	r.range_hi = 999;
	for (p = 992; p <= 999; p++)
		assert_int_not_equal(pasid_lookup(&w->m, p).state, PASID_FREE);
	assert_int_equal(pasid_set_create(&w->m, &r, &err), -XEN_EBUSY);
	assert_world_ok(w);
	done(w);
}

static unsigned blocks_of(const uint32_t *p, unsigned n, uint32_t *blocks)
{
	unsigned nb = 0;

	for (unsigned i = 0; i < n; i++) {
		uint32_t b = p[i] / 64;
		unsigned j;

		for (j = 0; j < nb && blocks[j] != b; j++)
			;
		if (j == nb)
			blocks[nb++] = b;
	}
	return nb;
}

static void clustering_interleaved(void **state)
{
	struct world *w = mk(14, 5, 200);
	static uint32_t p[4][200], blocks[4][200];
	unsigned nb[4];
	const unsigned n = 150;

	for (unsigned i = 0; i < n; i++)
		for (unsigned d = 1; d <= 4; d++)
			p[d - 1][i] = alloc_ok(w, (domid_t)d);
	for (unsigned d = 0; d < 4; d++) {
		nb[d] = blocks_of(p[d], n, blocks[d]);
		/* The first chunk packs with the others' in block 0; the
		 * other 134 PASIDs fill 3 blocks of their own. */
		if (nb[d] > 4)
			fail_msg("domain %u spread over %u blocks", d + 1,
				 nb[d]);
	}
	for (unsigned a = 0; a < 4; a++)
		for (unsigned b = a + 1; b < 4; b++)
			for (unsigned i = 1; i < nb[a]; i++)
				for (unsigned j = 1; j < nb[b]; j++)
					if (blocks[a][i] == blocks[b][j])
						fail_msg("block %u shared by "
							 "domains %u and %u",
							 blocks[a][i], a + 1,
							 b + 1);
	done(w);
}

static void clustering_survives_churn(void **state)
{
	struct world *w = mk(14, 3, 64);
	struct pasid_err err;
	static uint32_t p[2][64], blocks[2][64];

	for (int round = 0; round < 20; round++) {
		for (unsigned i = 0; i < 40; i++)
			for (unsigned d = 0; d < 2; d++)
				p[d][i] = alloc_ok(w, (domid_t)(d + 1));
		for (unsigned d = 0; d < 2; d++) {
			unsigned nb = blocks_of(p[d], 40, blocks[d]);

			/* The first chunks pack into block 0; the rest of
			 * each domain's 40 fill a block of its own. */
			if (nb > 2)
				fail_msg("round %d: domain %u over %u blocks",
					 round, d + 1, nb);
		}
		for (unsigned i = 0; i < 40; i++)
			for (unsigned d = 0; d < 2; d++)
				assert_int_equal(pasid_free(&w->m,
							    (domid_t)(d + 1),
							    p[d][i], &err),
						 0);
	}
	assert_int_not_equal(p[0][39] / 64, p[1][39] / 64);
	done(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(walk_all_transitions),
		cmocka_unit_test(free_of_bound_parks_until_last_unbind),
		cmocka_unit_test(holder_keeps_parked_pasid_until_put),
		cmocka_unit_test(teardown_parks_and_last_put_frees_set),
		cmocka_unit_test(teardown_without_holders_leaves_nothing),
		cmocka_unit_test(sets_share_a_slab),
		cmocka_unit_test(a_spare_chunk_spares_the_pool),
		cmocka_unit_test(a_lent_pasid_comes_home),
		cmocka_unit_test(a_fallback_hint_stays_out_of_a_new_range),
		cmocka_unit_test(fini_with_holders_leaks_nothing),
		cmocka_unit_test(quota_stays_charged_while_parked),
		cmocka_unit_test(churn_with_bindings_never_exceeds_quota),
		cmocka_unit_test(set_quota_shrink_refuses_until_use_falls),
		cmocka_unit_test(ranges_are_exclusive),
		cmocka_unit_test(adjacent_ranges_return_to_pool),
		cmocka_unit_test(range_full_and_late_range_refused),
		cmocka_unit_test(range_space_refusal_text),
		cmocka_unit_test(pool_space_exhaustion),
		cmocka_unit_test(tiny_space_never_hands_out_zero),
		cmocka_unit_test(wide_space_exhausted_twice),
		cmocka_unit_test(route_fault_counts),
		cmocka_unit_test(route_fault_by_source_and_pasid),
		cmocka_unit_test(iommu_order_on_free_and_unbind),
		cmocka_unit_test(iommu_order_on_teardown),
		cmocka_unit_test(faults_during_teardown_are_suppressed),
		cmocka_unit_test(nothing_recycled_before_the_iommu_is_done),
		cmocka_unit_test(clustering_interleaved),
		cmocka_unit_test(fragmented_space_never_refuses),
		cmocka_unit_test(range_refused_over_an_owned_chunk),
		cmocka_unit_test(fallbacks_keep_out_of_ranges),
		cmocka_unit_test(clustering_survives_churn),
	};

	RUN_TESTS(tests);
}
