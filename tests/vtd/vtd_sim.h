/* SPDX-License-Identifier: MIT */
/*
 * Simulated hardware for the VT-d host tests: physical memory with a page
 * allocator (the driver's struct vtd_mem_ops) and a remapping unit's
 * register file (struct vtd_reg_ops) that runs the invalidation queue:
 * it records every descriptor, completes wait descriptors by writing their
 * status word, and enforces each register's access width like QEMU 7.2.
 * Descriptors are decoded with spec_walker.h's constants, not the
 * driver's.
 */
#ifndef PADDOCK_TESTS_VTD_SIM_H
#define PADDOCK_TESTS_VTD_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../drivers/iommu/vtd/vtd.h"
#include "spec_walker.h"

#include "../support/sim_pages.h"

struct sim_mem {
	SIM_PAGES_MEMBER; /* tests/support/sim_pages.h */
	unsigned flushes;
	/* Called on each cache flush the driver asks for (may be NULL). */
	void (*flush_hook)(struct sim_mem *m, uint64_t pa, size_t len,
			   void *ctx);
	void *flush_ctx;
};

void sim_mem_init(struct sim_mem *m);
void sim_mem_fini(struct sim_mem *m);
extern const struct vtd_mem_ops sim_mem_ops;
/* Test-side helpers (the tests' own page tables live here too). */
void *sim_alloc(struct sim_mem *m, unsigned npages, uint64_t *pa);
uint64_t sim_rd(struct sim_mem *m, uint64_t pa);
void sim_wr(struct sim_mem *m, uint64_t pa, uint64_t v);
struct sw_mem sim_sw_mem(struct sim_mem *m);

#define SIM_LOG_MAX	8192
#define SIM_IEC_ENTRIES 256 /* entries the simulated IEC can hold */

struct sim_desc {
	uint64_t w[4];
	unsigned type;
};

struct sim_unit;
typedef void (*sim_hook_fn)(struct sim_unit *s, const struct sim_desc *d,
			    void *ctx);

struct sim_unit {
	struct sim_mem *mem;
	uint32_t ver;
	uint64_t cap, ecap;
	uint32_t gsts;
	uint64_t rtaddr, rtaddr_latched;
	uint64_t iqh, iqt, iqa;
	uint32_t fsts, fectl, ics;
	uint64_t frcd[8][2];
	/* Interrupt remapping (VT-d 4.x, chapter 5). */
	uint64_t irta, irta_latched;
	bool iec_valid[SIM_IEC_ENTRIES]; /* interrupt entry cache */
	uint64_t iec[SIM_IEC_ENTRIES][2];
	bool lazy; /* run the queue only on IQH reads and relax() */
	bool dead; /* never run the queue */
	unsigned width_errors, gcmd_errors, queue_errors;
	struct sim_desc log[SIM_LOG_MAX];
	unsigned nlog;
	sim_hook_fn hook;
	void *hook_ctx;
};

extern const struct vtd_reg_ops sim_reg_ops;

/* QEMU 7.2's values, and variants. */
#define SIM_QEMU_CAP  0x00d2008c22260206ULL
#define SIM_QEMU_ECAP 0x0000490080f00f4aULL

void sim_unit_init(struct sim_unit *s, struct sim_mem *m, uint64_t cap,
		   uint64_t ecap);
void sim_inject_fault(struct sim_unit *s, unsigned idx, uint64_t lo,
		      uint64_t hi);
unsigned sim_fault_base(const struct sim_unit *s);

/** What became of an interrupt request (a 4-byte write to 0xFEEx_xxxx). */
struct sim_irq {
	bool delivered; /* reached the local APICs */
	uint8_t vector; /* when delivered */
	uint8_t dlm;	/* delivery mode, when delivered */
	uint32_t dest;	/* destination id, when delivered */
	uint8_t reason; /* fault reason when blocked (0: none recorded) */
};

/**
 * The unit's handling of an interrupt request from requester `sid`,
 * written from VT-d 4.x chapter 5 (5.1.2 formats, 5.1.4 hardware
 * operation, 9.9 IRTE, 7.1 fault reasons), independently of the driver:
 * delivered as-is with remapping off; with it on, compatibility format
 * blocked unless GSTS.CFIS, remappable format through the IRTE (cached in
 * the IEC until invalidated), every block recorded as a primary fault.
 */
void sim_interrupt_request(struct sim_unit *s, uint16_t sid, uint32_t addr,
			   uint32_t data, struct sim_irq *out);

#endif
