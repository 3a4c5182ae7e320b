/* SPDX-License-Identifier: MIT */
/*
 * The aarch64 half of the test-only hypercall (docs/abi.md, "Test-only
 * hypercall"), linked into test images only: the generic test_op(), and
 * at the end of the run the WATCH checks on each watching domain's first
 * device.
 */
#include <paddock/hypercall.h>
#include <paddock/iommu_glue.h>
#include <paddock/selftest.h>
#include <paddock/system.h>
#include <asm/domain.h>
#include <asm/testop.h>
#include <drivers/iommu/smmuv3/smmuv3_glue.h>

long aarch64_test_op(struct domain *d, const uint64_t args[5])
{
	return test_op(d, d->cfg, args);
}

/*
 * QEMU 7.2's SMMU fetches only CD 0 (SSIDSIZE 0): the layer's default
 * PASID (CD 0, a copy of the PASID's CD) keeps fault routing right, and
 * the redirect then points the STE at CD[pasid] itself, S1CDMAX 0, with
 * CFGI_STE + CMD_SYNC (docs/smmuv3.md, "Real DMA").
 */
int arch_test_steer(uint32_t bdf, uint32_t pasid)
{
	int rc = iommu_set_rid_pasid(bdf, pasid);

	return rc ? rc
		  : smmuv3_test_redirect(arch_device_requester_id(bdf), pasid);
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
