/* SPDX-License-Identifier: MIT */
/*
 * RMRRs honoured (Intel VT-d Specification 4.x, 8.4 "Reserved Memory
 * Region Reporting Structure"): each RMRR names a physical range
 * [base, limit] (base 4-KiB aligned, limit + 1 4-KiB aligned, Table 8-14)
 * and, through its device scopes (8.3.1), the devices that keep doing DMA
 * to it.  The spec asks that, whenever such a device's DMA is translated,
 * the range stays reachable at the same address: an identity map.
 *
 * Paddock's policy (docs/vtd.md, "RMRRs"):
 *   - a domain that owns a device named by an RMRR gets the RMRR's pages
 *     identity-mapped, read/write, in its DMA tables (VT-d 9.8 second-level
 *     entries, R and W), next to its own window;
 *   - an RMRR whose range overlaps the domain's window in I/O-virtual space
 *     cannot be identity-mapped without hiding part of the window: the
 *     boot is refused, naming domain, device and range;
 *   - RMRR memory is never domain RAM: the domain pool is carved from one
 *     E820 "available" range, where firmware should never put an RMRR, and
 *     any RMRR that overlaps it anyway is cut out of the pool.
 */
#include <asm/acpi.h>
#include <asm/console.h>
#include <asm/domain.h>
#include <asm/paging.h>
#include <asm/rmrr.h>
#include <asm/x86.h>

#define RMRR_POOL_ALIGN LARGE_PAGE_SIZE

/* The RMRR's pages: base rounded down, limit up, to 4 KiB (inclusive). */
static void rmrr_pages(const struct dmar_rmrr *r, uint64_t *first,
		       uint64_t *last)
{
	*first = r->base & ~(PAGE_SIZE - 1);
	*last = r->limit | (PAGE_SIZE - 1);
}

unsigned rmrr_exclude_from_pool(uint64_t *lo, uint64_t *hi)
{
	const struct acpi_info *acpi = acpi_get();
	unsigned hits = 0;

	for (unsigned i = 0; i < acpi->nrmrr; i++) {
		uint64_t first, last, below_hi, above_lo;

		rmrr_pages(&acpi->rmrr[i], &first, &last);
		if (last < *lo || first >= *hi || last < first)
			continue;
		hits++;
		below_hi = first & ~(RMRR_POOL_ALIGN - 1);
		above_lo = (last + RMRR_POOL_ALIGN) & ~(RMRR_POOL_ALIGN - 1);
		if (below_hi < *lo)
			below_hi = *lo;
		if (above_lo > *hi)
			above_lo = *hi;
		console_printf(
			"x86: RMRR %lx-%lx lies in the domain pool "
			"%lx-%lx (firmware did not reserve it): cut out\n",
			first, last, *lo, *hi - 1);
		if (below_hi - *lo >= *hi - above_lo)
			*hi = below_hi;
		else
			*lo = above_lo;
	}
	return hits;
}

/* The first of the domain's devices that the RMRR's scope names. */
static bool rmrr_device(const struct dmar_rmrr *r, const struct domain_cfg *cfg,
			uint32_t *bdf)
{
	if (r->segment != 0) /* Paddock's devices are all on segment 0 */
		return false;
	for (unsigned k = 0; k < cfg->ndevices; k++) {
		for (unsigned s = 0; s < r->nscopes; s++) {
			if (dmar_scope_matches(&r->scopes[s],
					       cfg->devices[k])) {
				*bdf = cfg->devices[k];
				return true;
			}
		}
	}
	return false;
}

int rmrr_map_domain(struct arch_domain *ad)
{
	const struct acpi_info *acpi = acpi_get();
	uint64_t win_lo = ad->mem_base, win_hi = ad->mem_base + ad->mem_bytes;

	for (unsigned i = 0; i < acpi->nrmrr; i++) {
		const struct dmar_rmrr *r = &acpi->rmrr[i];
		uint64_t first, last;
		uint32_t bdf;

		if (!rmrr_device(r, ad->d->cfg, &bdf))
			continue;
		rmrr_pages(r, &first, &last);
		if (r->limit < r->base || last >= (1ull << 47)) {
			console_printf("x86: domain %s: device %02x:%02x.%x: "
				       "RMRR %lx-%lx is malformed or beyond "
				       "the DMA tables' reach (VT-d 8.4): "
				       "refused\n",
				       ad->d->cfg->name, bdf >> 8,
				       (bdf >> 3) & 31, bdf & 7, r->base,
				       r->limit);
			return -1;
		}
		if (first < win_hi && last >= win_lo) {
			console_printf("x86: domain %s: device %02x:%02x.%x: "
				       "RMRR %lx-%lx overlaps the domain's DMA "
				       "window %lx-%lx; it cannot be "
				       "identity-mapped (VT-d 8.4): refused\n",
				       ad->d->cfg->name, bdf >> 8,
				       (bdf >> 3) & 31, bdf & 7, first, last,
				       win_lo, win_hi - 1);
			return -1;
		}
		/* VT-d 9.8: second-level leaves, R and W; the address is the
		 * RMRR's own (identity). */
		if (paging_map(ad->dma_root, first, first, last - first + 1,
			       SLPTE_R | SLPTE_W, SLPTE_R | SLPTE_W)) {
			console_printf("x86: domain %s: out of memory for the "
				       "DMA tables of RMRR %lx-%lx\n",
				       ad->d->cfg->name, first, last);
			return -1;
		}
		console_printf("x86: domain %s: device %02x:%02x.%x: RMRR "
			       "%lx-%lx identity-mapped for DMA\n",
			       ad->d->cfg->name, bdf >> 8, (bdf >> 3) & 31,
			       bdf & 7, first, last);
	}
	return 0;
}
