/* SPDX-License-Identifier: MIT */
/*
 * Register access for a memory-mapped SMMU: the struct smmu_reg_ops a
 * platform passes to smmu_unit_init(), with the SMMU's mapped register
 * frame (pages 0 and 1, SMMU_REG_SPAN bytes) as context.  Every access
 * is 32 bits wide (IHI 0070 E.a, 6.2; QEMU 7.2 reads 64-bit accesses as
 * zero).
 */
#include "smmuv3.h"

static volatile uint32_t *reg(void *ctx, uint32_t off)
{
	return (volatile uint32_t *)((volatile uint8_t *)ctx + off);
}

static uint32_t mmio_read32(void *ctx, uint32_t off)
{
	return *reg(ctx, off);
}

static void mmio_write32(void *ctx, uint32_t off, uint32_t val)
{
	*reg(ctx, off) = val;
}

static void mmio_relax(void *ctx)
{
	(void)ctx;
	cpu_relax();
}

const struct smmu_reg_ops smmu_mmio_ops = {
	.read32 = mmio_read32,
	.write32 = mmio_write32,
	.relax = mmio_relax,
};
