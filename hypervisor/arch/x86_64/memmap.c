/* SPDX-License-Identifier: MIT */
/*
 * Free memory in the firmware's map, the claims Paddock makes in it, and
 * the check of those claims (asm/memmap.h).  Pure: no hypervisor state,
 * no printing, so the host tests run it on real firmware maps.
 *
 * The map is used as the firmware gave it, unmerged and unsorted: the
 * walk moves from boundary to boundary (every entry's and every claim's
 * start and end), and between two consecutive boundaries a byte is free
 * or not all alike.  A few hundred entries make this a few hundred
 * thousand steps, once, at boot.
 */
#include <paddock/fmt.h>
#include <asm/memmap.h>

#define LOW_MEMORY_END 0x100000ull /* 1 MiB: real-mode reach */
#define PAGE_BYTES     4096ull
#define POOL_ALIGNMENT 0x200000ull /* the physmap's 2 MiB pages */

static uint64_t range_end(const struct mem_range *r)
{
	uint64_t end = r->base + r->length;

	return end < r->base ? ~0ull : end; /* a range up to 2^64 */
}

static bool overlaps(uint64_t a_lo, uint64_t a_hi, uint64_t b_lo, uint64_t b_hi)
{
	return a_lo < b_hi && b_lo < a_hi;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return v > ~0ull - (a - 1) ? ~0ull & ~(a - 1) : (v + a - 1) & ~(a - 1);
}

static bool point_free(const struct memmap *m, uint64_t x)
{
	const struct boot_info *bi = m->bi;
	bool usable = false;

	for (unsigned i = 0; i < bi->nranges; i++) {
		const struct mem_range *r = &bi->ranges[i];

		if (x < r->base || x >= range_end(r))
			continue;
		if (r->kind != MEM_USABLE)
			return false;
		usable = true;
	}
	for (unsigned i = 0; usable && i < m->nclaims; i++) {
		if (x >= m->claims[i].lo && x < m->claims[i].hi)
			return false;
	}
	return usable;
}

/* The first boundary above x, or `limit` if none comes before it. */
static uint64_t next_boundary(const struct memmap *m, uint64_t x,
			      uint64_t limit)
{
	uint64_t next = limit;

	for (unsigned i = 0; i < m->bi->nranges; i++) {
		const struct mem_range *r = &m->bi->ranges[i];

		if (r->base > x && r->base < next)
			next = r->base;
		if (range_end(r) > x && range_end(r) < next)
			next = range_end(r);
	}
	for (unsigned i = 0; i < m->nclaims; i++) {
		if (m->claims[i].lo > x && m->claims[i].lo < next)
			next = m->claims[i].lo;
		if (m->claims[i].hi > x && m->claims[i].hi < next)
			next = m->claims[i].hi;
	}
	return next;
}

/* The first maximal free piece [*lo, *hi) at or above `from`, below
 * `limit`. */
static bool next_free_piece(const struct memmap *m, uint64_t from,
			    uint64_t limit, uint64_t *lo, uint64_t *hi)
{
	uint64_t x = from;

	while (x < limit && !point_free(m, x))
		x = next_boundary(m, x, limit);
	if (x >= limit)
		return false;
	*lo = x;
	while (x < limit && point_free(m, x))
		x = next_boundary(m, x, limit);
	*hi = x < limit ? x : limit;
	return true;
}

bool memmap_is_free(const struct memmap *m, uint64_t lo, uint64_t hi)
{
	uint64_t plo, phi;

	if (hi <= lo)
		return false;
	return next_free_piece(m, lo, hi, &plo, &phi) && plo == lo && phi == hi;
}

int memmap_claim(struct memmap *m, uint64_t lo, uint64_t hi, const char *what)
{
	if (m->nclaims == MEMMAP_MAX_CLAIMS || !memmap_is_free(m, lo, hi))
		return -1;
	m->claims[m->nclaims++] = (struct mem_claim){lo, hi, what};
	return 0;
}

bool memmap_find_first(const struct memmap *m, uint64_t size, uint64_t align,
		       uint64_t from, uint64_t limit, uint64_t *lo)
{
	uint64_t plo, phi;

	for (uint64_t x = from; next_free_piece(m, x, limit, &plo, &phi);
	     x = phi) {
		uint64_t a = align_up(plo, align);

		if (a >= plo && a < phi && size <= phi - a) {
			*lo = a;
			return true;
		}
	}
	return false;
}

bool memmap_find_largest(const struct memmap *m, uint64_t align, uint64_t from,
			 uint64_t limit, uint64_t *lo, uint64_t *hi)
{
	uint64_t plo, phi, best = 0;

	for (uint64_t x = from; next_free_piece(m, x, limit, &plo, &phi);
	     x = phi) {
		uint64_t a = align_up(plo, align), b = phi & ~(align - 1);

		if (b > a && b - a > best) {
			best = b - a;
			*lo = a;
			*hi = b;
		}
	}
	return best != 0;
}

