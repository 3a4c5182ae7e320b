/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor heap: first fit over one region, address-ordered free
 * list, neighbours merged on free.  Small, predictable and easy to check:
 * generic code allocates at boot and on the rare PASID-table growth, never
 * on a hot path that would need something cleverer.
 *
 * Every block starts with a 64-byte header, so payloads are 64-byte
 * aligned as mem.h promises.  Requests of a page or more are also page
 * aligned (page tables, IOMMU tables).
 */
#include <paddock/mem.h>
#include <paddock/spinlock.h>
#include <paddock/heap.h>

#define HDR_SIZE   64
#define MIN_BLOCK  (2 * HDR_SIZE)
#define PAGE_SIZE  4096
#define MAGIC_FREE 0x46524545f4eef4eeull
#define MAGIC_USED 0x55534544d5edd5edull

struct block {
	size_t size; /* bytes, header included */
	uint64_t magic;
	struct block *next; /* next free block by address (free blocks only) */
	uint8_t pad[HDR_SIZE - 24];
};

_Static_assert(sizeof(struct block) == HDR_SIZE, "header keeps alignment");

static struct spinlock heap_lock = SPINLOCK_INIT;
static struct block *free_list;
static uintptr_t heap_lo, heap_hi;
static size_t heap_free_bytes;
static void (*heap_on_corrupt)(void *p);

static uintptr_t align_up(uintptr_t v, uintptr_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/**
 * Hands the region [base, base + size) to the heap.  on_corrupt is called
 * with a pointer pd_free() was given that is no live heap block; on the
 * hypervisor it never returns (the system is halted), and when it does
 * return (the host tests) the pointer is left alone.
 */
void heap_init(void *base, size_t size, void (*on_corrupt)(void *p))
{
	uintptr_t lo = align_up((uintptr_t)base, HDR_SIZE);
	uintptr_t hi = ((uintptr_t)base + size) & ~(uintptr_t)(HDR_SIZE - 1);

	heap_lo = lo;
	heap_hi = hi;
	heap_on_corrupt = on_corrupt;
	free_list = NULL;
	heap_free_bytes = 0;
	if (hi <= lo || hi - lo < MIN_BLOCK)
		return;
	free_list = (struct block *)lo;
	free_list->size = hi - lo;
	free_list->magic = MAGIC_FREE;
	free_list->next = NULL;
	heap_free_bytes = hi - lo;
}

size_t heap_free_space(void)
{
	return heap_free_bytes;
}

/*
 * Where a payload aligned to `align` can start inside free block b, such
 * that the bytes before it are either none or a valid free block.  0 when
 * the block is too small.
 */
static uintptr_t fit_in(struct block *b, size_t need, size_t align)
{
	uintptr_t start = (uintptr_t)b;
	uintptr_t end = start + b->size;
	uintptr_t hdr = align_up(start + HDR_SIZE, align) - HDR_SIZE;

	while (hdr != start && hdr - start < MIN_BLOCK)
		hdr += align;
	if (hdr + need > end || hdr + need < hdr)
		return 0;
	return hdr;
}

/* Splits the allocated block at hdr (inside free block b) off the list. */
static void carve(struct block **link, struct block *b, uintptr_t hdr,
		  size_t need)
{
	uintptr_t end = (uintptr_t)b + b->size;
	struct block *used = (struct block *)hdr;
	struct block *after = b->next;

	if (end - (hdr + need) >= MIN_BLOCK) {
		struct block *tail = (struct block *)(hdr + need);

		tail->size = end - (hdr + need);
		tail->magic = MAGIC_FREE;
		tail->next = after;
		after = tail;
	} else {
		need = end - hdr;
	}
	if (hdr != (uintptr_t)b) {
		b->size = hdr - (uintptr_t)b;
		b->next = after;
	} else {
		*link = after;
	}
	used->size = need;
	used->magic = MAGIC_USED;
	used->next = NULL;
	heap_free_bytes -= need;
}

void *pd_zalloc(size_t size)
{
	size_t align = size >= PAGE_SIZE ? PAGE_SIZE : HDR_SIZE;
	size_t need;
	void *p = NULL;

	if (size == 0 || size > heap_hi - heap_lo)
		return NULL;
	need = align_up(size, HDR_SIZE) + HDR_SIZE;
	spin_lock(&heap_lock);
	for (struct block **link = &free_list; *link; link = &(*link)->next) {
		uintptr_t hdr = fit_in(*link, need, align);

		if (hdr) {
			carve(link, *link, hdr, need);
			p = (void *)(hdr + HDR_SIZE);
			break;
		}
	}
	spin_unlock(&heap_lock);
	if (p)
		pd_memset(p, 0, size);
	return p;
}

/* Merges b with its successor when they touch. */
static void merge_next(struct block *b)
{
	struct block *n = b->next;

	if (n && (uintptr_t)b + b->size == (uintptr_t)n) {
		b->size += n->size;
		b->next = n->next;
		n->magic = 0;
	}
}

/** Frees p; a pointer that is not a live heap block goes to on_corrupt. */
void pd_free(void *p)
{
	struct block *b, *prev = NULL;
	struct block **link = &free_list;

	if (!p)
		return;
	b = (struct block *)((uintptr_t)p - HDR_SIZE);
	if ((uintptr_t)b < heap_lo || (uintptr_t)b >= heap_hi ||
	    b->magic != MAGIC_USED) {
		heap_on_corrupt(p);
		return;
	}
	spin_lock(&heap_lock);
	while (*link && *link < b) {
		prev = *link;
		link = &(*link)->next;
	}
	b->magic = MAGIC_FREE;
	b->next = *link;
	*link = b;
	heap_free_bytes += b->size;
	merge_next(b);
	if (prev)
		merge_next(prev);
	spin_unlock(&heap_lock);
}
