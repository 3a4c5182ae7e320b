/* SPDX-License-Identifier: MIT */
/* The in-guest test runner; see test.h for the output it promises. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "test.h"

extern const struct test_case __start_paddock_tests[];
extern const struct test_case __stop_paddock_tests[];

static const struct test_case *current;
static int cur_failures;
static int cur_skipped;
/* The first failure, reported on the FAIL line. */
static char first_msg[256];
static char skip_msg[160];

static void vformat(char *buf, size_t len, const char *fmt, va_list ap)
{
	vsnprintf(buf, len, fmt, ap);
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[224];
	va_list ap;

	va_start(ap, fmt);
	vformat(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!current) {
		printf("TEST FAIL (outside a test): %s:%d: %s\n", file, line,
		       msg);
		return;
	}
	if (cur_failures++ == 0)
		snprintf(first_msg, sizeof(first_msg), "%s:%d: %s", file, line,
			 msg);
	else
		printf("TEST NOTE %s.%s: also %s:%d: %s\n", current->suite,
		       current->name, file, line, msg);
}

void test_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vformat(skip_msg, sizeof(skip_msg), fmt, ap);
	va_end(ap);
	cur_skipped = 1;
}

void test_note(const char *fmt, ...)
{
	char msg[224];
	va_list ap;

	va_start(ap, fmt);
	vformat(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (current)
		printf("TEST NOTE %s.%s: %s\n", current->suite, current->name,
		       msg);
	else
		printf("TEST NOTE: %s\n", msg);
}

int test_failures(void)
{
	return cur_failures;
}

int test_str_contains_(const char *file, int line, const char *hay_expr,
		       const char *hay, const char *needle)
{
	if (hay && needle && strstr(hay, needle))
		return 1;
	test_fail(file, line, "expected %s (\"%s\") to contain \"%s\"",
		  hay_expr, hay ? hay : "(null)", needle ? needle : "(null)");
	return 0;
}

int test_str_eq_(const char *file, int line, const char *a_expr, const char *a,
		 const char *b)
{
	if (a && b && strcmp(a, b) == 0)
		return 1;
	test_fail(file, line, "expected %s (\"%s\") to equal \"%s\"", a_expr,
		  a ? a : "(null)", b ? b : "(null)");
	return 0;
}

int test_run_all(void)
{
	int passed = 0, failed = 0, ran = 0;

	for (const struct test_case *t = __start_paddock_tests;
	     t < __stop_paddock_tests; t++) {
		current = t;
		ran++;
		cur_failures = 0;
		cur_skipped = 0;
		printf("TEST RUN %s.%s\n", t->suite, t->name);
		t->fn();
		if (cur_failures) {
			printf("TEST FAIL %s.%s: %s\n", t->suite, t->name,
			       first_msg);
			failed++;
		} else if (cur_skipped) {
			printf("TEST SKIP %s.%s: %s\n", t->suite, t->name,
			       skip_msg);
		} else {
			printf("TEST PASS %s.%s\n", t->suite, t->name);
			passed++;
		}
	}
	current = NULL;
	/* A guest whose tests all vanished must not look like a pass. */
	if (ran == 0) {
		printf("TEST FAIL (no tests): no TEST() records were linked\n");
		failed = 1;
	}
	printf("%d passed, %d failed\n", passed, failed);
	fflush(stdout);
	return failed ? 1 : 0;
}

/* A test guest needs no main of its own; one that defines it wins. */
__attribute__((weak)) int main(int argc, char **argv)
{
	return test_run_all();
}
