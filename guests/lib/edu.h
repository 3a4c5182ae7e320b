/* SPDX-License-Identifier: MIT */
/*
 * Driving a QEMU edu device (hw/misc/edu.c) from a guest, through the BAR0
 * the hypervisor maps at start_info.dev_mmio[i]: the red-team guests' DMA.
 * (guests/tests/dma keeps its own copy, with its timing notes.)
 *
 * Registers: DMA source 0x80, destination 0x88, count 0x90, command 0x98
 * (bit 0 start/busy, bit 1 device-to-RAM).  The device's buffer is
 * 0x40000..0x40fff; a transfer must stay well inside it (QEMU 7.2 aborts
 * on a range that reaches its last byte).  A DMA runs about 100 ms of
 * virtual time after the command; edu_dma() polls, yielding.
 */
#ifndef PADDOCK_GUEST_EDU_H
#define PADDOCK_GUEST_EDU_H

#include "guest.h"

#define EDU_ID_VALUE  0x010000edu
#define EDU_REG_ID    0x00
#define EDU_DMA_SRC   0x80
#define EDU_DMA_DST   0x88
#define EDU_DMA_COUNT 0x90
#define EDU_DMA_CMD   0x98
#define EDU_START     1u
#define EDU_TO_RAM    2u
#define EDU_BUF	      0x40000ull
#define EDU_MAX_XFER  0x800u
#define EDU_MAX_POLLS 400000u

/* A free-running counter: the TSC, or the generic timer on aarch64. */
static inline uint64_t guest_cycles(void)
{
#if defined(__x86_64__)
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
#else
	uint64_t v;

	__asm__ volatile("mrs %0, cntvct_el0" : "=r"(v));
	return v;
#endif
}

static inline uint64_t edu_read64(volatile uint8_t *mmio, unsigned off)
{
	return *(volatile uint64_t *)(mmio + off);
}

static inline void edu_write64(volatile uint8_t *mmio, unsigned off, uint64_t v)
{
	*(volatile uint64_t *)(mmio + off) = v;
}

/* Starts one DMA without waiting for it. */
static inline void edu_dma_start(volatile uint8_t *mmio, uint64_t src,
				 uint64_t dst, uint64_t count, int to_ram)
{
	edu_write64(mmio, EDU_DMA_SRC, src);
	edu_write64(mmio, EDU_DMA_DST, dst);
	edu_write64(mmio, EDU_DMA_COUNT, count);
	edu_write64(mmio, EDU_DMA_CMD, EDU_START | (to_ram ? EDU_TO_RAM : 0));
}

/*
 * One DMA, waited for: 0 when the device finished it (whether it landed
 * or faulted), -1 when the count is too big or the device stayed busy.
 * to_ram: device buffer (src) to RAM (dst); else RAM (src) to buffer.
 */
static inline int edu_dma(volatile uint8_t *mmio, uint64_t src, uint64_t dst,
			  uint64_t count, int to_ram)
{
	if (count > EDU_MAX_XFER)
		return -1;
	edu_dma_start(mmio, src, dst, count, to_ram);
	for (unsigned i = 0; i < EDU_MAX_POLLS; i++) {
		if (!(edu_read64(mmio, EDU_DMA_CMD) & EDU_START))
			return 0;
		paddock_yield();
	}
	return -1;
}

#endif
