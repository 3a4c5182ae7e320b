/* SPDX-License-Identifier: MIT */
/*
 * A hierarchical bitmap: up to four levels of 64-bit words, each bit of an
 * upper level saying "the word below has a set bit".  Finding the lowest
 * set bit then costs one count-trailing-zeros per level, whatever the
 * occupancy: this is what keeps PASID allocation flat at 99% full.
 */
#ifndef PADDOCK_PASID_HBITMAP_H
#define PADDOCK_PASID_HBITMAP_H

#include <paddock/types.h>

#define HBM_LEVELS_MAX 4

struct pasid_hbitmap {
	uint32_t nbits;
	unsigned levels;
	uint64_t *level[HBM_LEVELS_MAX]; /* level[0] holds the bits */
};

struct pasid_hbitmap *hbm_create(uint32_t nbits);
void hbm_destroy(struct pasid_hbitmap *h);
void hbm_set(struct pasid_hbitmap *h, uint32_t bit);
void hbm_clear(struct pasid_hbitmap *h, uint32_t bit);
void hbm_set_range(struct pasid_hbitmap *h, uint32_t first, uint32_t count);

static inline bool hbm_test(const struct pasid_hbitmap *h, uint32_t bit)
{
	return (h->level[0][bit / 64] >> (bit % 64)) & 1;
}

/** No bit set: one load, the top level being a single word. */
static inline bool hbm_empty(const struct pasid_hbitmap *h)
{
	return h->level[h->levels - 1][0] == 0;
}

/** The lowest set bit, or -1 when none is set. */
int64_t hbm_first(const struct pasid_hbitmap *h);

#endif
