/* SPDX-License-Identifier: MIT */
/*
 * The PASID manager's private structures, shared by its source files.
 */
#ifndef PADDOCK_PASID_INTERNAL_H
#define PADDOCK_PASID_INTERNAL_H

#include "hbitmap.h"

#include <paddock/fmt.h>
#include <paddock/mem.h>
#include <paddock/pasid.h>

#define CHUNK_PASIDS	 (1u << PASID_CHUNK_SHIFT)
#define CHUNKS_PER_BLOCK 4 /* 64 PASIDs: one VT-d PASID-table leaf */
#define CHUNK_NONE	 0xFFFFFFFFu
#define LEAF_RECORDS	 (1u << PASID_LEAF_SHIFT)

/*
 * A record's tag (struct pasid_record): 0 when the PASID is FREE, else
 * the owner's domain id, the state, two flags and the number of device
 * bindings.  Written under the owner's lock with a release store, or
 * claimed from 0 with one compare-exchange (rec_claim); read with one
 * load by the lock-free lookups.
 */
#define TAG_DOMAIN	0xFFFFu
#define TAG_STATE_SHIFT 16
#define TAG_STATE	(3u << TAG_STATE_SHIFT)
#define TAG_LENT	(1u << 18) /* taken by a fallback (alloc.c) */
#define TAG_COOKIE	(1u << 19) /* its extras hold a cookie */
#define TAG_NBIND_SHIFT 20	   /* device bindings, 12 bits */
#define TAG_NBIND	(0xFFFu << TAG_NBIND_SHIFT)
_Static_assert(PASID_MAX_DEVICES < 0x1000, "a PASID's bindings fit the tag");

/** A PASID bound to a device: the hypervisor's binding data. */
struct pasid_binding {
	struct pasid_binding *next;
	struct pasid_device *device;
	enum pasid_entry_kind kind;
};

/**
 * One domain's PASID set.  Everything here is under `lock`.  Cache-line
 * aligned, and what every alloc and free touches comes first, so that
 * two domains' operations on two CPUs never write one line.
 */
struct pasid_set {
	_Alignas(64) struct spinlock lock;
	domid_t domain;
	bool privileged;
	bool dying;	    /* torn down; freed when its last PASID recycles */
	uint16_t head_mask; /* pool sets: room_head's free mask (alloc.c) */
	uint32_t quota;
	uint32_t allocated; /* charged: live + parked */
	uint32_t peak;
	uint32_t parked;
	uint32_t bound;
	uint32_t room_head;  /* pool sets: chunks with a free PASID */
	uint32_t spare;	     /* pool sets: an emptied chunk kept (alloc.c) */
	uint32_t nchunks;    /* chunks it owns, the spare included */
	uint32_t last_chunk; /* pool sets: newest chunk, for clustering */
	uint32_t range_lo, range_hi;	  /* both 0: the shared pool */
	struct pasid_hbitmap *range_free; /* range sets: bit i = lo + i free */
	uint32_t fallbacks;	/* PASIDs taken in other domains' chunks */
	uint32_t fallback_hint; /* the lent PASID it gave back last, or 0 */
	uint32_t nlent;		/* of those, still held (TAG_LENT) */
	uint32_t lost_bits;	/* own free bits found taken by a fallback */
	uint32_t refusals[PADDOCK_PASID_R_MAX + 1];
};

/*
 * Sets live in slabs, one per PASID_SET_SLAB consecutive domain ids, made
 * with the first of their sets and freed with the last: one heap block,
 * with its 64-byte header and rounding, per 16 domains instead of one
 * each (make bench: pasid.set_bytes).  Domain ids are handed out densely
 * from 0 (docs/config.md).  The hypervisor's own set is a block of its
 * own.  Under sets_lock.
 */
struct pasid_set_slab {
	struct pasid_set set[PASID_SET_SLAB];
	unsigned used;
};

static inline bool set_has_range(const struct pasid_set *s)
{
	return s->range_hi != 0;
}

/** The record of `pasid`, or NULL when its leaf was never made. */
static inline struct pasid_record *record_at(struct pasid_mgr *m,
					     uint32_t pasid)
{
	struct pasid_leaf *leaf;

	if (pasid >= m->limit)
		return NULL;
	leaf = atomic_load_explicit(&m->leaves[pasid >> PASID_LEAF_SHIFT],
				    memory_order_acquire);
	return leaf ? &leaf->rec[pasid & (LEAF_RECORDS - 1)] : NULL;
}

