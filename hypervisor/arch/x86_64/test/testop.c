/* SPDX-License-Identifier: MIT */
/*
 * What is x86 in the test-only hypercall (hypervisor/test/testop.c),
 * linked into test systems' images only (SYSTEM_TEST_<name> := 1 in
 * config/systems/[<arch>/]<name>.mk; docs/abi.md, "Test-only hypercall"): the
 * domains as the generic part needs them, waiting for an edu device to go
 * idle, and the synthetic RMRR of "paddock.test=rmrr".
 */
#include <paddock/selftest.h>
#include <paddock/start_info.h>
#include <asm/acpi.h>
#include <asm/console.h>
#include <asm/domain.h>
#include <asm/layout.h>
#include <asm/memory.h>
#include <asm/paging.h>
#include <asm/pci.h>
#include <asm/testop.h>

long x86_test_op(struct arch_domain *ad, const uint64_t args[5])
{
	return test_op(ad->d, ad->d->cfg, args);
}

/* VT-d: RID_PASID is honoured for untagged requests (docs/vtd.md). */
int arch_test_steer(uint32_t bdf, uint32_t pasid)
{
	return iommu_set_rid_pasid(bdf, pasid);
}

void x86_test_end_of_run(struct arch_domain *const *domains, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (test_watching(domains[i]->d))
			test_check_watch(
				domains[i]->d,
				test_edu_idle(domains[i]->d->dev_regs[0].phys,
					      domains[i]->d->dev_regs[0].size));
	}
}

/*
 * The synthetic RMRR (VT-d 8.4).  Its page is low RAM that Paddock never
 * uses (the image, heap and domain pool all lie above 1 MiB, and the
 * loader's data was copied out at boot), between two pages of the same
 * kind that stay outside it, so that a DMA next to it must still fault.
 * All three are claimed, so the boot-time memory check knows of them.
 */
#define RMRR_TEST_PAGE 0x90000ull
#define EDU_ID	       0x11e81234u

static struct {
	bool injected;
	uint32_t bdf;
	uint64_t page;
} rmrr_test;

void x86_test_rmrr_inject(bool overlap)
{
	const struct domain_cfg *cfg =
		system_config.ndomains ? &system_config.domains[0] : NULL;
	struct dmar_rmrr r = {.segment = 0, .nscopes = 1};
	uint64_t page =
		overlap ? PADDOCK_GUEST_BASE + PAGE_SIZE : RMRR_TEST_PAGE;
	uint32_t bdf = 0;
	bool found = false;

	for (unsigned k = 0; cfg && k < cfg->ndevices && !found; k++) {
		bdf = cfg->devices[k];
		found = pci_read32(bdf, 0) == EDU_ID;
	}
	if (!found) {
		console_printf(
			"x86: test: rmrr: the first domain owns no edu\n");
		return;
	}
	/* The page and both neighbours: free RAM, claimed (asm/memory.h) so
	 * that nothing else, the AP start-up page included, is there. */
	if (!overlap && x86_memory_claim(page - PAGE_SIZE, page + 2 * PAGE_SIZE,
					 "test RMRR page")) {
		console_printf("x86: test: rmrr: %lx-%lx is not free low RAM\n",
			       (uint64_t)(page - PAGE_SIZE),
			       (uint64_t)(page + 2 * PAGE_SIZE - 1));
		return;
	}
	/* VT-d 8.3.1: an endpoint scope, one hop from the device's own bus. */
	r.base = page;
	r.limit = page + PAGE_SIZE - 1;
	r.scopes[0].type = DMAR_SCOPE_PCI_ENDPOINT;
	r.scopes[0].start_bus = (uint8_t)(bdf >> 8);
	r.scopes[0].npath = 1;
	r.scopes[0].path[0].dev = (bdf >> 3) & 31;
	r.scopes[0].path[0].fn = bdf & 7;
	if (acpi_dmar_add_rmrr(&r))
		return;
	rmrr_test.injected = true;
	rmrr_test.bdf = bdf;
	rmrr_test.page = page;
	console_printf("x86: test: RMRR %lx-%lx injected for %02x:%02x.%x of "
		       "domain %s\n",
		       r.base, r.limit, bdf >> 8, (bdf >> 3) & 31, bdf & 7,
		       cfg->name);
}

bool arch_test_rmrr_page(uint32_t bdf, uint64_t *page)
{
	if (!rmrr_test.injected || rmrr_test.bdf != bdf)
		return false;
	*page = rmrr_test.page;
	return true;
}
