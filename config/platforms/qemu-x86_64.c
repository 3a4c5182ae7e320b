/* SPDX-License-Identifier: MIT */
/* QEMU's q35 machine, run with TCG (docs/x86.md). */
#include <config/config.h>

const struct platform_cfg platform_config = {
	.name = "qemu-x86_64-q35",
	.console_port = 0x3f8, /* COM1 */
	.exit_port = 0xf4,     /* -device isa-debug-exit,iobase=0xf4 */
	.pasid_bits_cap = 20,  /* PCIe PASID width */
	.hv_pasid_quota = 64,
	.heap_bytes = 64 * CFG_MIB,
	.timeslice_us = 2000,
	/* QEMU 7.2 reports ECAP.PSS = 0 yet translates 20-bit PASIDs, and
	 * accepts first-level entries without ECAP.FLTS (qemu-7.2 notes). */
	.iommu_pasid_bits_override = 20,
	.iommu_first_level_without_flts = true,
};
