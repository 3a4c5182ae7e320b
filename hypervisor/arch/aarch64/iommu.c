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

/* IHI 0070 E.a, 6.3.14 SMMU_GBPA: ABORT (bit 20), written with UPDATE
 * (bit 31), which the SMMU clears when the change took effect; with
 * SMMU_CR0.SMMUEN clear, GBPA decides every incoming transaction. */
#define SMMU_CR0	 0x20
#define SMMU_CR0_SMMUEN	 (1u << 0)
#define SMMU_CR0ACK	 0x24
#define SMMU_GBPA	 0x44
#define SMMU_GBPA_UPDATE (1u << 31)
#define SMMU_GBPA_ABORT	 (1u << 20)

static bool smmu_abort_all(uint64_t base)
{
	volatile uint32_t *r = (volatile uint32_t *)(uintptr_t)base;

	r[SMMU_CR0 / 4] = 0;
	for (unsigned i = 0;
	     i < 1000000 && (r[SMMU_CR0ACK / 4] & SMMU_CR0_SMMUEN); i++)
		;
	r[SMMU_GBPA / 4] = SMMU_GBPA_UPDATE | SMMU_GBPA_ABORT;
	for (unsigned i = 0; i < 1000000; i++) {
		if (!(r[SMMU_GBPA / 4] & SMMU_GBPA_UPDATE))
			return (r[SMMU_GBPA / 4] & SMMU_GBPA_ABORT) != 0;
	}
	return false;
}

void iommu_init_dt(const struct arm_platform *p)
{
	if (!p->smmu.size) {
		hv_printf("arm64: no SMMU: no device DMA can be confined; "
			  "assigned devices keep bus mastering off\n");
		return;
	}
	/* QEMU 7.2 ignores GBPA: a disabled SMMU lets everything through
	 * there, so bus mastering staying off is what holds devices. */
	hv_printf("arm64: SMMUv3 at %lx: %s; no driver yet: devices cannot "
		  "be bound and keep bus mastering off\n",
		  p->smmu.base,
		  smmu_abort_all(p->smmu.base)
			  ? "incoming transactions aborted (GBPA.ABORT)"
			  : "GBPA.ABORT did not take");
}
