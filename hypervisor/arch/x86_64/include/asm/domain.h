/* SPDX-License-Identifier: MIT */
/*
 * A paravirtual domain on x86_64: ring 3, its own address space, entering
 * the hypervisor only through `syscall` (docs/x86.md, "Domain model").
 *
 * Guest addresses: the domain's memory is mapped, user-accessible, at
 * [PADDOCK_GUEST_BASE, PADDOCK_GUEST_BASE + mem_bytes) and nowhere else
 * in the lower half.  The same layout serves as the domain's DMA address
 * space (its second-level IOMMU tables), so a "guest-physical" address is
 * simply a guest address inside that window.
 */
#ifndef ASM_DOMAIN_H
#define ASM_DOMAIN_H

#include <paddock/domain.h>
#include <asm/trap.h>
#include <config/config.h>

/* The x86 side of a domain; the generic side is struct domain. */
struct arch_domain {
	struct domain *d;
	struct trap_frame ctx;	 /* registers while not running */
	uint16_t ds, es, fs, gs; /* data segment selectors it loaded */
	uint64_t cr3;		 /* PML4, host-physical */
	uint64_t dma_root;	 /* second-level tables, host-physical */
	uint64_t fl_root;	 /* first-level copy of them (VT-d 9.7) */
	uint64_t mem_phys;	 /* host-physical base of its memory */
	uint64_t mem_base;	 /* guest address of its memory */
	uint64_t mem_bytes;
	uint64_t image_end; /* pages from here to the end: all writable */
	uint64_t start_tsc; /* first entry */
};

static inline struct arch_domain *arch_of(struct domain *d)
{
	return d->arch;
}

#endif
