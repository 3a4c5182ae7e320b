/* SPDX-License-Identifier: MIT */
/* Simulated physical memory for the IOMMU simulators; see sim_pages.h. */
#include "sim_pages.h"

#include <stdlib.h>
#include <string.h>

#define POISON 0xA5

void sim_pages_init(struct sim_pages *p, unsigned first_page)
{
	memset(p, 0, sizeof(*p));
	p->ram = aligned_alloc(SIM_PAGE_BYTES,
			       (size_t)SIM_PAGES * SIM_PAGE_BYTES);
	if (!p->ram)
		abort();
	memset(p->ram, POISON, (size_t)SIM_PAGES * SIM_PAGE_BYTES);
	p->fail_after = -1;
	p->first_page = first_page;
}

void sim_pages_fini(struct sim_pages *p)
{
	free(p->ram);
	p->ram = NULL;
}

/* Takes pages [s, s + npages) if all are free. */
static bool take_run(struct sim_pages *p, unsigned s, unsigned npages,
		     unsigned *skip)
{
	unsigned n = 0;

	while (n < npages && !p->used[s + n])
		n++;
	if (n < npages) {
		*skip = n;
		return false;
	}
	for (unsigned i = 0; i < npages; i++)
		p->used[s + i] = true;
	p->run[s] = (uint16_t)npages;
	p->pages_in_use += npages;
	p->allocs++;
	return true;
}

void *sim_pages_alloc(struct sim_pages *p, unsigned npages, uint64_t *pa)
{
	if (p->fail_after == 0)
		return NULL;
	if (p->fail_after > 0)
		p->fail_after--;
	if (npages == 0 || npages > 32 || (npages & (npages - 1))) {
		p->errors++;
		return NULL;
	}
	for (unsigned s = p->first_page, skip; s + npages <= SIM_PAGES;
	     s += skip + 1) {
		uint8_t *va = p->ram + (size_t)s * SIM_PAGE_BYTES;

		skip = 0;
		if (!take_run(p, s, npages, &skip))
			continue;
		memset(va, 0, (size_t)npages * SIM_PAGE_BYTES);
		*pa = SIM_PHYS_BASE + (uint64_t)s * SIM_PAGE_BYTES;
		return va;
	}
	return NULL;
}

void sim_pages_free(struct sim_pages *p, void *va, unsigned npages)
{
	size_t off = (size_t)((uint8_t *)va - p->ram);
	unsigned s = (unsigned)(off / SIM_PAGE_BYTES);

	if (off % SIM_PAGE_BYTES || s >= SIM_PAGES || !p->used[s] ||
	    p->run[s] != npages) {
		p->errors++;
		return;
	}
	for (unsigned i = 0; i < npages; i++)
		p->used[s + i] = false;
	p->run[s] = 0;
	p->pages_in_use -= npages;
	p->frees++;
	/* Poison: a walk through a freed table reads garbage. */
	memset(va, POISON, (size_t)npages * SIM_PAGE_BYTES);
}

bool sim_pages_pa_ok(const struct sim_pages *p, uint64_t pa, unsigned len)
{
	uint64_t off = pa - SIM_PHYS_BASE;

	return pa >= SIM_PHYS_BASE &&
	       off + len <= (uint64_t)SIM_PAGES * SIM_PAGE_BYTES &&
	       p->used[off / SIM_PAGE_BYTES];
}
