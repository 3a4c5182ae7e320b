/* SPDX-License-Identifier: MIT */
/*
 * What is x86 in the IOMMU layer (hypervisor/iommu/): the VT-d units the
 * ACPI DMAR names, each DRHD's device scope (VT-d 8.3), and the arch hooks
 * of paddock/iommu_glue.h.
 */
#include <paddock/iommu_glue.h>
#include <paddock/iommu_layer.h>
#include <paddock/pci.h>
#include <asm/acpi.h>
#include <asm/console.h>
#include <asm/paging.h>
#include <asm/pci.h>
#include <drivers/iommu/vtd/vtd_glue.h>

#define CACHE_LINE 64
/* arch_domain_dma_root() hands out 4-level tables. */
#define DOMAIN_DMA_LEVELS 4

void *arch_phys_to_virt(uint64_t pa)
{
	return phys_to_virt(pa);
}

uint64_t arch_virt_to_phys(const void *va)
{
	return virt_to_phys(va);
}

/* For units whose walks do not snoop: SDM Vol. 2A, CLFLUSH; MFENCE
 * orders the flushes before the invalidation that follows. */
void arch_dma_sync(const void *va, size_t len)
{
	uintptr_t p = (uintptr_t)va & ~(uintptr_t)(CACHE_LINE - 1);

	for (; p < (uintptr_t)va + len; p += CACHE_LINE)
		__asm__ volatile("clflush (%0)" : : "r"(p) : "memory");
	__asm__ volatile("mfence" ::: "memory");
}

uint32_t arch_device_requester_id(uint32_t device)
{
	return pci_requester_id(device);
}

/* VT-d 8.3: a device belongs to the unit whose scope names it. */
static bool drhd_serves(const void *scope, uint32_t bdf)
{
	const struct dmar_drhd *d = scope;

	for (unsigned s = 0; s < d->nscopes; s++) {
		if (dmar_scope_matches(&d->scopes[s], bdf))
			return true;
	}
	return false;
}

void iommu_init(const struct acpi_info *acpi)
{
	iommu_layer_init(&vtd_driver_ops, DOMAIN_DMA_LEVELS);
	for (unsigned i = 0; i < acpi->ndrhd && i < ACPI_MAX_DRHD; i++) {
		const struct dmar_drhd *d = &acpi_get()->drhd[i];
		struct iommu_unit_desc desc = {
			.reg_base = d->reg_base,
			.segment = d->segment,
			.serves = drhd_serves,
			.scope = d,
			/* else the segment's INCLUDE_PCI_ALL unit */
			.catch_all = d->include_pci_all && d->segment == 0,
		};

		iommu_unit_add(&desc);
	}
	if (acpi->have_dmar && !iommu_count())
		console_printf("x86: no usable VT-d unit; devices cannot be "
			       "bound\n");
}