uint64_t memmap_find_last_page(const struct memmap *m, uint64_t from,
			       uint64_t limit)
{
	uint64_t plo, phi, page = 0;

	for (uint64_t x = from; next_free_piece(m, x, limit, &plo, &phi);
	     x = phi) {
		uint64_t a = align_up(plo, PAGE_BYTES);
		uint64_t b = phi & ~(PAGE_BYTES - 1);

		if (b > a)
			page = b - PAGE_BYTES;
	}
	return page;
}

/* A claim must be covered, end to end, by usable entries. */
static int check_covered(const struct memmap *m, const struct mem_claim *c,
			 char *why, size_t why_bytes)
{
	uint64_t x = c->lo;

	while (x < c->hi) {
		uint64_t reach = x;

		for (unsigned i = 0; i < m->bi->nranges; i++) {
			const struct mem_range *r = &m->bi->ranges[i];

			if (r->kind == MEM_USABLE && r->base <= x &&
			    range_end(r) > reach)
				reach = range_end(r);
		}
		if (reach == x) {
			pd_snprintf(why, why_bytes,
				    "%s %lx-%lx: %lx is in no usable entry of "
				    "the firmware's map",
				    c->what, (unsigned long)c->lo,
				    (unsigned long)c->hi - 1, (unsigned long)x);
			return -1;
		}
		x = reach;
	}
	return 0;
}

static int check_claim(const struct memmap *m, unsigned k, char *why,
		       size_t why_bytes)
{
	const struct mem_claim *c = &m->claims[k];
	const struct boot_info *bi = m->bi;

	for (unsigned i = 0; i < bi->nranges; i++) {
		const struct mem_range *r = &bi->ranges[i];

		if (r->kind == MEM_USABLE ||
		    !overlaps(c->lo, c->hi, r->base, range_end(r)))
			continue;
		pd_snprintf(why, why_bytes,
			    "%s %lx-%lx overlaps %s memory %lx-%lx (%s)",
			    c->what, (unsigned long)c->lo,
			    (unsigned long)c->hi - 1, mem_kind_name(r->kind),
			    (unsigned long)r->base,
			    (unsigned long)range_end(r) - 1,
			    mem_fw_type_name(bi->map_source, r->fw_type));
		return -1;
	}
	for (unsigned j = 0; j < k; j++) {
		const struct mem_claim *o = &m->claims[j];

		if (!overlaps(c->lo, c->hi, o->lo, o->hi))
			continue;
		pd_snprintf(why, why_bytes, "%s %lx-%lx overlaps %s %lx-%lx",
			    c->what, (unsigned long)c->lo,
			    (unsigned long)c->hi - 1, o->what,
			    (unsigned long)o->lo, (unsigned long)o->hi - 1);
		return -1;
	}
	return check_covered(m, c, why, why_bytes);
}

int memmap_check(const struct memmap *m, char *why, size_t why_bytes)
{
	for (unsigned k = 0; k < m->nclaims; k++) {
		if (m->claims[k].hi <= m->claims[k].lo) {
			pd_snprintf(why, why_bytes, "%s is empty",
				    m->claims[k].what);
			return -1;
		}
		if (check_claim(m, k, why, why_bytes))
			return -1;
	}
	return 0;
}

/* The image was loaded where the loader was told (the ELF's physical
 * addresses): record it, whatever the map says; memmap_check judges. */
static void claim_image(struct memmap *m, const struct memmap_request *req)
{
	m->claims[m->nclaims++] =
		(struct mem_claim){req->image_lo, req->image_hi, "image"};
}

int memmap_layout(struct memmap *m, const struct memmap_request *req,
		  struct memmap_layout *out, char *why, size_t why_bytes)
{
	uint64_t heap_from = align_up(req->image_hi, POOL_ALIGNMENT);

	*out = (struct memmap_layout){0};
	m->nclaims = 0;
	claim_image(m, req);
	out->low_page = memmap_find_last_page(m, PAGE_BYTES, LOW_MEMORY_END);
	if (out->low_page)
		memmap_claim(m, out->low_page, out->low_page + PAGE_BYTES,
			     "low page");
	if (!memmap_find_first(m, req->heap_bytes, POOL_ALIGNMENT, heap_from,
			       req->limit, &out->heap_lo) ||
	    memmap_claim(m, out->heap_lo, out->heap_lo + req->heap_bytes,
			 "heap")) {
		pd_snprintf(why, why_bytes,
			    "no free %lu MiB for the heap above the image "
			    "and below %lx",
			    (unsigned long)(req->heap_bytes >> 20),
			    (unsigned long)req->limit);
		return -1;
	}
	out->heap_hi = out->heap_lo + req->heap_bytes;
	if (!memmap_find_largest(m, POOL_ALIGNMENT, LOW_MEMORY_END, req->limit,
				 &out->pool_lo, &out->pool_hi) ||
	    memmap_claim(m, out->pool_lo, out->pool_hi, "domain pool")) {
		pd_snprintf(why, why_bytes,
			    "no free 2 MiB-aligned RAM left for the domain "
			    "pool below %lx",
			    (unsigned long)req->limit);
		return -1;
	}
	return memmap_check(m, why, why_bytes);
}
