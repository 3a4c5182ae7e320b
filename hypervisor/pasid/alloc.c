/* SPDX-License-Identifier: MIT */
/*
 * Where PASIDs come from.
 *
 * A set with a static range draws from its own bitmap over [lo, hi].
 * Every other set draws from the shared pool, which hands out chunks of
 * 16 PASIDs; a set allocates inside its chunks and asks for another only
 * when all are full.  A new chunk is taken, in order of preference, from
 * (1) the 64-PASID block of the set's newest chunk, (2) the lowest wholly
 * free block, (3) the lowest free chunk; a set's first chunk comes from
 * (3) directly, so that sets pack four to a block and PASID numbers, and
 * so VT-d PASID directories and record leaves, stay small when there are
 * many of them (make bench: vtd.table_mem_ratio, pasid.meta_bytes), and a
 * set that grows moves to a block of its own with its second chunk.  A
 * domain's PASIDs therefore sit together in VT-d PASID-table leaves (64
 * entries, VT-d 4.x 9.5) instead of being strewn one per leaf, and every
 * step is O(1): a free list per set plus hierarchical bitmaps for the pool.
 *
 * A set that empties a chunk while it owns others keeps one such chunk as
 * its spare instead of giving it back: the next time its chunks are full,
 * it takes the spare without touching the pool, its lock or its bitmaps.
 * So a domain whose use swings across a chunk boundary (alloc, free,
 * alloc...) does not bounce a chunk through the pool each time (make
 * bench: paddock.alloc_free.newchunk).  A second emptied chunk goes back
 * to the pool.  A spare holds at most 16 PASIDs out of the pool per set,
 * charged to no one; fallbacks still reach them.
 *
 * Fallback: when no chunk is free, a set takes any free PASID outside the
 * ranges, inside another domain's chunk if need be (set_fallback), so
 * that a domain within its quota is refused for lack of space only when
 * the space outside the ranges is full.  Such a PASID is "lent": the chunk
 * stays its owner's, and the record's tag, claimed with one compare-
 * exchange (rec_claim), says who holds it.  A chunk's free_mask is then
 * what its owner knows: a bit may be set for a PASID a fallback took (the
 * owner's claim fails, and it drops the bit: lost_bits), and a lent PASID
 * freed later is not given back to the owner's mask (that needs the
 * owner's lock) but stays where a fallback finds it.  The same holds for
 * a chunk claimed while fallbacks still hold PASIDs in it.  No counter
 * is kept per chunk: the fallback path takes no atomic read-modify-write
 * beyond the claim.  Clustering degrades only where fallbacks happen.
 *
 * A chunk touched by a range never enters the pool, so up to 15 PASIDs
 * at each end of a range that is not 16-aligned are left to fallbacks.
 */
#include "internal.h"

static uint16_t chunk_avail_mask(const struct pasid_mgr *m, uint32_t c)
{
	uint16_t mask = 0;

	for (uint32_t i = 0; i < CHUNK_PASIDS; i++) {
		uint32_t pasid = c * CHUNK_PASIDS + i;

		/* PASID 0 is reserved for DMA without a PASID. */
		if (pasid >= 1 && pasid < m->limit)
			mask |= (uint16_t)(1u << i);
	}
	return mask;
}

/* The free chunks of a block, bit i for its chunk i (one word: a block's
 * four chunks share a word of free_chunks), and the bits it has. */
static unsigned block_free_bits(const struct pasid_mgr *m, uint32_t block,
				unsigned *all)
{
	uint32_t first = block * CHUNKS_PER_BLOCK;
	uint32_t n = m->nchunks - first;

	if (n > CHUNKS_PER_BLOCK)
		n = CHUNKS_PER_BLOCK;
	*all = (1u << n) - 1;
	return (unsigned)(m->free_chunks->level[0][first / 64] >>
			  (first % 64)) &
	       *all;
}

/* A block is wholly free when all its chunks are.  Called after every
 * change to free_chunks, so it also refreshes the pool's lock-free hint. */
