/* SPDX-License-Identifier: MIT */
/*
 * Figures for QUERY and LIST, the names of reasons and states, and the
 * invariant checker the host tests run after every injected failure.
 */
#include "internal.h"

#include <xen/errno.h>

static void fill_info(struct pasid_mgr *m, struct pasid_set_locked sl,
		      struct paddock_pasid_info *info)
{
	const struct pasid_set *s = set_held(sl);
	struct pasid_fault_count *count = fault_count_of(m, s->domain);
	uint32_t refusals = 0;

	for (unsigned i = 0; i <= PADDOCK_PASID_R_MAX; i++)
		refusals += s->refusals[i];
	pd_memset(info, 0, sizeof(*info));
	info->domain = s->domain;
	info->flags = (s->privileged ? PADDOCK_PASID_INFO_PRIVILEGED : 0) |
		      (s->dying ? PADDOCK_PASID_INFO_DYING : 0);
	info->quota = s->quota;
	info->allocated = s->allocated;
	info->bound = s->bound;
	info->parked = s->parked;
	info->peak = s->peak;
	info->range_lo = s->range_lo;
	info->range_hi = s->range_hi;
	info->refusals = refusals;
	info->refusals_quota = s->refusals[PADDOCK_PASID_R_QUOTA];
	info->faults = atomic_load(&count->routed);
	info->faults_suppressed = atomic_load(&count->suppressed);
	info->faults_foreign = atomic_load(&count->foreign);
	info->pasid_bits = m->bits;
}

int pasid_query(struct pasid_mgr *m, domid_t domain,
		struct paddock_pasid_info *info)
{
	struct pasid_set *s = pasid_set_of(m, domain);
	struct pasid_set_locked sl;

	if (!s)
		return -XEN_ESRCH;
	sl = lock_set(s);
	fill_info(m, sl, info);
	unlock_set(&sl);
	return 0;
}

int pasid_refusals(struct pasid_mgr *m, domid_t domain,
		   uint32_t counts[PADDOCK_PASID_R_MAX + 1])
{
	struct pasid_set *s = pasid_set_of(m, domain);
	struct pasid_set_locked sl;

	if (!s)
		return -XEN_ESRCH;
	sl = lock_set(s);
	pd_memcpy(counts, s->refusals, sizeof(s->refusals));
	unlock_set(&sl);
	return 0;
}

static void list_one(struct pasid_sets_locked all, struct pasid_set *s,
		     struct paddock_pasid_info *out, uint32_t max,
		     uint32_t *count)
{
	struct pasid_mgr *m = sets_held(all);
	struct pasid_set_locked sl;

	if (!s)
		return;
	if (*count < max) {
		sl = lock_set(s);
		fill_info(m, sl, &out[*count]);
		unlock_set(&sl);
	}
	(*count)++;
}

uint32_t pasid_list(struct pasid_mgr *m, struct paddock_pasid_info *out,
		    uint32_t max)
{
	struct pasid_sets_locked all = lock_sets(m);
	uint32_t count = 0;

	for (uint32_t i = 0; i < PASID_MAX_SETS; i++)
		list_one(all, m->sets[i], out, max, &count);
	list_one(all, m->hv_set, out, max, &count);
	unlock_sets(&all);
	return count;
}

const char *pasid_state_name(enum pasid_state state)
{
	switch (state) {
	case PASID_FREE:
		return "free";
	case PASID_ALLOCATED:
		return "allocated";
	case PASID_BOUND:
		return "bound";
	case PASID_PARKED:
		return "parked";
	}
	return "?";
}

const char *pasid_reason_name(uint32_t reason)
{
	static const char *const names[PADDOCK_PASID_R_MAX + 1] = {
		[PADDOCK_PASID_R_OK] = "ok",
		[PADDOCK_PASID_R_BAD_SIZE] = "bad size",
		[PADDOCK_PASID_R_BAD_POINTER] = "bad pointer",
		[PADDOCK_PASID_R_UNKNOWN_CMD] = "unknown command",
		[PADDOCK_PASID_R_NOT_PRIVILEGED] = "not privileged",
		[PADDOCK_PASID_R_QUOTA] = "quota exhausted",
		[PADDOCK_PASID_R_SPACE] = "PASID space exhausted",
		[PADDOCK_PASID_R_OUT_OF_RANGE] = "PASID out of range",
		[PADDOCK_PASID_R_NOT_OWNER] = "not the owner",
		[PADDOCK_PASID_R_NOT_ALLOCATED] = "not allocated",
		[PADDOCK_PASID_R_PARKED] = "parked",
		[PADDOCK_PASID_R_NO_DEVICE] = "no such device",
		[PADDOCK_PASID_R_DEVICE_NOT_OWNED] = "device not owned",
		[PADDOCK_PASID_R_ALREADY_BOUND] = "already bound",
		[PADDOCK_PASID_R_NOT_BOUND] = "not bound",
		[PADDOCK_PASID_R_BAD_BIND_TYPE] = "bad bind type",
		[PADDOCK_PASID_R_BAD_TABLE_ROOT] = "bad table root",
		[PADDOCK_PASID_R_NO_MEMORY] = "out of memory",
		[PADDOCK_PASID_R_NO_DOMAIN] = "no such domain",
		[PADDOCK_PASID_R_BAD_ARGUMENT] = "bad argument",
		[PADDOCK_PASID_R_IOMMU] = "IOMMU error",
		[PADDOCK_PASID_R_HYPERVISOR_SET] = "the hypervisor's own set",
	};

	return reason <= PADDOCK_PASID_R_MAX && names[reason] ? names[reason]
							      : "?";
}

