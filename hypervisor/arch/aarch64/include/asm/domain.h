/* SPDX-License-Identifier: MIT */
/*
 * A domain on aarch64: an EL1 guest under its own stage-2 translation
 * (docs/arm64.md, "Domain model").
 *
 * Guest addresses: the domain's memory is its intermediate physical
 * address (IPA) window [PADDOCK_A64_GUEST_BASE, + mem_bytes), its
 * devices' registers sit at PADDOCK_A64_GUEST_MMIO_BASE, and nothing
 * else is mapped at stage 2.  The guest runtime identity-maps its IPA
 * space at stage 1, so the pointers it passes in hypercalls are IPAs,
 * which is how the hypervisor reads them.  The DMA tables map the same
 * window for its devices.
 */
#ifndef ASM_DOMAIN_H
#define ASM_DOMAIN_H

#include <paddock/domain.h>
#include <asm/mmu.h>
#include <asm/trap.h>
#include <config/config.h>

/** The EL1 state a domain owns and the next one must not see. */
struct el1_state {
	uint64_t sctlr, ttbr0, ttbr1, tcr, mair, amair, vbar, cpacr;
	uint64_t elr, spsr, sp_el0, sp_el1, esr, far, afsr0, afsr1, par;
	uint64_t contextidr, tpidr_el0, tpidr_el1, tpidrro_el0, cntkctl;
	uint64_t csselr, cntv_ctl, cntv_cval;
};

struct arch_domain {
	struct domain *d;
	struct trap_frame ctx; /* registers while not running */
	struct el1_state el1;
	struct fpsimd_state fp;
	struct xlat s2;	   /* stage 2: IPA -> PA */
	struct xlat dma;   /* the devices' view (stage-1 format) */
	uint64_t fl_root;  /* first-level copy, if the IOMMU builds one */
	uint64_t vttbr;	   /* stage-2 root | VMID */
	uint64_t mem_phys; /* host-physical base of its memory */
	uint64_t mem_base; /* IPA of its memory */
	uint64_t mem_bytes;
	uint64_t image_end; /* pages from here up: all writable */
	bool started;
};

static inline struct arch_domain *arch_of(struct domain *d)
{
	return d->arch;
}

/** The VMID of stage-2 tables (D13.2.150 VTTBR_EL2 bits 55:48). */
#define VTTBR_VMID_SHIFT 48

/** Loads the domain's EL1 state and stage 2 (sched.c). */
void el1_state_load(const struct arch_domain *ad);
void el1_state_save(struct arch_domain *ad);
/** VTCR_EL2, once at boot (domain.c). */
void stage2_init(void);

/** The first EL1 state of a domain: MMU off, no vectors. */
void el1_state_init(struct el1_state *s);

#endif