static void block_refresh(struct pasid_pool_locked pl, uint32_t block)
{
	struct pasid_mgr *m = pool_held(pl);
	unsigned all;
	bool whole = block_free_bits(m, block, &all) == all;

	if (whole)
		hbm_set(m->free_blocks, block);
	else
		hbm_clear(m->free_blocks, block);
	atomic_store_explicit(&m->pool_has_chunk, !hbm_empty(m->free_chunks),
			      memory_order_relaxed);
}

int pool_init(struct pasid_mgr *m)
{
	uint32_t nblocks;

	m->nchunks = (m->limit + CHUNK_PASIDS - 1) / CHUNK_PASIDS;
	nblocks = (m->nchunks + CHUNKS_PER_BLOCK - 1) / CHUNKS_PER_BLOCK;
	m->chunks = pd_zalloc(m->nchunks * sizeof(*m->chunks));
	m->free_chunks = hbm_create(m->nchunks);
	m->free_blocks = hbm_create(nblocks);
	if (!m->chunks || !m->free_chunks || !m->free_blocks) {
		pool_fini(m);
		return -1;
	}
	for (uint32_t c = 0; c < m->nchunks; c++) {
		m->chunks[c].avail_mask = chunk_avail_mask(m, c);
		m->chunks[c].next = m->chunks[c].prev = CHUNK_NONE;
	}
	hbm_set_range(m->free_chunks, 0, m->nchunks);
	hbm_set_range(m->free_blocks, 0, nblocks);
	atomic_store(&m->pool_has_chunk, true);
	return 0;
}

void pool_fini(struct pasid_mgr *m)
{
	pd_free(m->chunks);
	hbm_destroy(m->free_chunks);
	hbm_destroy(m->free_blocks);
	m->chunks = NULL;
	m->free_chunks = m->free_blocks = NULL;
}

static int64_t pick_chunk(struct pasid_pool_locked pl,
			  const struct pasid_set *s)
{
	struct pasid_mgr *m = pool_held(pl);
	int64_t block, c;

	if (s->last_chunk != CHUNK_NONE) {
		uint32_t near = s->last_chunk / CHUNKS_PER_BLOCK;
		unsigned all, bits = block_free_bits(m, near, &all);

		if (bits)
			return near * CHUNKS_PER_BLOCK +
			       (unsigned)__builtin_ctz(bits);
	}
	if (s->nchunks == 0)
		return hbm_first(m->free_chunks);
	block = hbm_first(m->free_blocks);
	if (block >= 0)
		return block * CHUNKS_PER_BLOCK;
	c = hbm_first(m->free_chunks);
	return c;
}

static uint32_t claim_chunk(struct pasid_mgr *m, struct pasid_set *s)
{
	struct pasid_pool_locked pl = lock_pool(m);
	int64_t c = pick_chunk(pl, s);

	if (c >= 0) {
		hbm_clear(m->free_chunks, (uint32_t)c);
		block_refresh(pl, (uint32_t)c / CHUNKS_PER_BLOCK);
		atomic_store_explicit(&m->chunks[c].owner, s,
				      memory_order_relaxed);
	}
	unlock_pool(&pl);
	return c >= 0 ? (uint32_t)c : CHUNK_NONE;
}

static void release_chunk(struct pasid_mgr *m, uint32_t c)
{
	struct pasid_pool_locked pl = lock_pool(m);

	atomic_store_explicit(&m->chunks[c].owner, NULL, memory_order_relaxed);
	hbm_set(m->free_chunks, c);
	block_refresh(pl, c / CHUNKS_PER_BLOCK);
	unlock_pool(&pl);
}

/*
 * The chunk a set allocates from, the head of its list of chunks with
 * room, keeps its free mask in the set (head_mask), not in the chunk
 * array: neighbouring chunks are other domains', and their fields share
 * cache lines, so that every alloc and free would bounce a line between
 * CPUs.  The chunk array's free_mask of the head is stale until the head
 * changes.  Owner's lock held.
 */
static void head_set(struct pasid_mgr *m, struct pasid_set *s, uint32_t c)
{
	if (s->room_head != CHUNK_NONE)
		m->chunks[s->room_head].free_mask = s->head_mask;
	s->room_head = c;
	if (c != CHUNK_NONE)
		s->head_mask = m->chunks[c].free_mask;
}

