/* SPDX-License-Identifier: MIT */
/* QEMU's q35 machine, run with TCG (docs/x86.md). */
#include "../config.h"

const struct platform_cfg platform_config = {
	.name = "qemu-x86_64-q35",
	.console_port = 0x3f8, /* COM1 */
	.exit_port = 0xf4,     /* -device isa-debug-exit,iobase=0xf4 */
	.pasid_bits_cap = 20,  /* PCIe PASID width */
	.hv_pasid_quota = 64,
	.heap_bytes = 64 * CFG_MIB,
	.timeslice_us = 2000,
};
