/* SPDX-License-Identifier: MIT */
/*
 * The test-only hypercall in an image that is not a test image: refused
 * (docs/abi.md, "Test-only hypercall").
 */
#include <asm/testop.h>
#include <xen/errno.h>

long aarch64_test_op(struct domain *d, const uint64_t args[5])
{
	(void)d;
	(void)args;
	return -XEN_ENOSYS;
}

void aarch64_test_end_of_run(void)
{
}