uint16_t *chunk_free_mask(struct pasid_mgr *m, struct pasid_set *s, uint32_t c)
{
	return c == s->room_head ? &s->head_mask : &m->chunks[c].free_mask;
}

/* What the set knows to be free in chunk c it owns: its spare is wholly
 * free (the array's mask of a spare may be stale). */
uint16_t chunk_free_bits(struct pasid_mgr *m, struct pasid_set *s, uint32_t c)
{
	return c == s->spare ? m->chunks[c].avail_mask
			     : *chunk_free_mask(m, s, c);
}

static void room_push(struct pasid_mgr *m, struct pasid_set *s, uint32_t c)
{
	struct pasid_chunk *ch = &m->chunks[c];

	ch->prev = CHUNK_NONE;
	ch->next = s->room_head;
	if (s->room_head != CHUNK_NONE)
		m->chunks[s->room_head].prev = c;
	head_set(m, s, c);
}

static void room_unlink(struct pasid_mgr *m, struct pasid_set *s, uint32_t c)
{
	struct pasid_chunk *ch = &m->chunks[c];

	if (ch->prev != CHUNK_NONE)
		m->chunks[ch->prev].next = ch->next;
	else
		head_set(m, s, ch->next);
	if (ch->next != CHUNK_NONE)
		m->chunks[ch->next].prev = ch->prev;
	ch->next = ch->prev = CHUNK_NONE;
}

static int64_t pool_set_take(struct pasid_mgr *m, struct pasid_set_locked sl)
{
	struct pasid_set *s = set_held(sl);
	uint32_t c, bit;

	while (s->room_head == CHUNK_NONE) {
		if (s->spare != CHUNK_NONE) {
			/* The list is empty and the spare wholly free, its
			 * links NONE: it becomes the list, in the set alone. */
			s->room_head = s->spare;
			s->head_mask = m->chunks[s->spare].avail_mask;
			s->spare = CHUNK_NONE;
			break;
		}
		/* A dry pool sends the set to a fallback without its lock. */
		if (!atomic_load_explicit(&m->pool_has_chunk,
					  memory_order_relaxed))
			return -1;
		c = claim_chunk(m, s);
		if (c == CHUNK_NONE)
			return -1;
		/* Fallbacks may hold some of its PASIDs (a chunk given
		 * back while lent): the set's claims on those will fail
		 * and drop their bits (lost_bits). */
		m->chunks[c].free_mask = m->chunks[c].avail_mask;
		if (m->chunks[c].free_mask)
			room_push(m, s, c);
		s->nchunks++;
		s->last_chunk = c;
	}
	c = s->room_head;
	bit = (uint32_t)__builtin_ctz(s->head_mask);
	s->head_mask &= (uint16_t) ~(1u << bit);
	if (!s->head_mask)
		room_unlink(m, s, c);
	return (int64_t)c * CHUNK_PASIDS + bit;
}

static void pool_set_return(struct pasid_mgr *m, struct pasid_set_locked sl,
			    uint32_t pasid)
{
	struct pasid_set *s = set_held(sl);
	uint32_t c = pasid / CHUNK_PASIDS;
	struct pasid_chunk *ch = &m->chunks[c];
	uint16_t *mask;
	bool was_full;

	/* A lent PASID in another domain's chunk: its tag says FREE, which
	 * is all a fallback needs; the owner's mask is the owner's. */
	if (atomic_load_explicit(&ch->owner, memory_order_relaxed) != s)
		return;
	mask = chunk_free_mask(m, s, c);
	was_full = *mask == 0;
	*mask |= (uint16_t)(1u << (pasid % CHUNK_PASIDS));
	if (was_full)
		room_push(m, s, c);
	/* Keep the last chunk, so that alloc/free churn stays in it, and
	 * one emptied chunk more as the spare. */
	if (*chunk_free_mask(m, s, c) == ch->avail_mask && s->nchunks > 1) {
		if (s->spare == CHUNK_NONE && !m->no_spares &&
		    s->room_head == c && ch->next == CHUNK_NONE) {
			/* Its only chunk with room: the list empties into
			 * the spare, in the set alone (its links are NONE,
			 * its mask in the array stale: a spare is free). */
			s->room_head = CHUNK_NONE;
			s->spare = c;
			return;
		}
		room_unlink(m, s, c);
		if (s->spare == CHUNK_NONE && !m->no_spares) {
			s->spare = c;
			return;
		}
		s->nchunks--;
		/* last_chunk stays: the next claim looks in this block first */
		release_chunk(m, c);
	}
}