/* ---- invariants ----------------------------------------------------------
 * Quiescent use only: the tests call this when no other operation runs. */

struct tally {
	uint32_t allocated, parked, bound;
};

#define BROKEN(...)                                                            \
	do {                                                                   \
		refuse(NULL, err, XEN_EINVAL, PADDOCK_PASID_R_BAD_ARGUMENT,    \
		       __VA_ARGS__);                                           \
		return -1;                                                     \
	} while (0)

static int set_index(struct pasid_mgr *m, const struct pasid_set *s)
{
	if (s && s == m->hv_set)
		return PASID_MAX_SETS;
	if (s && s->domain < PASID_MAX_SETS && m->sets[s->domain] == s)
		return s->domain;
	return -1;
}

/* The ranged sets, gathered once per check: there are few. */
static const struct pasid_set *ranged[PASID_MAX_SETS];
static uint32_t nranged;

static void gather_ranged(struct pasid_mgr *m)
{
	nranged = 0;
	for (uint32_t i = 0; i < PASID_MAX_SETS; i++)
		if (m->sets[i] && set_has_range(m->sets[i]))
			ranged[nranged++] = m->sets[i];
}

static bool chunk_touches_a_range(uint32_t c)
{
	uint32_t first = c * CHUNK_PASIDS, last = first + CHUNK_PASIDS - 1;

	for (uint32_t i = 0; i < nranged; i++)
		if (ranged[i]->range_lo <= last && ranged[i]->range_hi >= first)
			return true;
	return false;
}

/* A free PASID can be handed out again by whoever should have it. */
static bool pasid_in_allocator(struct pasid_mgr *m, uint32_t pasid)
{
	uint32_t c = pasid / CHUNK_PASIDS;
	const struct pasid_set *owner =
		atomic_load_explicit(&m->chunks[c].owner, memory_order_relaxed);

	if (owner)
		return set_holds_free_pasid(m, owner, pasid);
	for (uint32_t i = 0; i < nranged; i++)
		if (pasid >= ranged[i]->range_lo &&
		    pasid <= ranged[i]->range_hi)
			return set_holds_free_pasid(m, ranged[i], pasid);
	/* In the pool, or in the unused part of a range's end chunk. */
	return hbm_test(m->free_chunks, c) || chunk_touches_a_range(c);
}

static int check_free_record(struct pasid_mgr *m, struct pasid_record *r,
			     struct pasid_err *err)
{
	if (atomic_load(&r->refs) || rec_owner(r) || r->bindings)
		BROKEN("free PASID %u has refs %u, an owner or bindings",
		       r->pasid, atomic_load(&r->refs));
	if (r->pasid && !pasid_in_allocator(m, r->pasid))
		BROKEN("free PASID %u is lost: no allocator can hand it out",
		       r->pasid);
	return 0;
}

static int check_held_record(struct pasid_mgr *m, struct pasid_record *r,
			     struct tally *t, struct pasid_err *err)
{
	struct pasid_set *s = rec_owner(r);
	enum pasid_state st = rec_state(r);
	unsigned n = 0, want;
	int idx = set_index(m, s);

	if (idx < 0)
		BROKEN("PASID %u is held by a set that is not in the system",
		       r->pasid);
	if (set_has_range(s) &&
	    (r->pasid < s->range_lo || r->pasid > s->range_hi))
		BROKEN("PASID %u of domain %u lies outside its range", r->pasid,
		       s->domain);
	if (set_holds_free_pasid(m, s, r->pasid))
		BROKEN("PASID %u is held and free at once", r->pasid);
	for (struct pasid_binding *b = r->bindings; b; b = b->next, n++)
		if (b->device->owner != s->domain)
			BROKEN("PASID %u bound to device %#x of another domain",
			       r->pasid, b->device->id);
	if (n != r->nbindings)
		BROKEN("PASID %u counts %u bindings but lists %u", r->pasid,
		       r->nbindings, n);
	if ((st == PASID_BOUND) != (n > 0 && st != PASID_PARKED))
		BROKEN("PASID %u is %s with %u bindings", r->pasid,
		       pasid_state_name(st), n);
	want = n + (st != PASID_PARKED);
	if (atomic_load(&r->refs) != want)
		BROKEN("PASID %u has %u references, expected %u", r->pasid,
		       atomic_load(&r->refs), want);
	t[idx].allocated++;
	t[idx].parked += st == PASID_PARKED;
	t[idx].bound += st == PASID_BOUND;
	return 0;
}

