/* SPDX-License-Identifier: MIT */
/*
 * The lock witnesses catch a lock not taken on every run, not only when a
 * race shows (docs/design.md, "Lock order"): in the host tests' builds
 * (PADDOCK_LOCK_CHECKS) a function handed a witness for a lock its caller
 * does not hold aborts, whether the lock is free, held by another thread,
 * or another set's.  Each such call runs in a child process
 * (tests/support/lock_check.h).  The VT-d unit lock has the same tests in
 * tests/vtd/test_vtd.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../hypervisor/pasid/internal.h"
#include "lock_check.h"
#include "support.h"
#include "world.h"

#include <paddock/domain.h>

#define RANGED_DOM 5 /* a set with its own range, besides the world's */

struct fixture {
	struct world *w;
	struct pasid_mgr *m;
	struct domain *d;
	struct spinlock lone;
};

static int setup(void **state)
{
	static struct fixture f;
	struct world_cfg cfg = {.bits = 20, .ndoms = 2, .quota = 4};
	struct pasid_set_cfg ranged = {.domain = RANGED_DOM,
				       .quota = 4,
				       .range_lo = 64,
				       .range_hi = 127};
	struct pasid_err err;

	f.w = world_new(&cfg);
	assert_non_null(f.w);
	f.m = &f.w->m;
	f.d = f.w->doms[1];
	assert_int_equal(pasid_set_create(f.m, &ranged, &err), 0);
	spin_init(&f.lone);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char why[200];

	assert_int_equal(world_check(f->w, why, sizeof(why)), 0);
	world_free(f->w);
	return 0;
}

/* ---- calls made without their lock ------------------------------------ */

static void assert_lone_held(void *ctx)
{
	spin_assert_held(&((struct fixture *)ctx)->lone);
}

static void unlock_lone(void *ctx)
{
	spin_unlock(&((struct fixture *)ctx)->lone);
}

static struct pasid_set_locked made_up_set(struct fixture *f, domid_t dom)
{
	return (struct pasid_set_locked){pasid_set_of(f->m, dom)};
}

static void take_pasid_unlocked(void *ctx)
{
	struct fixture *f = ctx;

	set_take_pasid(f->m, made_up_set(f, 1));
}

static void take_ranged_pasid_unlocked(void *ctx)
{
	struct fixture *f = ctx;

	set_take_pasid(f->m, made_up_set(f, RANGED_DOM));
}

static void return_pasid_unlocked(void *ctx)
{
	struct fixture *f = ctx;

	set_return_pasid(f->m, made_up_set(f, RANGED_DOM), 64);
}

static void unlock_set_unlocked(void *ctx)
{
	struct pasid_set_locked sl = made_up_set(ctx, 1);

	unlock_set(&sl);
}

static void range_check_unlocked(void *ctx)
{
	struct fixture *f = ctx;

	pool_range_mark((struct pasid_sets_locked){f->m}, 128, 191);
}

static void range_reserve_unlocked(void *ctx)
{
	struct fixture *f = ctx;

	pool_reserve_range((struct pasid_sets_locked){f->m}, 128, 191);
}

static void unlock_sets_unlocked(void *ctx)
{
	struct pasid_sets_locked all = {((struct fixture *)ctx)->m};

	unlock_sets(&all);
}

static void unlock_pool_unlocked(void *ctx)
{
	struct pasid_pool_locked pl = {((struct fixture *)ctx)->m};

	unlock_pool(&pl);
}

static void domain_held_unlocked(void *ctx)
{
	domain_held((struct domain_locked){((struct fixture *)ctx)->d});
}

static void unlock_domain_unlocked(void *ctx)
{
	struct domain_locked dl = {((struct fixture *)ctx)->d};

	domain_unlock(&dl);
}

static void (*const unlocked_calls[])(void *) = {
	assert_lone_held,      unlock_lone,
	take_pasid_unlocked,   take_ranged_pasid_unlocked,
	return_pasid_unlocked, unlock_set_unlocked,
	range_check_unlocked,  range_reserve_unlocked,
	unlock_sets_unlocked,  unlock_pool_unlocked,
	domain_held_unlocked,  unlock_domain_unlocked,
};

static void each_unlocked_call_aborts(void **state)
{
	for (unsigned i = 0; i < ARRAY_SIZE(unlocked_calls); i++) {
		if (!aborts_in_child(unlocked_calls[i], *state))
			fail_msg("unlocked call %u was not caught", i);
	}
}

/* Holding one set's lock is no licence to work on another. */
static void another_sets_lock_is_caught(void **state)
{
	struct fixture *f = *state;
	struct pasid_set_locked sl = lock_set(pasid_set_of(f->m, RANGED_DOM));

	assert_true(aborts_in_child(take_pasid_unlocked, f));
	unlock_set(&sl);
}

/* Held, but by another thread: still not the caller's to use. */
static void another_threads_lock_is_caught(void **state)
{
	struct fixture *f = *state;
	struct spinlock *lock = &pasid_set_of(f->m, 1)->lock;

	assert_true(aborts_while_held_elsewhere(lock, take_pasid_unlocked, f));
	assert_true(aborts_while_held_elsewhere(lock, unlock_set_unlocked, f));
}

/* The real locks pass the checks, and unlocking spends the witness. */
static void held_locks_pass(void **state)
{
	struct fixture *f = *state;
	struct pasid_sets_locked all = lock_sets(f->m);
	struct pasid_pool_locked pl;
	struct domain_locked dl;
	bool range_free;

	/* Asserts run with no lock held: a failed one must not leave one
	 * taken for the teardown to wait on. */
	assert_ptr_equal(sets_held(all), f->m);
	range_free = pool_range_mark(all, 128, 191);
	unlock_sets(&all);
	assert_true(range_free); /* nothing handed out there yet */
	assert_null(all.mgr);

	pl = lock_pool(f->m);
	assert_ptr_equal(pool_held(pl), f->m);
	unlock_pool(&pl);
	assert_null(pl.mgr);

	dl = domain_lock(f->d);
	assert_ptr_equal(domain_held(dl), f->d);
	domain_unlock(&dl);
	assert_null(dl.d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(each_unlocked_call_aborts,
						setup, teardown),
		cmocka_unit_test_setup_teardown(another_sets_lock_is_caught,
						setup, teardown),
		cmocka_unit_test_setup_teardown(another_threads_lock_is_caught,
						setup, teardown),
		cmocka_unit_test_setup_teardown(held_locks_pass, setup,
						teardown),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	printf("%d passed, %d failed\n", (int)ARRAY_SIZE(tests) - failed,
	       failed);
	return failed != 0;
}