/** The PASID to hand out next, or -1 when none. */
int64_t set_take_pasid(struct pasid_mgr *m, struct pasid_set_locked sl)
{
	struct pasid_set *s = set_held(sl);
	int64_t i;

	if (!set_has_range(s))
		return pool_set_take(m, sl);
	i = hbm_first(s->range_free);
	if (i < 0)
		return -1;
	hbm_clear(s->range_free, (uint32_t)i);
	return s->range_lo + i;
}

/** Gives a recycled PASID back to where it came from. */
void set_return_pasid(struct pasid_mgr *m, struct pasid_set_locked sl,
		      uint32_t pasid)
{
	struct pasid_set *s = set_held(sl);

	if (set_has_range(s))
		hbm_set(s->range_free, pasid - s->range_lo);
	else
		pool_set_return(m, sl, pasid);
}

/** The set's claim on `pasid`, just taken from its mask, lost the race
 * to a fallback: the PASID is another's, and its bit stays clear. */
void set_note_taken(struct pasid_set_locked sl, uint32_t pasid)
{
	(void)pasid;
	set_held(sl)->lost_bits++;
}

/* A free PASID of chunk c among the bits `from`, outside the ranges,
 * claimed for s (its number in *pasid); or NULL. */
static struct pasid_record *fallback_in_chunk(struct pasid_mgr *m,
					      struct pasid_set *s, uint32_t c,
					      uint16_t from, uint32_t *pasid,
					      int *nomem)
{
	struct pasid_chunk *ch = &m->chunks[c];
	uint16_t cand =
		ch->avail_mask & (uint16_t)~atomic_load(&ch->range_mask);
	struct pasid_record *first;

	cand &= from;
	if (!cand)
		return NULL;
	first = record_at(m, c * CHUNK_PASIDS);
	if (!first)
		first = record_make(m, c * CHUNK_PASIDS);
	if (!first) {
		*nomem = 1;
		return NULL;
	}
	for (; cand; cand &= (uint16_t)(cand - 1)) {
		uint32_t bit = (uint32_t)__builtin_ctz(cand);
		struct pasid_record *r = first + bit;

		if (atomic_load_explicit(&r->tag, memory_order_relaxed) ||
		    !rec_claim_as(r, s->domain, TAG_LENT))
			continue;
		/* A range being created over it meanwhile wins: it checks the
		 * tags after marking, we check the mark after claiming. */
		if ((atomic_load(&ch->range_mask) >> bit) & 1) {
			atomic_store(&r->tag, 0);
			continue;
		}
		*pasid = c * CHUNK_PASIDS + bit;
		return r;
	}
	return NULL;
}

/**
 * No chunk is free: claims any free PASID outside the ranges, wherever it
 * is, starting at the PASID the last fallback found (often the one freed
 * since): O(1) then, O(space) at worst, when almost nothing is free;
 * taken only when the pool is dry.  The last round goes back over the
 * first chunk's lower PASIDs.  The record comes claimed (ALLOCATED,
 * lent), its PASID in *pasid; NULL when none is free (*nomem set when a
 * record leaf could not be made).
 */
struct pasid_record *set_fallback(struct pasid_mgr *m,
				  struct pasid_set_locked sl, uint32_t *pasid,
				  int *nomem)
{
	struct pasid_set *s = set_held(sl);
	uint32_t rover =
		atomic_load_explicit(&m->fallback_rover, memory_order_relaxed);
	uint32_t c = rover / CHUNK_PASIDS; /* below nchunks: no division */
	uint16_t from = (uint16_t)(0xFFFFu << (rover % CHUNK_PASIDS));

	for (uint32_t i = 0; i <= m->nchunks; i++, c++, from = 0xFFFF) {
		struct pasid_record *r;

		if (c >= m->nchunks)
			c = 0;
		r = fallback_in_chunk(m, s, c, from, pasid, nomem);
		if (r) {
			/* Most often the one found last time, freed since: no
			 * store, so that CPUs falling back in turn do not
			 * bounce the line. */
			if (*pasid != rover)
				atomic_store_explicit(&m->fallback_rover,
						      *pasid,
						      memory_order_relaxed);
			s->nlent++;
			s->fallbacks++;
			return r;
		}
	}
	return NULL;
}

