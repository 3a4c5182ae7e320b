/* SPDX-License-Identifier: MIT */
#include "hbitmap.h"

#include <paddock/mem.h>

static uint32_t words_for(uint32_t bits)
{
	return (bits + 63) / 64;
}

/** An empty bitmap of nbits bits (1 <= nbits <= 2^24), or NULL. */
struct pasid_hbitmap *hbm_create(uint32_t nbits)
{
	struct pasid_hbitmap *h = pd_zalloc(sizeof(*h));
	uint32_t bits = nbits;

	if (!h)
		return NULL;
	h->nbits = nbits;
	do {
		uint32_t words = words_for(bits);

		h->level[h->levels] = pd_zalloc(words * sizeof(uint64_t));
		if (!h->level[h->levels]) {
			hbm_destroy(h);
			return NULL;
		}
		h->levels++;
		bits = words;
	} while (bits > 1 && h->levels < HBM_LEVELS_MAX);
	return h;
}

void hbm_destroy(struct pasid_hbitmap *h)
{
	if (!h)
		return;
	for (unsigned i = 0; i < h->levels; i++)
		pd_free(h->level[i]);
	pd_free(h);
}

void hbm_set(struct pasid_hbitmap *h, uint32_t bit)
{
	for (unsigned l = 0; l < h->levels; l++) {
		uint64_t *word = &h->level[l][bit / 64];
		bool was_empty = *word == 0;

		*word |= 1ull << (bit % 64);
		if (!was_empty)
			return;
		bit /= 64;
	}
}

void hbm_clear(struct pasid_hbitmap *h, uint32_t bit)
{
	for (unsigned l = 0; l < h->levels; l++) {
		uint64_t *word = &h->level[l][bit / 64];

		*word &= ~(1ull << (bit % 64));
		if (*word)
			return;
		bit /= 64;
	}
}

void hbm_set_range(struct pasid_hbitmap *h, uint32_t first, uint32_t count)
{
	for (uint32_t i = 0; i < count; i++)
		hbm_set(h, first + i);
}

int64_t hbm_first(const struct pasid_hbitmap *h)
{
	unsigned top = h->levels - 1;
	uint64_t index = 0;

	/* nbits <= 2^24, so the top level is a single word. */
	for (int l = (int)top; l >= 0; l--) {
		uint64_t word = h->level[l][index];

		if (!word)
			return -1;
		index = index * 64 + (uint64_t)__builtin_ctzll(word);
	}
	return (int64_t)index;
}
