/* SPDX-License-Identifier: MIT */
/*
 * The aarch64 half of the test-only hypercall (docs/abi.md, "Test-only
 * hypercall"), linked into test images only: the generic test_op(), and
 * at the end of the run the WATCH checks on each watching domain's first
 * device.
 */
#include <paddock/hypercall.h>
#include <paddock/selftest.h>
#include <paddock/system.h>
#include <asm/domain.h>
#include <asm/testop.h>

long aarch64_test_op(struct domain *d, const uint64_t args[5])
{
	return test_op(d, d->cfg, args);
}

void aarch64_test_end_of_run(void)
{
	struct hv_system *sys = hv_system();

	for (unsigned i = 0; i < sys->ndomains; i++) {
		struct domain *d = sys->domains[i];
		if (test_watching(d))
			test_check_watch(d, test_edu_idle(d->dev_regs[0].phys,
							  d->dev_regs[0].size));
	}
}
