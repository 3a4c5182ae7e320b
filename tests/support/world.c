/* SPDX-License-Identifier: MIT */
/* A small test system: see world.h. */
#include "world.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[WORLD_MAX_DOMS] = {
	"dom0", "dom1", "dom2", "dom3", "dom4", "dom5", "dom6", "dom7",
};

struct world *world_new(const struct world_cfg *cfg)
{
	struct world *w = calloc(1, sizeof(*w));

	if (w && world_init(w, cfg) < 0) {
		free(w);
		return NULL;
	}
	return w;
}

void world_free(struct world *w)
{
	if (!w)
		return;
	world_fini(w);
	free(w);
}

int world_init(struct world *w, const struct world_cfg *cfg)
{
	struct pasid_err err;

	memset(w, 0, sizeof(*w));
	w->heap_base = heap_live();
	w->ndoms = cfg->ndoms < WORLD_MAX_DOMS ? cfg->ndoms : WORLD_MAX_DOMS;
	mock_iommu_init(&w->iommu[0], "mock0");
	mock_iommu_init(&w->iommu[1], "mock1");
	if (pasid_mgr_init(&w->m, cfg->bits, cfg->hv_quota, &err) < 0)
		return -1;
	for (unsigned i = 0; i < w->ndoms; i++) {
		struct pasid_set_cfg sc = {.domain = (domid_t)i,
					   .privileged = i == 0,
					   .quota = cfg->quota};

		fake_domain_init(
			&w->fd[i], (domid_t)i, names[i], i == 0, WORLD_BASE(i),
			cfg->mem_size ? cfg->mem_size : WORLD_MEM_SIZE);
		w->doms[i] = &w->fd[i].dom;
		/* Each device is its own DMA source (no bridges here). */
		if (pasid_set_create(&w->m, &sc, &err) < 0 ||
		    pasid_device_add(&w->m, WORLD_DEV(i), (domid_t)i,
				     &w->iommu[0].iommu, &err) < 0 ||
		    pasid_device_add(&w->m, WORLD_DEV2(i), (domid_t)i,
				     &w->iommu[1].iommu, &err) < 0 ||
		    hv_source_add(&w->sys, WORLD_DEV(i), (domid_t)i) < 0 ||
		    hv_source_add(&w->sys, WORLD_DEV2(i), (domid_t)i) < 0) {
			world_fini(w);
			return -1;
		}
	}
	if (pasid_device_add(&w->m, WORLD_DEV_UNASSIGNED, PASID_DOMID_NONE,
			     &w->iommu[0].iommu, &err) < 0) {
		world_fini(w);
		return -1;
	}
	w->sys.pasids = &w->m;
	w->sys.domains = w->doms;
	w->sys.ndomains = w->ndoms;
	return 0;
}

void world_fini(struct world *w)
{
	pasid_mgr_fini(&w->m);
	for (unsigned i = 0; i < w->ndoms; i++)
		fake_domain_fini(&w->fd[i]);
}

int world_check(struct world *w, char *why, size_t why_len)
{
	struct pasid_err err;

	if (pasid_check_invariants(&w->m, &err) < 0) {
		snprintf(why, why_len, "invariants: %s", err.text);
		return -1;
	}
	for (int i = 0; i < 2; i++)
		if (mock_iommu_matches(&w->iommu[i], &w->m, why, why_len) < 0)
			return -1;
	/* A domain's fault ring holds only its own devices' faults. */
	for (unsigned i = 0; i < w->ndoms; i++) {
		const struct domain *d = w->doms[i];

		for (unsigned k = 0; k < d->fault_count; k++) {
			const struct paddock_pasid_fault *f =
				&d->fault_ring[(d->fault_first + k) %
					       DOMAIN_FAULT_RING];

			if (hv_source_owner(&w->sys, f->device) != d->id) {
				snprintf(why, why_len,
					 "domain %u's fault ring holds a fault "
					 "of device %#x (PASID %u), not its "
					 "own",
					 d->id, f->device, f->pasid);
				return -1;
			}
		}
	}
	return 0;
}

void *world_mem(struct world *w, unsigned id, uint64_t off)
{
	return w->fd[id].mem + off;
}

long world_hcall(struct world *w, unsigned id, uint64_t op, uint64_t a0,
		 uint64_t a1, uint64_t a2)
{
	const uint64_t args[5] = {a0, a1, a2, 0, 0};

	return hypercall_dispatch(&w->sys, w->doms[id], op, args);
}

long world_pasid_op(struct world *w, unsigned id, struct paddock_pasid_op *op)
{
	long rc;

	memcpy(world_mem(w, id, 0), op, sizeof(*op));
	rc = world_hcall(w, id, __HYPERVISOR_paddock_pasid_op, world_gva(id, 0),
			 sizeof(*op), 0);
	memcpy(op, world_mem(w, id, 0), sizeof(*op));
	return rc;
}

void world_snap(struct world *w, struct world_snap *s)
{
	memset(s, 0, sizeof(*s));
	for (unsigned i = 0; i <= w->ndoms; i++) {
		domid_t id = i == w->ndoms ? DOMID_HYPERVISOR : (domid_t)i;

		s->present[i] = pasid_query(&w->m, id, &s->info[i]) == 0;
		s->info[i].refusals = 0;
		s->info[i].refusals_quota = 0;
	}
	for (int k = 0; k < 2; k++) {
		unsigned n = 0;

		s->nentries[k] = w->iommu[k].nentries;
		for (unsigned i = 0; i < MOCK_MAX_ENTRIES && n < 64; i++)
			if (w->iommu[k].entries[i].present)
				s->entries[k][n++] = w->iommu[k].entries[i];
	}
	for (unsigned i = 0; i < w->ndoms; i++)
		s->fault_count[i] = w->fd[i].dom.fault_count;
	s->heap = heap_live();
}

int world_snap_cmp(const struct world_snap *a, const struct world_snap *b,
		   char *why, size_t why_len)
{
	for (unsigned i = 0; i <= WORLD_MAX_DOMS; i++) {
		if (a->present[i] != b->present[i] ||
		    memcmp(&a->info[i], &b->info[i], sizeof(a->info[i]))) {
			snprintf(why, why_len,
				 "set %u changed: allocated %u->%u bound "
				 "%u->%u parked %u->%u quota %u->%u faults "
				 "%u->%u",
				 i, a->info[i].allocated, b->info[i].allocated,
				 a->info[i].bound, b->info[i].bound,
				 a->info[i].parked, b->info[i].parked,
				 a->info[i].quota, b->info[i].quota,
				 a->info[i].faults, b->info[i].faults);
			return -1;
		}
	}
	if (memcmp(a->nentries, b->nentries, sizeof(a->nentries)) ||
	    memcmp(a->entries, b->entries, sizeof(a->entries))) {
		snprintf(why, why_len, "IOMMU entries changed (%u,%u)->(%u,%u)",
			 a->nentries[0], a->nentries[1], b->nentries[0],
			 b->nentries[1]);
		return -1;
	}
	if (a->heap != b->heap) {
		snprintf(why, why_len, "heap_live %ld->%ld", a->heap, b->heap);
		return -1;
	}
	if (memcmp(a->fault_count, b->fault_count, sizeof(a->fault_count))) {
		snprintf(why, why_len, "fault records changed");
		return -1;
	}
	return 0;
}

uint32_t world_refusals(struct world *w, unsigned id)
{
	struct paddock_pasid_info info;

	if (pasid_query(&w->m, (domid_t)id, &info) < 0)
		return 0;
	return info.refusals;
}
