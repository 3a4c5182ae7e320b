/* SPDX-License-Identifier: MIT */
/*
 * Host self-test of the in-guest test framework (guests/lib/test.c): these
 * tests pass, fail and skip on purpose, and guests/check.sh compares what
 * the runner prints with expected.txt.  Built with the host compiler, which
 * provides the same __start_/__stop_ section symbols as ld.lld.
 */
#include <string.h>

#include "test.h"

TEST(self, passes)
{
	EXPECT_EQ(1 + 1, 2);
	EXPECT_NE(1, 2);
	EXPECT_TRUE(1);
	EXPECT_FALSE(0);
	EXPECT_LT(-1, 0);
	EXPECT_GE(0u, 0u);
	EXPECT_STR_CONTAINS("PASID quota exhausted: 3/3", "quota exhausted");
	EXPECT_STR_EQ("abc", "abc");
}

TEST(self, fails_eq)
{
	EXPECT_EQ(2 + 2, 5);
}

TEST(self, fails_twice)
{
	EXPECT_TRUE(0 > 1);
	EXPECT_STR_CONTAINS("no such text", "quota");
}

static int after_assert;

TEST(self, assert_ends_test)
{
	ASSERT_EQ(1, 2);
	after_assert = 1;
}

TEST(self, assert_really_ended)
{
	EXPECT_EQ(after_assert, 0);
}

TEST(self, skips)
{
	SKIP("nothing to do on %s", "the host");
}

TEST(self, notes)
{
	test_note("a note with %d", 42);
	EXPECT_EQ(test_failures(), 0);
}
