/* SPDX-License-Identifier: MIT */
/*
 * Register access for a memory-mapped remapping unit: the struct
 * vtd_reg_ops a platform passes to vtd_unit_init(), with the unit's mapped
 * register page as context.  Each access has the register's own width
 * (VT-d 4.x, 11.2: software accesses 64-bit registers as a whole or as two
 * 32-bit halves, 32-bit registers only as 32 bits).
 */
#include "vtd.h"

static volatile void *reg(void *ctx, uint32_t off)
{
	return (volatile uint8_t *)ctx + off;
}

static uint32_t mmio_read32(void *ctx, uint32_t off)
{
	return *(volatile uint32_t *)reg(ctx, off);
}

static uint64_t mmio_read64(void *ctx, uint32_t off)
{
	return *(volatile uint64_t *)reg(ctx, off);
}

static void mmio_write32(void *ctx, uint32_t off, uint32_t val)
{
	*(volatile uint32_t *)reg(ctx, off) = val;
}

static void mmio_write64(void *ctx, uint32_t off, uint64_t val)
{
	*(volatile uint64_t *)reg(ctx, off) = val;
}

static void mmio_relax(void *ctx)
{
	(void)ctx;
	cpu_relax();
}

const struct vtd_reg_ops vtd_mmio_ops = {
	.read32 = mmio_read32,
	.read64 = mmio_read64,
	.write32 = mmio_write32,
	.write64 = mmio_write64,
	.relax = mmio_relax,
};
