/* SPDX-License-Identifier: MIT */
/* cmocka helpers shared by the unit tests (include after cmocka.h). */
#ifndef PADDOCK_TESTS_CHECK_H
#define PADDOCK_TESTS_CHECK_H

#include <stdio.h>

#include "world.h"

/** Invariants hold and both mock IOMMUs match the manager. */
#define assert_world_ok(w)                                                     \
	do {                                                                   \
		char why_[256] = "";                                           \
		if (world_check((w), why_, sizeof(why_)) != 0)                 \
			fail_msg("world broken: %s", why_);                    \
	} while (0)

/** Nothing that a refused call must leave alone has changed. */
#define assert_snap_same(a, b)                                                 \
	do {                                                                   \
		char why_[256] = "";                                           \
		if (world_snap_cmp((a), (b), why_, sizeof(why_)) != 0)         \
			fail_msg("state changed: %s", why_);                   \
	} while (0)

/** cmocka's runner, closing with the suite line the scripts read. */
#define RUN_TESTS(tests)                                                       \
	do {                                                                   \
		int failed_ = cmocka_run_group_tests((tests), NULL, NULL);     \
		printf("%d passed, %d failed\n",                               \
		       (int)ARRAY_SIZE(tests) - failed_, failed_);             \
		return failed_ != 0;                                           \
	} while (0)

#endif