/*
 * The common cases of set_take_pasid() and set_return_pasid() (alloc.c),
 * inline: a pool set takes a PASID from its head chunk, which keeps at
 * least one more, or from its spare when it has no chunk with room; it
 * gives one back to its head chunk without emptying it, or empties its
 * only chunk with room into the spare.  Anything else (a range, a chunk
 * to link, unlink, claim or give back): -1 or false, and the full
 * functions do it.  Owner's lock held.
 */
static inline int64_t set_take_head(struct pasid_mgr *m, struct pasid_set *s)
{
	uint16_t mask = s->head_mask;

	if (s->room_head == CHUNK_NONE && s->spare != CHUNK_NONE) {
		/* The spare is wholly free and unlinked: it becomes the
		 * list by itself. */
		s->room_head = s->spare;
		s->spare = CHUNK_NONE;
		mask = m->chunks[s->room_head].avail_mask;
		s->head_mask = mask;
	}
	if (s->room_head == CHUNK_NONE || !(mask & (mask - 1)))
		return -1;
	s->head_mask = mask & (uint16_t)(mask - 1);
	return (int64_t)s->room_head * CHUNK_PASIDS + __builtin_ctz(mask);
}

static inline bool set_return_head(struct pasid_mgr *m, struct pasid_set *s,
				   uint32_t pasid)
{
	uint32_t c = pasid / CHUNK_PASIDS;
	const struct pasid_chunk *ch = &m->chunks[c];
	uint16_t mask = s->head_mask | (uint16_t)(1u << (pasid % CHUNK_PASIDS));

	if (c != s->room_head)
		return false;
	if (mask != ch->avail_mask || s->nchunks <= 1) {
		s->head_mask = mask;
		return true;
	}
	if (s->spare != CHUNK_NONE || m->no_spares || ch->next != CHUNK_NONE)
		return false;
	/* Its only chunk with room is empty now: it becomes the spare,
	 * unlinked, its mask in the array left stale (a spare is free). */
	s->room_head = CHUNK_NONE;
	s->spare = c;
	return true;
}

static inline unsigned rec_tag(const struct pasid_record *r)
{
	return atomic_load_explicit(&r->tag, memory_order_relaxed);
}

static inline enum pasid_state rec_state(const struct pasid_record *r)
{
	return (enum pasid_state)((rec_tag(r) & TAG_STATE) >> TAG_STATE_SHIFT);
}

static inline domid_t rec_domain(const struct pasid_record *r)
{
	return (domid_t)(rec_tag(r) & TAG_DOMAIN);
}

static inline unsigned rec_nbindings(const struct pasid_record *r)
{
	return rec_tag(r) >> TAG_NBIND_SHIFT;
}

/* Owner's lock held: changes the tag's `clear` bits to `set`, the rest
 * as it is.  No one else writes a held record's tag. */
static inline void rec_tag_change(struct pasid_record *r, unsigned clear,
				  unsigned set)
{
	atomic_store_explicit(&r->tag, (rec_tag(r) & ~clear) | set,
			      memory_order_release);
}

static inline void rec_set_nbindings(struct pasid_record *r, unsigned n)
{
	rec_tag_change(r, TAG_NBIND, n << TAG_NBIND_SHIFT);
}

/* The set of a domain id, as pasid_set_of(), inline for the hot paths. */
static inline struct pasid_set *set_of_domain(struct pasid_mgr *m,
					      domid_t domain)
{
	if (domain == DOMID_HYPERVISOR)
		return m->hv_set;
	return domain < PASID_MAX_SETS ? m->sets[domain] : NULL;
}

/* The owner of a held PASID (NULL when FREE).  A set stays in the set
 * table while it holds PASIDs, and a domain id has one set at a time. */
static inline struct pasid_set *rec_owner(struct pasid_mgr *m,
					  const struct pasid_record *r)
{
	unsigned tag = rec_tag(r);

	return tag ? set_of_domain(m, (domid_t)(tag & TAG_DOMAIN)) : NULL;
}

/* The extras of `pasid`, or NULL when its leaf has none yet. */
static inline struct pasid_rec_extra *rec_extra(struct pasid_mgr *m,
						uint32_t pasid)
{
	struct pasid_rec_extra *x = atomic_load_explicit(
		&m->extras[pasid >> PASID_LEAF_SHIFT], memory_order_acquire);

	return x ? &x[pasid & (LEAF_RECORDS - 1)] : NULL;
}

static inline struct pasid_binding *
rec_bindings(struct pasid_mgr *m, uint32_t pasid, const struct pasid_record *r)
{
	struct pasid_rec_extra *x =
		rec_nbindings(r) ? rec_extra(m, pasid) : NULL;

	return x ? x->bindings : NULL;
}

