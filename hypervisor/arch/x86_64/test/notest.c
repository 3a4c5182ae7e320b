/* SPDX-License-Identifier: MIT */
/*
 * The test-only hypercall in a non-test image: refused as unknown
 * (docs/abi.md, "Test-only hypercall").
 */
#include <paddock/selftest.h>
#include <asm/console.h>
#include <asm/testop.h>
#include <xen/errno.h>

long x86_test_op(struct arch_domain *ad, const uint64_t args[5])
{
	(void)ad;
	(void)args;
	return -XEN_ENOSYS;
}

void x86_test_end_of_run(struct arch_domain *const *domains, unsigned n)
{
	(void)domains;
	(void)n;
}

void x86_test_rmrr_inject(bool overlap)
{
	(void)overlap;
	console_printf("x86: paddock.test=rmrr: not a test image, ignored\n");
}

bool arch_test_rmrr_page(uint32_t bdf, uint64_t *page)
{
	(void)bdf;
	(void)page;
	return false;
}
