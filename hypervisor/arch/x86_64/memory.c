/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's RAM (asm/memory.h): the memory map printed, the heap,
 * the domain pool and the low page placed in it by memmap.c, and the
 * placement checked against the map before the heap is written to.
 */
#include <asm/console.h>
#include <asm/layout.h>
#include <asm/memmap.h>
#include <asm/memory.h>
#include <asm/paging.h>

static struct memmap boot_memmap;
static struct memmap_layout layout;
static char why[200];

static const char *const source_names[] = {
	[MAP_NONE] = "nowhere",
	[MAP_E820] = "E820 types",
	[MAP_EFI] = "EFI types",
};

/* Entries i.. that follow each other without a gap and share a kind. */
static unsigned run_length(const struct boot_info *bi, unsigned i)
{
	unsigned n = 1;

	while (i + n < bi->nranges &&
	       bi->ranges[i + n].kind == bi->ranges[i].kind &&
	       bi->ranges[i + n].base == bi->ranges[i + n - 1].base +
						 bi->ranges[i + n - 1].length)
		n++;
	return n;
}

/* One line per run: the map of a UEFI machine has a hundred entries and
 * more, most of them boot services memory next to free memory. */
static void print_map(const struct boot_info *bi)
{
	hv_printf("x86: memory map (%s", source_names[bi->map_source]);
	if (bi->map_tag)
		hv_printf(", multiboot2 tag %u", bi->map_tag);
	hv_printf("): %u entries%s\n", bi->map_entries,
		  bi->map_truncated ? ", the last ones dropped" : "");
	for (unsigned i = 0; i < bi->nranges;) {
		unsigned n = run_length(bi, i);
		const struct mem_range *first = &bi->ranges[i];
		const struct mem_range *last = &bi->ranges[i + n - 1];
		uint64_t end = last->base + last->length;

		hv_printf("x86:   %012lx-%012lx %-16s %7lu KiB", first->base,
			  end - 1, mem_kind_name(first->kind),
			  (end - first->base) >> 10);
		if (n == 1)
			hv_printf(" (%s)\n", mem_fw_type_name(bi->map_source,
							      first->fw_type));
		else
			hv_printf(" (%u entries)\n", n);
		i += n;
	}
}

int x86_memory_init(const struct boot_info *bi, uint64_t image_end_phys,
		    uint64_t heap_bytes, uint64_t *heap_lo, uint64_t *pool_lo,
		    uint64_t *pool_hi)
{
	const struct memmap_request req = {
		.image_lo = KERNEL_LOAD_PHYS,
		.image_hi = image_end_phys,
		.heap_bytes = heap_bytes,
		.limit = PHYSMAP_SIZE,
	};

	print_map(bi);
	boot_memmap.bi = bi;
	if (memmap_layout(&boot_memmap, &req, &layout, why, sizeof(why))) {
		hv_printf("x86: memory: %s: refused\n", why);
		return -1;
	}
	hv_printf("x86: memory: image %lx-%lx, heap %lx-%lx, domain pool "
		  "%lx-%lx (%lu MiB), low page %lx\n",
		  req.image_lo, req.image_hi - 1, layout.heap_lo,
		  layout.heap_hi - 1, layout.pool_lo, layout.pool_hi - 1,
		  (layout.pool_hi - layout.pool_lo) >> 20, layout.low_page);
	hv_printf("x86: memory: %u claims checked against the %u entries of "
		  "the map: all in usable RAM, none overlapping\n",
		  boot_memmap.nclaims, bi->nranges);
	*heap_lo = layout.heap_lo;
	*pool_lo = layout.pool_lo;
	*pool_hi = layout.pool_hi;
	return 0;
}

uint64_t x86_low_page_reserve(void)
{
	return layout.low_page;
}

int x86_memory_claim(uint64_t lo, uint64_t hi, const char *what)
{
	if (!boot_memmap.bi || memmap_claim(&boot_memmap, lo, hi, what))
		return -1;
	return memmap_check(&boot_memmap, why, sizeof(why));
}

int x86_memory_claim_above(uint64_t from, uint64_t bytes, const char *what,
			   uint64_t *lo)
{
	if (!boot_memmap.bi ||
	    !memmap_find_first(&boot_memmap, bytes, PAGE_SIZE, from, ~0ull, lo))
		return -1;
	return x86_memory_claim(*lo, *lo + bytes, what);
}
