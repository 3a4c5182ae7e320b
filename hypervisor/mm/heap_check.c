/* SPDX-License-Identifier: MIT */
/*
 * A self-check of the heap on the live hypervisor heap, run at boot with
 * "paddock.test=heap" right after heap_init(), while the heap is still one
 * free block: alignment
 * promises, blocks that do not overlap, exhaustion, and full merging of
 * freed neighbours in every freeing order (the free space must come back
 * to what it was).  Each check reports through the caller's function.
 */
#include <paddock/mem.h>
#include <paddock/heap.h>

#define NBLOCKS 48
#define PAGE	4096

static size_t size_of(unsigned i)
{
	/* Small, odd, page-sized and multi-page requests, interleaved. */
	static const size_t sizes[] = {1, 63, 64, 65, 200, 4096, 5000, 12288};

	return sizes[i % (sizeof(sizes) / sizeof(sizes[0]))] + i;
}

static bool aligned(const void *p, size_t size)
{
	uintptr_t a = (uintptr_t)p;

	return !(a % 64) && (size < PAGE || !(a % PAGE));
}

static bool fill_and_check(uint8_t **blocks, bool check)
{
	for (unsigned i = 0; i < NBLOCKS; i++) {
		for (size_t k = 0; k < size_of(i); k++) {
			if (check && blocks[i][k] != (uint8_t)(i + 1))
				return false;
			blocks[i][k] = (uint8_t)(i + 1);
		}
	}
	return true;
}

/* Frees every block in an order given by a stride through the array. */
static void free_all(uint8_t **blocks, unsigned stride)
{
	for (unsigned n = 0, i = 0; n < NBLOCKS;
	     n++, i = (i + stride) % NBLOCKS)
		pd_free(blocks[i]);
}

static bool round_trip(unsigned stride, void (*report)(const char *, bool))
{
	uint8_t *blocks[NBLOCKS];
	size_t before = heap_free_space();
	bool ok = true, zeroed = true;

	for (unsigned i = 0; i < NBLOCKS; i++) {
		blocks[i] = pd_zalloc(size_of(i));
		if (!blocks[i])
			return false;
		ok &= aligned(blocks[i], size_of(i));
		for (size_t k = 0; k < size_of(i); k++)
			zeroed &= blocks[i][k] == 0;
	}
	report("allocations aligned (64 B, pages from 4 KiB)", ok);
	report("allocations zeroed", zeroed);
	fill_and_check(blocks, false);
	report("blocks do not overlap", fill_and_check(blocks, true));
	free_all(blocks, stride);
	if (heap_free_space() != before)
		return false;
	/* Only one merged block can hold nearly all of the free space. */
	void *whole = pd_zalloc(before - 2 * PAGE);

	pd_free(whole);
	return whole != NULL;
}

void heap_self_check(void (*report)(const char *what, bool ok))
{
	/* Strides coprime with NBLOCKS: in order, reversed, scattered. */
	static const unsigned strides[] = {1, NBLOCKS - 1, 7, 13};
	size_t before = heap_free_space();

	for (unsigned s = 0; s < sizeof(strides) / sizeof(strides[0]); s++)
		report("freed neighbours merge back completely",
		       round_trip(strides[s], report));
	report("a request beyond the free space fails",
	       pd_zalloc(before + 64) == NULL);
	report("a zero-byte request fails", pd_zalloc(0) == NULL);
	pd_free(NULL);
	report("free space as before", heap_free_space() == before);
}
