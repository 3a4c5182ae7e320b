/* SPDX-License-Identifier: MIT */
/* PASID test checks; see pasid_check.h. */
#include <string.h>

#include "pasid_check.h"

int expect_ok_(const char *file, int line, const char *expr, long ret,
	       const struct pasid_why *why)
{
	if (ret == 0)
		return 1;
	test_fail(file, line, "expected %s to succeed, got %ld %s, %s \"%s\"",
		  expr, ret, xen_errno_str(ret),
		  why ? pasid_reason_str(why->code) : "?",
		  why ? why->text : "");
	return 0;
}

int expect_refused_(const char *file, int line, const char *expr, long ret,
		    const struct pasid_why *why, long err, uint32_t reason)
{
	int ok = 1;

	if (ret >= 0) {
		test_fail(file, line,
			  "expected %s to be refused (%s), it returned %ld",
			  expr, pasid_reason_str(reason), ret);
		return 0;
	}
	if (err != 0 && ret != err) {
		test_fail(file, line, "%s: expected %s, got %ld %s (%s \"%s\")",
			  expr, xen_errno_str(err), ret, xen_errno_str(ret),
			  pasid_reason_str(why->code), why->text);
		ok = 0;
	}
	if (why->code != reason) {
		test_fail(file, line,
			  "%s: expected reason %s, got %s (%ld %s) \"%s\"",
			  expr, pasid_reason_str(reason),
			  pasid_reason_str(why->code), ret, xen_errno_str(ret),
			  why->text);
		ok = 0;
	}
	if (why->text[0] == '\0' || strchr(why->text, '\n')) {
		test_fail(file, line,
			  "%s: expected a one-line reason text, got \"%s\"",
			  expr, why->text);
		ok = 0;
	}
	return ok;
}

void expect_same_state_(const char *file, int line,
			const struct paddock_pasid_info *b,
			const struct paddock_pasid_info *a)
{
#define SAME(field)                                                            \
	do {                                                                   \
		if (a->field != b->field)                                      \
			test_fail(file, line,                                  \
				  "own state changed: " #field " %lu -> %lu",  \
				  (unsigned long)b->field,                     \
				  (unsigned long)a->field);                    \
	} while (0)
	SAME(domain);
	SAME(flags);
	SAME(quota);
	SAME(allocated);
	SAME(bound);
	SAME(parked);
	SAME(peak);
	SAME(range_lo);
	SAME(range_hi);
	SAME(pasid_bits);
#undef SAME
	if (a->refusals < b->refusals)
		test_fail(file, line, "refusals went backwards: %lu -> %lu",
			  (unsigned long)b->refusals,
			  (unsigned long)a->refusals);
}
