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

#define GUEST_STACK_BYTES (64 * 1024)
#define CONSOLE_LINE	  200

struct arch_domain {
	struct domain *d;
	const struct domain_cfg *cfg;
	struct trap_frame ctx;	 /* registers while not running */
	uint16_t ds, es, fs, gs; /* data segment selectors it loaded */
	uint64_t cr3;		 /* PML4, host-physical */
	uint64_t dma_root;	 /* second-level tables, host-physical */
	uint64_t fl_root;	 /* first-level copy of them (VT-d 9.7) */
	uint64_t mem_phys;	 /* host-physical base of its memory */
	uint64_t mem_base;	 /* guest address of its memory */
	uint64_t mem_bytes;
	uint64_t image_end; /* pages from here to the end: all writable */
	struct {
		uint64_t phys, size; /* BAR0 mapped at its slot; size 0: none */
	} mmio[CFG_MAX_DEVICES];
	bool runnable;
	bool ended_by_hypervisor; /* runs_forever, stopped at the end */
	uint64_t slices;	  /* times it was scheduled in */
	uint64_t start_tsc;	  /* first entry */
	char why[96];		  /* crash reason, for the summary */
	char line[CONSOLE_LINE];  /* console output up to the next newline */
	size_t line_len;
};

/** A guest image embedded in the hypervisor (images.S, generated). */
struct guest_image {
	const char *name;
	const uint8_t *start;
	const uint8_t *end;
};

extern const struct guest_image guest_images[];
extern const unsigned guest_image_count;

const struct guest_image *guest_image_find(const char *name);

/**
 * Builds a domain from its configuration: memory from the pool at
 * mem_phys, page tables, DMA tables, the ELF image, the start info page.
 * NULL with a message on failure.
 */
struct arch_domain *domain_build(domid_t id, const struct domain_cfg *cfg,
				 uint64_t mem_phys, uint64_t probe_other);

/** Kills the running domain after a fault it caused. */
void domain_crash(struct arch_domain *ad, const char *why);

static inline struct arch_domain *arch_of(struct domain *d)
{
	return d->arch;
}

#endif
