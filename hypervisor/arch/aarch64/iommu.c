/* SPDX-License-Identifier: MIT */
/*
 * What is aarch64 in the IOMMU layer (hypervisor/iommu/) and in PCI: the
 * arch hooks of paddock/iommu_glue.h, the StreamID of a function (the
 * tree's iommu-map), and the SMMUv3 the tree names.
 */
#include <paddock/hypercall.h>
#include <paddock/iommu_glue.h>
#include <paddock/system.h>
#include <asm/mmu.h>
#include <asm/pci.h>
#include <asm/sysreg.h>
#include <config/config.h>
#include <drivers/iommu/smmuv3/smmuv3_glue.h>

void *arch_phys_to_virt(uint64_t pa)
{
	return (void *)(uintptr_t)pa; /* the EL2 map is the identity */
}

uint64_t arch_virt_to_phys(const void *va)
{
	return (uint64_t)(uintptr_t)va;
}

/* For an SMMU whose walks do not snoop (IDR0.COHACC clear). */
void arch_dma_sync(const void *va, size_t len)
{
	dcache_clean_inval(va, len);
}

/*
 * The pci-iommu binding (Linux Documentation/devicetree/bindings/pci/
 * pci-iommu.txt): the requester ID, masked, falls in one entry's
 * [rid_base, rid_base + length) and maps to sid_base + the offset.
 * Outside every entry: the requester ID itself, which a unit registered
 * for the device then refuses as unknown.
 */
uint32_t arch_device_requester_id(uint32_t device)
{
	uint32_t rid = pci_requester_id(device);

	if (arm_plat.rid_map_mask)
		rid &= arm_plat.rid_map_mask;
	for (unsigned i = 0; i < arm_plat.nrid_map; i++) {
		const struct arm_rid_map *m = &arm_plat.rid_map[i];

		if (rid >= m->rid_base && rid - m->rid_base < m->length)
			return m->sid_base + (rid - m->rid_base);
	}
	return rid;
}

/*
 * Scans the tree's ECAM window.  Without firmware that enumerated PCI
 * (QEMU's -kernel; U-Boot without `pci enum`), bridges have no bus
 * numbers and BARs no addresses: Paddock assigns them itself from the
 * tree's memory windows first (docs/pci.md).
 */
void pci_scan_dt(const struct arm_platform *p, struct pci_inventory *out)
{
	struct pci_ecam w = {
		.phys = p->ecam.base,
		.start_bus = p->bus_first,
		.end_bus = p->bus_last,
	};
	struct pci_mem_window mmio32 = {
		.cpu = p->pci_mmio32.base,
		.pci = p->pci_mmio32_bus,
		.size = p->pci_mmio32.size,
	};

	if (!p->ecam.size) {
		pci_scan(&w, 0, out);
		return;
	}
	pci_use_ecam(&w, 1);
	if (pci_needs_assign(&w) && p->pci_mmio32.size)
		pci_assign(&w, &mmio32, NULL);
	else if (p->pci_mmio32.size)
		pci_set_mem_windows(&mmio32, 1);
	pci_scan(&w, 1, out);
}

/* arch_domain_dma_root() hands out 4-level stage-1 tables (asm/mmu.h). */
#define DOMAIN_DMA_LEVELS 4

/* Each function, its StreamID and PASID width, told to the SMMU. */
static void declare_devices(const struct arm_platform *p,
			    const struct pci_inventory *pci)
{
	for (unsigned i = 0; i < pci->ndevices; i++) {
		uint32_t bdf = pci->devices[i].bdf;
		unsigned bits = pci_pasid_width(bdf);

		if (!bits)
			bits = platform_config.iommu_device_pasid_bits_default;
		if (smmuv3_declare_device(p->smmu.base,
					  arch_device_requester_id(bdf), bits))
			hv_printf("arm64: %02x:%02x.%x: StreamID %x refused by "
				  "the SMMU; its DMA stays blocked\n",
				  bdf >> 8, (bdf >> 3) & 31, bdf & 7,
				  arch_device_requester_id(bdf));
	}
}

/*
 * The SMMUv3 the tree names, under the SMMUv3 driver, serving every
 * function the PCIe host's iommu-map sends it (the one SMMU of the
 * machine).  Without it no device is registered with the manager and
 * bus mastering stays off: QEMU 7.2 has no GBPA, so a disabled SMMU lets
 * DMA through there (docs/smmuv3.md).
 */
void iommu_init_dt(const struct arm_platform *p,
		   const struct pci_inventory *pci)
{
	struct iommu_unit_desc desc = {
		.reg_base = p->smmu.base,
		.catch_all = p->nrid_map != 0,
	};

	if (!p->smmu.size) {
		hv_printf("arm64: no SMMU: no device DMA can be confined; "
			  "assigned devices keep bus mastering off\n");
		return;
	}
	iommu_layer_init(&smmuv3_driver_ops, DOMAIN_DMA_LEVELS);
	if (iommu_unit_add(&desc) || !iommu_count()) {
		hv_printf("arm64: SMMUv3 at %lx not usable: devices cannot be "
			  "bound and keep bus mastering off\n",
			  p->smmu.base);
		return;
	}
	declare_devices(p, pci);
}