/**
 * A fallback's first try: the lent PASID the set gave back last
 * (`fallback_hint`), claimed again when the set still has no chunk with
 * room, the pool is still dry and the PASID still free, in another
 * domain's chunk, outside every range.  O(1): a domain that allocates
 * and frees in a full space takes the same PASID back and forth without
 * a scan.  NULL otherwise: the caller falls back as usual.
 */
struct pasid_record *set_fallback_again(struct pasid_mgr *m,
					struct pasid_set_locked sl,
					uint32_t *pasid)
{
	struct pasid_set *s = set_held(sl);
	uint32_t p = s->fallback_hint, bit = p % CHUNK_PASIDS;
	struct pasid_chunk *ch = &m->chunks[p / CHUNK_PASIDS];
	struct pasid_record *r;

	if (!p || s->room_head != CHUNK_NONE || s->spare != CHUNK_NONE ||
	    atomic_load_explicit(&m->pool_has_chunk, memory_order_relaxed) ||
	    atomic_load_explicit(&ch->owner, memory_order_relaxed) == s)
		return NULL;
	r = record_at(m, p);
	if (!r || atomic_load_explicit(&r->tag, memory_order_relaxed) ||
	    !rec_claim_as(r, s->domain, TAG_LENT))
		return NULL;
	/* A range made over it meanwhile wins, as in fallback_in_chunk(). */
	if ((atomic_load(&ch->range_mask) >> bit) & 1) {
		atomic_store(&r->tag, 0);
		return NULL;
	}
	s->nlent++;
	s->fallbacks++;
	*pasid = p;
	return r;
}

/** Quiescent use (the tests): free PASIDs outside every range. */
uint32_t pool_free_outside_ranges(struct pasid_mgr *m)
{
	uint32_t n = 0;

	for (uint32_t p = 1; p < m->limit; p++) {
		const struct pasid_chunk *ch = &m->chunks[p / CHUNK_PASIDS];
		struct pasid_record *r = record_at(m, p);

		if ((atomic_load(&ch->range_mask) >> (p % CHUNK_PASIDS)) & 1)
			continue;
		n += !r || atomic_load(&r->tag) == 0;
	}
	return n;
}

/** Owner's lock held.  For the invariant checker. */
bool set_holds_free_pasid(struct pasid_mgr *m, struct pasid_set *s,
			  uint32_t pasid)
{
	uint32_t c = pasid / CHUNK_PASIDS;

	if (set_has_range(s))
		return pasid >= s->range_lo && pasid <= s->range_hi &&
		       hbm_test(s->range_free, pasid - s->range_lo);
	return atomic_load_explicit(&m->chunks[c].owner,
				    memory_order_relaxed) == s &&
	       ((chunk_free_bits(m, s, c) >> (pasid % CHUNK_PASIDS)) & 1);
}

/* The bits of chunk c inside [lo, hi]. */
static uint16_t range_bits(uint32_t c, uint32_t lo, uint32_t hi)
{
	uint16_t bits = 0;

	for (uint32_t i = 0; i < CHUNK_PASIDS; i++) {
		uint32_t p = c * CHUNK_PASIDS + i;

		if (p >= lo && p <= hi)
			bits |= (uint16_t)(1u << i);
	}
	return bits;
}

static void range_unmark(struct pasid_mgr *m, uint32_t lo, uint32_t hi)
{
	for (uint32_t c = lo / CHUNK_PASIDS; c <= hi / CHUNK_PASIDS; c++)
		atomic_fetch_and(&m->chunks[c].range_mask,
				 (uint16_t)~range_bits(c, lo, hi));
}

static bool range_has_holder(struct pasid_mgr *m, uint32_t lo, uint32_t hi)
{
	for (uint32_t p = lo; p <= hi; p++) {
		struct pasid_record *r = record_at(m, p);

		if (r && atomic_load(&r->tag))
			return true;
	}
	return false;
}

