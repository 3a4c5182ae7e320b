/* SPDX-License-Identifier: MIT */
/*
 * The IOMMU units the PASID manager can use.  DMAR describes them (acpi.c);
 * a unit becomes usable once a driver (drivers/iommu/vtd/) takes it.  Until
 * that driver is linked, the x86 side offers none, and says so: the PASID
 * manager refuses devices without an IOMMU, so binds fail cleanly rather
 * than pretend.
 */
#include <paddock/iommu.h>
#include <asm/console.h>
#include <asm/pci.h>

void iommu_init(const struct acpi_info *acpi)
{
	if (acpi->have_dmar)
		console_printf("x86: %u DMAR units described; no VT-d driver "
			       "linked, DMA remapping left off\n",
			       acpi->ndrhd);
}

unsigned iommu_count(void)
{
	return 0;
}

struct pasid_iommu *iommu_get(unsigned i)
{
	(void)i;
	return NULL;
}

struct pasid_iommu *iommu_for_device(uint32_t bdf)
{
	(void)bdf;
	return NULL;
}