static int check_records(struct pasid_mgr *m, struct tally *t,
			 struct pasid_err *err)
{
	for (uint32_t p = 0; p < m->limit; p++) {
		struct pasid_record *r = record_at(m, p);

		if (!r) {
			p |= LEAF_RECORDS - 1; /* skip the missing leaf */
			continue;
		}
		if (rec_state(r) == PASID_FREE) {
			if (check_free_record(m, r, err))
				return -1;
		} else if (check_held_record(m, r, t, err)) {
			return -1;
		}
	}
	return 0;
}

static int check_counters(struct pasid_set *s, const struct tally *t,
			  struct pasid_err *err)
{
	if (!s)
		return 0;
	if (s->allocated != t->allocated || s->parked != t->parked ||
	    s->bound != t->bound)
		BROKEN("domain %u counts %u allocated, %u parked, %u bound; "
		       "holds %u, %u, %u",
		       s->domain, s->allocated, s->parked, s->bound,
		       t->allocated, t->parked, t->bound);
	if (s->peak < s->allocated)
		BROKEN("domain %u peak %u below use %u", s->domain, s->peak,
		       s->allocated);
	return 0;
}

static int check_chunks(struct pasid_mgr *m, struct pasid_err *err)
{
	for (uint32_t c = 0; c < m->nchunks; c++) {
		const struct pasid_set *owner = atomic_load_explicit(
			&m->chunks[c].owner, memory_order_relaxed);

		if (owner && hbm_test(m->free_chunks, c))
			BROKEN("chunk %u is held by domain %u and in the pool",
			       c, owner->domain);
		if (owner && set_index(m, owner) < 0)
			BROKEN("chunk %u is held by a set not in the system",
			       c);
		if (owner && set_has_range(owner))
			BROKEN("chunk %u is held by ranged domain %u", c,
			       owner->domain);
	}
	return 0;
}

static int check_devices(struct pasid_mgr *m, struct pasid_err *err)
{
	for (unsigned i = 0; i < m->ndevices; i++) {
		struct pasid_device *dev = &m->devices[i];
		uint32_t n = 0;

		for (uint32_t p = 1; p < m->limit; p++) {
			struct pasid_record *r = record_at(m, p);

			if (!r) {
				p |= LEAF_RECORDS - 1;
				continue;
			}
			for (struct pasid_binding *b = r->bindings; b;
			     b = b->next)
				n += b->device == dev;
		}
		if (n != dev->bound)
			BROKEN("device %#x counts %u bindings, holds %u",
			       dev->id, dev->bound, n);
	}
	return 0;
}

int pasid_check_invariants(struct pasid_mgr *m, struct pasid_err *err)
{
	static struct tally tallies[PASID_MAX_SETS + 1];
	struct pasid_sets_locked all;
	int rc;

	all = lock_sets(m); /* tallies is shared: cleared under the lock */
	pd_memset(tallies, 0, sizeof(tallies));
	gather_ranged(m);
	rc = check_records(m, tallies, err);
	for (uint32_t i = 0; rc == 0 && i < PASID_MAX_SETS; i++)
		rc = check_counters(m->sets[i], &tallies[i], err);
	if (rc == 0)
		rc = check_counters(m->hv_set, &tallies[PASID_MAX_SETS], err);
	if (rc == 0)
		rc = check_chunks(m, err);
	if (rc == 0)
		rc = check_devices(m, err);
	unlock_sets(&all);
	if (rc == 0 && err) {
		err->reason = 0;
		err->text[0] = '\0';
	}
	return rc;
}

/** For the tests: calls fn for every (device, pasid, kind) binding. */
void pasid_for_each_binding(struct pasid_mgr *m,
			    void (*fn)(void *ctx, uint32_t device,
				       uint32_t pasid,
				       enum pasid_entry_kind kind, bool parked),
			    void *ctx)
{
	for (uint32_t p = 1; p < m->limit; p++) {
		struct pasid_record *r = record_at(m, p);

		if (!r) {
			p |= LEAF_RECORDS - 1;
			continue;
		}
		for (struct pasid_binding *b = r->bindings; b; b = b->next)
			fn(ctx, b->device->id, p, b->kind,
			   rec_state(r) == PASID_PARKED);
	}
}
