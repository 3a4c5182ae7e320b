/* SPDX-License-Identifier: MIT */
/*
 * The in-guest test framework.
 *
 *	TEST(suite, name)
 *	{
 *		EXPECT_EQ(1 + 1, 2);
 *		ASSERT_TRUE(p != NULL);   (ends this test on failure)
 *	}
 *
 * TEST() records land in the paddock_tests linker section, in link order,
 * and main() (test.c; a guest with its own main calls test_run_all())
 * runs them all and prints, one line each:
 *
 *	TEST RUN suite.name
 *	TEST PASS suite.name
 *	TEST FAIL suite.name: file:line: expected A == B (0x1 vs 0x2)
 *	TEST SKIP suite.name: why
 *
 * then "N passed, N failed" (skips count as neither), and main's status
 * makes the domain power off cleanly when everything passed, or shut down
 * as crashed otherwise.  The RUN line is there so that a guest that dies
 * inside a test leaves the test's name in the log.  Additional failures in
 * the same test are printed as "TEST NOTE suite.name: ..." lines before the
 * FAIL line, which names the first one.
 */
#ifndef PADDOCK_GUEST_TEST_H
#define PADDOCK_GUEST_TEST_H

#include <stdint.h>

struct test_case {
	const char *suite;
	const char *name;
	void (*fn)(void);
};

#define TEST(suite, name)                                                      \
	static void test_##suite##_##name(void);                               \
	static const struct test_case test_rec_##suite##_##name                \
		__attribute__((section("paddock_tests"), used,                 \
			       aligned(8))) = {#suite, #name,                  \
					       test_##suite##_##name};         \
	static void test_##suite##_##name(void)

/* Records a failure of the running test; printf-style message. */
void test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Marks the running test skipped (only if it has not failed). */
void test_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Informational line tied to the running test: "TEST NOTE suite.name: ". */
void test_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Failures so far in the running test. */
int test_failures(void);
/* Runs every registered test; returns 0 if none failed, else 1. */
int test_run_all(void);

/*
 * Integer comparisons go through intmax_t/uintmax_t-sized values, so one
 * macro fits every integer type; the message shows both sides in hex and
 * decimal.
 */
#define TEST_CMP_(a, op, b, fatal)                                             \
	do {                                                                   \
		__typeof__(a) a_ = (a);                                        \
		__typeof__(b) b_ = (b);                                        \
		if (!(a_ op b_)) {                                             \
			test_fail(__FILE__, __LINE__,                          \
				  "expected %s %s %s (%ld vs %ld, "            \
				  "0x%lx vs 0x%lx)",                           \
				  #a, #op, #b, (long)a_, (long)b_,             \
				  (unsigned long)a_, (unsigned long)b_);       \
			if (fatal)                                             \
				return;                                        \
		}                                                              \
	} while (0)

#define EXPECT_EQ(a, b) TEST_CMP_(a, ==, b, 0)
#define EXPECT_NE(a, b) TEST_CMP_(a, !=, b, 0)
#define EXPECT_LT(a, b) TEST_CMP_(a, <, b, 0)
#define EXPECT_LE(a, b) TEST_CMP_(a, <=, b, 0)
#define EXPECT_GT(a, b) TEST_CMP_(a, >, b, 0)
#define EXPECT_GE(a, b) TEST_CMP_(a, >=, b, 0)
#define ASSERT_EQ(a, b) TEST_CMP_(a, ==, b, 1)
#define ASSERT_NE(a, b) TEST_CMP_(a, !=, b, 1)
#define ASSERT_LT(a, b) TEST_CMP_(a, <, b, 1)
#define ASSERT_LE(a, b) TEST_CMP_(a, <=, b, 1)
#define ASSERT_GT(a, b) TEST_CMP_(a, >, b, 1)
#define ASSERT_GE(a, b) TEST_CMP_(a, >=, b, 1)

#define TEST_BOOL_(cond, want, fatal)                                          \
	do {                                                                   \
		if (!(cond) != !(want)) {                                      \
			test_fail(__FILE__, __LINE__, "expected %s to be %s",  \
				  #cond, (want) ? "true" : "false");           \
			if (fatal)                                             \
				return;                                        \
		}                                                              \
	} while (0)

#define EXPECT_TRUE(cond)  TEST_BOOL_(cond, 1, 0)
#define EXPECT_FALSE(cond) TEST_BOOL_(cond, 0, 0)
#define ASSERT_TRUE(cond)  TEST_BOOL_(cond, 1, 1)
#define ASSERT_FALSE(cond) TEST_BOOL_(cond, 0, 1)

int test_str_contains_(const char *file, int line, const char *hay_expr,
		       const char *hay, const char *needle);
int test_str_eq_(const char *file, int line, const char *a_expr, const char *a,
		 const char *b);

#define EXPECT_STR_CONTAINS(hay, needle)                                       \
	((void)test_str_contains_(__FILE__, __LINE__, #hay, (hay), (needle)))
#define ASSERT_STR_CONTAINS(hay, needle)                                       \
	do {                                                                   \
		if (!test_str_contains_(__FILE__, __LINE__, #hay, (hay),       \
					(needle)))                             \
			return;                                                \
	} while (0)
#define EXPECT_STR_EQ(a, b)                                                    \
	((void)test_str_eq_(__FILE__, __LINE__, #a, (a), (b)))

/* Fails unconditionally with a message. */
#define FAIL(...) test_fail(__FILE__, __LINE__, __VA_ARGS__)
/* Skips the rest of the running test. */
#define SKIP(...)                                                              \
	do {                                                                   \
		test_skip(__VA_ARGS__);                                        \
		return;                                                        \
	} while (0)

#endif