/*
 * A FREE record is claimed by moving its tag from 0 with one compare-
 * exchange: the chunk's owner and a domain falling back to it (alloc.c)
 * may race for it, and exactly one wins.  The winner then fills the
 * record under its own lock; the loser leaves it alone.
 */
static inline bool rec_claim_as(struct pasid_record *r, domid_t domain,
				unsigned flags)
{
	unsigned free = 0;

	return atomic_compare_exchange_strong(
		&r->tag, &free,
		(unsigned)PASID_ALLOCATED << TAG_STATE_SHIFT | flags | domain);
}

static inline bool rec_claim(struct pasid_record *r, domid_t domain)
{
	return rec_claim_as(r, domain, 0);
}

/* Owner's lock held; the tag names the owner since rec_claim().  FREE
 * clears the whole tag: by then no flag or binding is left. */
static inline void rec_set_state(struct pasid_record *r, enum pasid_state s)
{
	if (s == PASID_FREE)
		atomic_store_explicit(&r->tag, 0, memory_order_release);
	else
		rec_tag_change(r, TAG_STATE, (unsigned)s << TAG_STATE_SHIFT);
}

/*
 * Lock witnesses (docs/design.md, "Lock order"; Hafnium's struct
 * vm_locked is the model).  A function that needs one of the manager's
 * locks takes the matching witness, which only lock_*() hands out and
 * unlock_*() takes back, so the requirement is in its signature.  In
 * test builds (PADDOCK_LOCK_CHECKS) *_held() asserts that the caller
 * holds the lock; in the hypervisor a witness is one pointer and the
 * check compiles to nothing.
 */

/** m->sets_lock held: the set table, the device table, set creation. */
SPIN_LOCK_WITNESS(pasid_sets_locked, struct pasid_mgr, mgr, sets_lock,
		  lock_sets, unlock_sets, sets_held);

/** set->lock held: one set and every PASID it owns. */
SPIN_LOCK_WITNESS(pasid_set_locked, struct pasid_set, set, lock, lock_set,
		  unlock_set, set_held);

/** m->pool_lock held: the shared pool's bitmaps and chunk owners. */
SPIN_LOCK_WITNESS(pasid_pool_locked, struct pasid_mgr, mgr, pool_lock,
		  lock_pool, unlock_pool, pool_held);

/* Where a domain's fault counters live. */
static inline struct pasid_fault_count *fault_count_of(struct pasid_mgr *m,
						       domid_t domain)
{
	if (domain == DOMID_HYPERVISOR)
		return &m->fault_counts[PASID_MAX_SETS];
	return domain < PASID_MAX_SETS ? &m->fault_counts[domain] : NULL;
}

/* alloc.c: where PASIDs come from. */
int pool_init(struct pasid_mgr *m);
void pool_fini(struct pasid_mgr *m);
bool pool_range_mark(struct pasid_sets_locked sl, uint32_t lo, uint32_t hi);
void pool_reserve_range(struct pasid_sets_locked sl, uint32_t lo, uint32_t hi);
void pool_return_range(struct pasid_sets_locked sl,
		       const struct pasid_set *leaving);
void pool_release_set_chunks(struct pasid_sets_locked sl, struct pasid_set *s);
int64_t set_take_pasid(struct pasid_mgr *m, struct pasid_set_locked sl);
void set_note_taken(struct pasid_set_locked sl, uint32_t pasid);
struct pasid_record *set_fallback(struct pasid_mgr *m,
				  struct pasid_set_locked sl, uint32_t *pasid,
				  int *nomem);
struct pasid_record *set_fallback_again(struct pasid_mgr *m,
					struct pasid_set_locked sl,
					uint32_t *pasid);
uint32_t pool_free_outside_ranges(struct pasid_mgr *m);
void set_return_pasid(struct pasid_mgr *m, struct pasid_set_locked sl,
		      uint32_t pasid);
bool set_holds_free_pasid(struct pasid_mgr *m, struct pasid_set *s,
			  uint32_t pasid);
uint16_t *chunk_free_mask(struct pasid_mgr *m, struct pasid_set *s, uint32_t c);
uint16_t chunk_free_bits(struct pasid_mgr *m, struct pasid_set *s, uint32_t c);

/* pasid.c */
struct pasid_record *record_make(struct pasid_mgr *m, uint32_t pasid);
struct pasid_rec_extra *rec_extra_make(struct pasid_mgr *m, uint32_t pasid);

/* Records a refusal against `s` (may be NULL) and writes its text. */
int refuse(struct pasid_set *s, struct pasid_err *err, int xen_errno,
	   uint32_t reason, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#endif
