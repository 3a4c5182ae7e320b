/* SPDX-License-Identifier: MIT */
/*
 * A small test system shared by the dispatcher, fault-injection, stress
 * and fuzz tests: a PASID manager, two recording mock IOMMUs, fake domains
 * (domain 0 privileged) each with guest memory, devices, and the
 * hv_system the dispatcher serves.  Plus snapshots, to prove that a
 * refused call changed nothing.
 */
#ifndef PADDOCK_TESTS_WORLD_H
#define PADDOCK_TESTS_WORLD_H

#include "support.h"

#define WORLD_MAX_DOMS	     8
#define WORLD_MEM_SIZE	     0x10000
#define WORLD_BASE(id)	     (0x40000000ull * ((uint64_t)(id) + 1))
#define WORLD_DEV(id)	     (0x100u + (id)) /* each domain's device, iommu0 */
#define WORLD_DEV2(id)	     (0x200u + (id)) /* a second one, on iommu1 */
#define WORLD_DEV_UNASSIGNED 0x900u /* no domain's: not a fault source */

struct world {
	struct pasid_mgr m;
	struct mock_iommu iommu[2];
	struct fake_domain fd[WORLD_MAX_DOMS];
	struct domain *doms[WORLD_MAX_DOMS];
	struct hv_system sys;
	unsigned ndoms;
	long heap_base; /* heap_live() before the world was made */
};

struct world_cfg {
	unsigned bits;	/* PASID width */
	unsigned ndoms; /* domains 0..ndoms-1; 0 is privileged */
	uint32_t quota; /* each domain's */
	uint32_t hv_quota;
	size_t mem_size; /* each domain's guest memory; 0: WORLD_MEM_SIZE */
};

/** A new world (calloc'd); NULL if the manager could not be made. */
struct world *world_new(const struct world_cfg *cfg);
void world_free(struct world *w);
/** The same in memory of the caller's (0 or -1); world_fini undoes it. */
int world_init(struct world *w, const struct world_cfg *cfg);
void world_fini(struct world *w);

/** 0 when invariants hold and both mocks match; else -1 with why. */
int world_check(struct world *w, char *why, size_t why_len);

/* A guest pointer into domain id's memory, at offset off. */
static inline uint64_t world_gva(unsigned id, uint64_t off)
{
	return WORLD_BASE(id) + off;
}
void *world_mem(struct world *w, unsigned id, uint64_t off);

/** Copies op to offset off of the domain's memory, issues
 * __HYPERVISOR_paddock_pasid_op with it and copies the result back. */
long world_pasid_op(struct world *w, unsigned id, struct paddock_pasid_op *op);
long world_hcall(struct world *w, unsigned id, uint64_t op, uint64_t a0,
		 uint64_t a1, uint64_t a2);

/** Everything a refused call must leave alone. */
struct world_snap {
	struct paddock_pasid_info info[WORLD_MAX_DOMS + 1]; /* + hypervisor */
	bool present[WORLD_MAX_DOMS + 1];
	unsigned nentries[2];
	struct mock_entry entries[2][64];
	long heap;
	unsigned fault_count[WORLD_MAX_DOMS];
};
void world_snap(struct world *w, struct world_snap *s);
/** 0 when equal; else -1 with what differs. */
int world_snap_cmp(const struct world_snap *a, const struct world_snap *b,
		   char *why, size_t why_len);
uint32_t world_refusals(struct world *w, unsigned id);

#endif
