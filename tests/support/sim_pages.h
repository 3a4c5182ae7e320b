/* SPDX-License-Identifier: MIT */
/*
 * Simulated physical memory for the IOMMU simulators (tests/vtd/vtd_sim,
 * tests/smmuv3/smmu_sim): 32 MiB at a physical base that cannot be
 * mistaken for a host pointer, handed out in power-of-two page runs as
 * the hypervisor heap does, poisoned when freed so that a walk through a
 * freed table reads garbage, with a fail-after count for the error paths.
 *
 * A simulator's memory struct embeds it with SIM_PAGES_MEMBER: its tests
 * then reach the counters directly (m->errors, m->fail_after) while the
 * shared functions take &m->pages.
 */
#ifndef PADDOCK_TESTS_SIM_PAGES_H
#define PADDOCK_TESTS_SIM_PAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_PHYS_BASE  0x200000000ULL /* 8 GiB: catches pa/va mix-ups */
#define SIM_PAGES      8192	      /* 32 MiB */
#define SIM_PAGE_BYTES 4096u

#define SIM_PAGES_FIELDS                                                       \
	uint8_t *ram;                                                          \
	uint16_t run[SIM_PAGES]; /* pages of the allocation starting here */   \
	bool used[SIM_PAGES];                                                  \
	unsigned pages_in_use, allocs, frees;                                  \
	unsigned errors;     /* bad allocation sizes, bad frees */             \
	int fail_after;	     /* >= 0: allocations left before they fail */     \
	unsigned first_page; /* where first fit starts */

struct sim_pages {
	SIM_PAGES_FIELDS
};

/* The same fields twice over, in one union: by name, and as a whole. */
#define SIM_PAGES_MEMBER                                                       \
	union {                                                                \
		struct sim_pages pages;                                        \
		struct {                                                       \
			SIM_PAGES_FIELDS                                       \
		};                                                             \
	}

/** Fresh memory, all poisoned; first fit from page `first_page`. */
void sim_pages_init(struct sim_pages *p, unsigned first_page);
void sim_pages_fini(struct sim_pages *p);
/** A zeroed run of npages (a power of two up to 32), or NULL. */
void *sim_pages_alloc(struct sim_pages *p, unsigned npages, uint64_t *pa);
/** Frees a run sim_pages_alloc() gave; anything else counts an error. */
void sim_pages_free(struct sim_pages *p, void *va, unsigned npages);
/** [pa, pa + len) lies in allocated simulated memory. */
bool sim_pages_pa_ok(const struct sim_pages *p, uint64_t pa, unsigned len);

#endif
