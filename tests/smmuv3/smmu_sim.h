/* SPDX-License-Identifier: MIT */
/*
 * A simulated SMMUv3 for the host tests: physical memory with a page
 * allocator (the driver's struct smmu_mem_ops) and an SMMU's register
 * file (struct smmu_reg_ops, 32-bit only) that runs the command queue
 * synchronously inside the CMDQ_PROD write, like QEMU 7.2.  It keeps a
 * configuration cache (STEs, CDs) and a TLB that only CFGI_* and TLBI_*
 * commands empty, so a missing or misdirected invalidation is visible; it
 * writes event records and raises GERROR.CMDQ_ERR for a bad command.
 * Structures are decoded with spec_walker.c, never the driver's code.
 */
#ifndef PADDOCK_TESTS_SMMU_SIM_H
#define PADDOCK_TESTS_SMMU_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../drivers/iommu/smmuv3/smmuv3.h"
#include "spec_walker.h"

#include "../support/sim_pages.h"

struct sim_mem {
	SIM_PAGES_MEMBER; /* tests/support/sim_pages.h */
	unsigned flushes;
	/* Physical addresses are host pointers (the fake arch's identity
	 * map): the SMMU reads what the hypervisor heap holds. */
	bool identity;
	/* Called on each cache flush the driver asks for (may be NULL):
	 * what a non-coherent SMMU could fetch at that moment. */
	void (*flush_hook)(void *ctx);
	void *flush_ctx;
};

void sim_mem_init(struct sim_mem *m);
void sim_mem_fini(struct sim_mem *m);
extern const struct smmu_mem_ops sim_mem_ops;
void *sim_alloc(struct sim_mem *m, unsigned npages, uint64_t *pa);
uint64_t sim_rd(struct sim_mem *m, uint64_t pa);
void sim_wr(struct sim_mem *m, uint64_t pa, uint64_t v);
struct sw_mem sim_sw_mem(struct sim_mem *m);

/* QEMU 7.2's identification registers (docs: qemu-7.2.md). */
#define SIM_QEMU_IDR0 0x0d40101aU
#define SIM_QEMU_IDR1 0x02730010U
#define SIM_QEMU_IDR5 0x00000074U

#define SIM_LOG_MAX   8192
#define SIM_CACHE_MAX 256

struct sim_cmd {
	uint64_t w[2];
	unsigned op;
};

struct sim_smmu {
	struct sim_mem *mem;
	uint32_t idr[6];
	uint32_t cr0, cr0ack, cr1, cr2, gbpa, irq_ctrl, gerror, gerrorn;
	uint64_t strtab_base, cmdq_base, evtq_base;
	uint32_t strtab_cfg;
	uint32_t cmdq_prod, cmdq_cons, evtq_prod, evtq_cons;
	bool qemu72;	 /* S1CDMAX != 0 is C_BAD_STE */
	bool cr0_stuck;	 /* CR0ACK never follows CR0 */
	bool queue_dead; /* the command queue never moves */
	unsigned lazy; /* one command per `lazy` CMDQ_CONS reads, not at PROD */
	unsigned lazy_reads;
	int fail_op; /* opcode treated as illegal (0: none) */
	/* Order checks: a register written before GBPA.ABORT was set. */
	bool gbpa_set;
	unsigned writes_before_gbpa;
	unsigned bad_access; /* unknown or unaligned offsets */

	/* Configuration cache and TLB (3.17, 3.21). */
	struct {
		bool v;
		uint32_t sid;
		uint64_t ste[8];
	} ste_cache[SIM_CACHE_MAX];
	struct {
		bool v;
		uint32_t sid, ssid;
		uint64_t cd[8];
	} cd_cache[SIM_CACHE_MAX];
	struct {
		bool v, global, writable;
		uint16_t asid;
		uint64_t va, pa; /* 4-KiB pages */
	} tlb[SIM_CACHE_MAX];
	bool no_caches; /* walk memory every time */

	/* lazy: invalidations consumed but not complete until the next
	 * CMD_SYNC is consumed (4.7.3). */
	uint64_t pending[64][2];
	unsigned npending;

	struct sim_cmd log[SIM_LOG_MAX];
	unsigned nlog;
	unsigned events, events_lost;
};

extern const struct smmu_reg_ops sim_reg_ops;

void sim_smmu_init(struct sim_smmu *s, struct sim_mem *m, uint32_t idr0,
		   uint32_t idr1, uint32_t idr5);
/** The registers as the walker needs them. */
struct sw_smmu sim_sw_smmu(const struct sim_smmu *s);

/**
 * One DMA through the simulated SMMU, caches included: the outcome, and
 * an event record written to the event queue when one is recorded.
 */
void sim_dma(struct sim_smmu *s, const struct sw_request *rq,
	     struct sw_result *res);
/** Writes an event record as the SMMU would (for routing tests). */
void sim_event(struct sim_smmu *s, unsigned type, uint32_t sid, bool ssv,
	       uint32_t ssid, uint64_t addr, bool write);
/** Empties the configuration cache and the TLB (a cold SMMU). */
void sim_flush_caches(struct sim_smmu *s);

#endif