/**
 * Marks [lo, hi] as a range's, so that fallbacks keep out, when no chunk
 * touching it has been handed out and no fallback holds a PASID in it;
 * else marks nothing and answers false.
 */
bool pool_range_mark(struct pasid_sets_locked sl, uint32_t lo, uint32_t hi)
{
	struct pasid_mgr *m = sets_held(sl);
	struct pasid_pool_locked pl = lock_pool(m);
	bool free = true;

	for (uint32_t c = lo / CHUNK_PASIDS; c <= hi / CHUNK_PASIDS; c++)
		if (atomic_load_explicit(&m->chunks[c].owner,
					 memory_order_relaxed))
			free = false;
	if (free) {
		for (uint32_t c = lo / CHUNK_PASIDS; c <= hi / CHUNK_PASIDS;
		     c++)
			atomic_fetch_or(&m->chunks[c].range_mask,
					range_bits(c, lo, hi));
		if (range_has_holder(m, lo, hi)) {
			range_unmark(m, lo, hi);
			free = false;
		}
	}
	unlock_pool(&pl);
	return free;
}

/** Takes every chunk touching [lo, hi] out of the pool. */
void pool_reserve_range(struct pasid_sets_locked sl, uint32_t lo, uint32_t hi)
{
	struct pasid_mgr *m = sets_held(sl);
	struct pasid_pool_locked pl = lock_pool(m);

	for (uint32_t c = lo / CHUNK_PASIDS; c <= hi / CHUNK_PASIDS; c++) {
		if (hbm_test(m->free_chunks, c)) {
			hbm_clear(m->free_chunks, c);
			block_refresh(pl, c / CHUNKS_PER_BLOCK);
		}
	}
	unlock_pool(&pl);
}

static bool chunk_touches_other_range(struct pasid_mgr *m, uint32_t c,
				      const struct pasid_set *leaving)
{
	uint32_t first = c * CHUNK_PASIDS, last = first + CHUNK_PASIDS - 1;

	for (uint32_t i = 0; i < PASID_MAX_SETS; i++) {
		const struct pasid_set *s = m->sets[i];

		if (s && s != leaving && set_has_range(s) &&
		    s->range_lo <= last && s->range_hi >= first)
			return true;
	}
	return false;
}

/** A range set is gone: its chunks rejoin the pool. */
void pool_return_range(struct pasid_sets_locked sl,
		       const struct pasid_set *leaving)
{
	struct pasid_mgr *m = sets_held(sl);
	uint32_t first = leaving->range_lo / CHUNK_PASIDS;
	uint32_t last = leaving->range_hi / CHUNK_PASIDS;
	struct pasid_pool_locked pl = lock_pool(m);

	range_unmark(m, leaving->range_lo, leaving->range_hi);
	unlock_pool(&pl);
	for (uint32_t c = first; c <= last; c++) {
		/* Only the two end chunks can be shared with another range. */
		if ((c == first || c == last) &&
		    chunk_touches_other_range(m, c, leaving))
			continue;
		pl = lock_pool(m);
		hbm_set(m->free_chunks, c);
		block_refresh(pl, c / CHUNKS_PER_BLOCK);
		unlock_pool(&pl);
	}
}

/** The set is empty and going: its spare chunks rejoin the pool. */
void pool_release_set_chunks(struct pasid_sets_locked sl, struct pasid_set *s)
{
	struct pasid_mgr *m = sets_held(sl);

	if (s->spare != CHUNK_NONE) {
		s->nchunks--;
		release_chunk(m, s->spare);
		s->spare = CHUNK_NONE;
	}
	while (s->room_head != CHUNK_NONE) {
		uint32_t c = s->room_head;

		room_unlink(m, s, c);
		s->nchunks--;
		release_chunk(m, c);
	}
	/* A chunk whose free bits fallbacks took is off the room list. */
	for (uint32_t c = 0; s->nchunks && c < m->nchunks; c++) {
		if (atomic_load_explicit(&m->chunks[c].owner,
					 memory_order_relaxed) == s) {
			s->nchunks--;
			release_chunk(m, c);
		}
	}
}
