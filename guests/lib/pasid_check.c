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

long abi_errno_of(uint32_t reason)
{
	static const int errnos[] = {
		[PADDOCK_PASID_R_BAD_SIZE] = XEN_EINVAL,
		[PADDOCK_PASID_R_BAD_POINTER] = XEN_EFAULT,
		[PADDOCK_PASID_R_UNKNOWN_CMD] = XEN_ENOSYS,
		[PADDOCK_PASID_R_NOT_PRIVILEGED] = XEN_EPERM,
		[PADDOCK_PASID_R_QUOTA] = XEN_EMFILE,
		[PADDOCK_PASID_R_SPACE] = XEN_ENOSPC,
		[PADDOCK_PASID_R_OUT_OF_RANGE] = XEN_EINVAL,
		[PADDOCK_PASID_R_NOT_OWNER] = XEN_EPERM,
		[PADDOCK_PASID_R_NOT_ALLOCATED] = XEN_ENOENT,
		[PADDOCK_PASID_R_PARKED] = XEN_ENOENT,
		[PADDOCK_PASID_R_NO_DEVICE] = XEN_ENODEV,
		[PADDOCK_PASID_R_DEVICE_NOT_OWNED] = XEN_EPERM,
		[PADDOCK_PASID_R_ALREADY_BOUND] = XEN_EEXIST,
		[PADDOCK_PASID_R_NOT_BOUND] = XEN_ENOENT,
		[PADDOCK_PASID_R_BAD_BIND_TYPE] = XEN_EINVAL,
		[PADDOCK_PASID_R_BAD_TABLE_ROOT] = XEN_EINVAL,
		[PADDOCK_PASID_R_NO_MEMORY] = XEN_ENOMEM,
		[PADDOCK_PASID_R_NO_DOMAIN] = XEN_ESRCH,
		[PADDOCK_PASID_R_BAD_ARGUMENT] = XEN_EINVAL,
		[PADDOCK_PASID_R_IOMMU] = 0,
		[PADDOCK_PASID_R_HYPERVISOR_SET] = XEN_EPERM,
	};
	_Static_assert(sizeof(errnos) / sizeof(errnos[0]) ==
			       PADDOCK_PASID_R_MAX + 1,
		       "a reason code has no XEN_E* pairing");

	return reason <= PADDOCK_PASID_R_MAX ? -errnos[reason] : 0;
}

int expect_refused_(const char *file, int line, const char *expr, long ret,
		    const struct pasid_why *why, uint32_t reason)
{
	long err = abi_errno_of(reason);
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

void expect_unharmed_(const char *file, int line,
		      const struct paddock_pasid_info *before, uint32_t refused,
		      uint32_t mine, uint64_t cookie)
{
	struct paddock_pasid_info now;
	struct pasid_why why;
	uint64_t held = 0;

	if (!expect_ok_(file, line, "QUERY", pasid_query(&now, &why), &why))
		return;
	expect_same_state_(file, line, before, &now);
	if (now.refusals != before->refusals + refused)
		test_fail(file, line,
			  "expected %u refusals to be counted, %u were",
			  refused, now.refusals - before->refusals);
	if (!expect_ok_(file, line, "GET_DATA(mine)",
			pasid_get_data(mine, &held, &why), &why))
		return;
	if (held != cookie)
		test_fail(file, line, "own PASID's cookie changed to %#lx",
			  (unsigned long)held);
}

uint64_t hostile_fl_table(uint64_t (*pages)[512], uint64_t victim)
{
	/* VT-d 9.7: P, R/W, U/S; PS at the PDPTE maps 1 GiB. */
	const uint64_t prw = 0x7, ps = 0x80;
	uint64_t at[HOSTILE_FL_PAGES];

	for (unsigned i = 0; i < HOSTILE_FL_PAGES; i++) {
		at[i] = (uint64_t)(uintptr_t)pages[i];
		memset(pages[i], 0, sizeof(pages[i]));
	}
	pages[0][0] = at[1] | prw;
	for (uint64_t g = 0; g < 512; g++)
		pages[1][g] = g << 30 | ps | prw;
	pages[0][1] = at[2] | prw;
	pages[2][0] = at[3] | prw;
	pages[3][0] = at[4] | prw;
	pages[4][0] = (victim & ~0xfffull) | prw;
	return at[0];
}
