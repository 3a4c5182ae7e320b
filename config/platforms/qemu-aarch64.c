/* SPDX-License-Identifier: MIT */
/* QEMU's virt machine at EL2, run with TCG (docs/arm64.md). */
#include <config/config.h>

const struct platform_cfg platform_config = {
	.name = "qemu-virt-aarch64",
	/* Only for a boot error when the device tree cannot be read: the
	 * console is the tree's UART otherwise. */
	.early_uart = 0x09000000,
	.early_psci_smc = true, /* virtualization=on: EL3 is QEMU's */
	.pasid_bits_cap = 20,	/* PCIe PASID width */
	.hv_pasid_quota = 64,
	.heap_bytes = 64 * CFG_MIB,
	.timeslice_us = 2000,
	/* QEMU 7.2's SMMUv3 has SSIDSIZE 0 and its edu no PASID capability
	 * (docs/smmuv3.md); the driver caps the width at 15 bits. */
	.iommu_pasid_bits_override = 20,
	.iommu_device_pasid_bits_default = 20,
};
