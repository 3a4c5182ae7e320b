/* SPDX-License-Identifier: MIT */
/*
 * The PASID manager: lifecycle of a PASID and of a domain's set.
 *
 *   FREE --alloc--> ALLOCATED --bind--> BOUND --unbind (last)--> ALLOCATED
 *   ALLOCATED/BOUND --free or domain teardown--> PARKED
 *   PARKED --last reference dropped--> FREE (recycled, quota uncharged)
 *
 * References: the allocation holds one (dropped by free), each device
 * binding one, and in-hypervisor holders (a fault being routed) one each.
 * Parking switches every entry of the PASID to blocking with faults
 * suppressed and waits for the invalidations; it never waits for, or calls
 * back into, anyone else.  No notifier chains.
 *
 * LOCK ORDER (outermost first; the whole order, with who takes what, is
 * in docs/design.md "Lock order"):
 *   1. m->sets_lock   the set table and the device table
 *                     (struct pasid_sets_locked)
 *   2. set->lock      one set, its counters, and the state, bindings and
 *                     data of every PASID it owns (struct pasid_set_locked)
 *   3. m->pool_lock   the shared pool's bitmaps and chunk ownership
 *                     (struct pasid_pool_locked)
 *   4. IOMMU driver locks (inside pasid_iommu_ops)
 *   5. heap_lock      (inside pd_zalloc and pd_free)
 * A function that needs one of them takes its witness (internal.h).
 * Never hold two set locks.  Lookup takes no lock at all: records are
 * type-stable and a reference is taken with an increment-if-not-zero.
 * A domain's own set is stable while the domain runs, because teardown
 * happens only once its vCPU has stopped; another domain's set is reached
 * only under sets_lock.
 */
#include "internal.h"

#include <xen/errno.h>

/* ---- reasons ---------------------------------------------------------- */

int refuse(struct pasid_set *s, struct pasid_err *err, int xen_errno,
	   uint32_t reason, const char *fmt, ...)
{
	va_list ap;

	if (s && reason <= PADDOCK_PASID_R_MAX)
		s->refusals[reason]++;
	if (err) {
		err->reason = reason;
		va_start(ap, fmt);
		pd_vsnprintf(err->text, sizeof(err->text), fmt, ap);
		va_end(ap);
	}
	return -xen_errno;
}

static void succeed(struct pasid_err *err)
{
	if (err) {
		err->reason = PADDOCK_PASID_R_OK;
		err->text[0] = '\0';
	}
}

/* ---- records ---------------------------------------------------------- */

/* Makes the leaf holding `pasid` exist.  Leaves are never freed before
 * pasid_mgr_fini(): that is what makes lock-free lookup safe. */
struct pasid_record *record_make(struct pasid_mgr *m, uint32_t pasid)
{
	_Atomic(struct pasid_leaf *) *slot =
		&m->leaves[pasid >> PASID_LEAF_SHIFT];
	struct pasid_leaf *leaf =
		atomic_load_explicit(slot, memory_order_acquire);
	struct pasid_leaf *expected = NULL;

	if (leaf)
		return &leaf->rec[pasid & (LEAF_RECORDS - 1)];
	leaf = pd_zalloc(sizeof(*leaf));
	if (!leaf)
		return NULL;
	if (!atomic_compare_exchange_strong(slot, &expected, leaf))
		pd_free(leaf); /* another CPU made it first */
	return record_at(m, pasid);
}

/* Makes the extras of `pasid`'s leaf exist (owner's lock held); NULL when
 * out of memory.  Like leaves, they stay until pasid_mgr_fini(). */
struct pasid_rec_extra *rec_extra_make(struct pasid_mgr *m, uint32_t pasid)
{
	_Atomic(struct pasid_rec_extra *) *slot =
		&m->extras[pasid >> PASID_LEAF_SHIFT];
	struct pasid_rec_extra *x, *expected = NULL;

	if (rec_extra(m, pasid))
		return rec_extra(m, pasid);
	x = pd_zalloc(LEAF_RECORDS * sizeof(*x));
	if (!x)
		return NULL;
	if (!atomic_compare_exchange_strong(slot, &expected, x))
		pd_free(x); /* another set made them first */
	return rec_extra(m, pasid);
}

/* No reference is left: the PASID goes back to where it came from,
 * uncharged.  Clearing the tag is the last write to the record: from then
 * on a fallback may claim it (rec_claim). */
static void release_record(struct pasid_mgr *m, struct pasid_set_locked sl,
			   uint32_t pasid, struct pasid_record *r)
{
	struct pasid_set *s = set_held(sl);
	unsigned tag = rec_tag(r);

	if (tag & TAG_COOKIE)
		rec_extra(m, pasid)->cookie = 0;
	s->allocated--;
	rec_set_state(r, PASID_FREE);
	/* A lent PASID in another domain's chunk goes back to no one's
	 * mask: its free tag is all a fallback needs (alloc.c). */
	if (tag & TAG_LENT) {
		s->nlent--;
		if (atomic_load_explicit(&m->chunks[pasid / CHUNK_PASIDS].owner,
					 memory_order_relaxed) != s) {
			s->fallback_hint = pasid; /* set_fallback_again() */
			return;
		}
	}
	if (!set_return_head(m, s, pasid))
		set_return_pasid(m, sl, pasid);
}

/* A parked PASID's last reference is gone: it recycles. */
static void recycle_locked(struct pasid_mgr *m, struct pasid_set_locked sl,
			   uint32_t pasid, struct pasid_record *r)
{
	set_held(sl)->parked--;
	release_record(m, sl, pasid, r);
}

/* Drops the allocation's reference when it is the only one: no binding
 * and no in-hypervisor holder (a pasid_lookup_get() racing with it makes
 * it fail, and the PASID is parked as usual). */
static bool unpinned_drop(struct pasid_record *r)
{
	unsigned one = 1;

	return atomic_compare_exchange_strong_explicit(
		&r->refs, &one, 0, memory_order_acq_rel, memory_order_relaxed);
}

/* Drops a reference that cannot be the lookup's. */
static void drop_ref_locked(struct pasid_mgr *m, struct pasid_set_locked sl,
			    uint32_t pasid, struct pasid_record *r)
{
	if (atomic_fetch_sub_explicit(&r->refs, 1, memory_order_acq_rel) == 1)
		recycle_locked(m, sl, pasid, r);
}

static void set_destroy(struct pasid_mgr *m, struct pasid_set *s);

struct pasid_record *pasid_lookup_get(struct pasid_mgr *m, uint32_t pasid)
{
	struct pasid_record *r = record_at(m, pasid);
	unsigned refs;

	if (!r)
		return NULL;
	refs = atomic_load_explicit(&r->refs, memory_order_relaxed);
	do {
		if (refs == 0)
			return NULL;
	} while (!atomic_compare_exchange_weak_explicit(
		&r->refs, &refs, refs + 1, memory_order_acquire,
		memory_order_relaxed));
	return r;
}

void pasid_put(struct pasid_mgr *m, uint32_t pasid)
{
	struct pasid_record *r = record_at(m, pasid);
	struct pasid_set_locked sl;
	struct pasid_set *s;
	bool gone;

	if (atomic_fetch_sub_explicit(&r->refs, 1, memory_order_acq_rel) != 1)
		return;
	/* Last reference: the owner cannot change now, nor vanish, because
	 * the PASID is still charged to it. */
	s = rec_owner(m, r);
	sl = lock_set(s);
	recycle_locked(m, sl, pasid, r);
	gone = s->dying && s->allocated == 0;
	unlock_set(&sl);
	if (gone)
		set_destroy(m, s);
}

domid_t pasid_record_domain(const struct pasid_record *r)
{
	return rec_domain(r);
}

struct pasid_owner pasid_lookup(struct pasid_mgr *m, uint32_t pasid)
{
	struct pasid_record *r = record_at(m, pasid);
	unsigned tag =
		r ? atomic_load_explicit(&r->tag, memory_order_acquire) : 0;
	struct pasid_owner o = {PASID_DOMID_NONE, PASID_FREE};

	if (tag) {
		o.domain = (domid_t)(tag & TAG_DOMAIN);
		o.state = (enum pasid_state)((tag & TAG_STATE) >>
					     TAG_STATE_SHIFT);
	}
	return o;
}

domid_t pasid_charge_device_fault(struct pasid_mgr *m, domid_t source_owner)
{
	struct pasid_fault_count *count = fault_count_of(m, source_owner);

	if (!count) { /* not a domain id: nobody's device */
		source_owner = DOMID_HYPERVISOR;
		count = fault_count_of(m, source_owner);
	}
	atomic_fetch_add_explicit(&count->routed, 1, memory_order_relaxed);
	return source_owner;
}

domid_t pasid_route_fault(struct pasid_mgr *m, domid_t source_owner,
			  uint32_t pasid)
{
	struct pasid_owner o = pasid_lookup(m, pasid);
	struct pasid_fault_count *count = fault_count_of(m, source_owner);

	if (!count) { /* not a domain id: nobody's device */
		source_owner = DOMID_HYPERVISOR;
		count = fault_count_of(m, source_owner);
	}
	/* The PASID alone says nothing about who issued the request: a
	 * device can emit any PASID value.  Only the device's owner is
	 * charged, so no domain can fill another's counters or ring. */
	if (o.state == PASID_FREE || o.domain != source_owner) {
		atomic_fetch_add_explicit(&count->foreign, 1,
					  memory_order_relaxed);
	} else if (o.state == PASID_PARKED) {
		atomic_fetch_add_explicit(&count->suppressed, 1,
					  memory_order_relaxed);
		return PASID_DOMID_NONE;
	}
	atomic_fetch_add_explicit(&count->routed, 1, memory_order_relaxed);
	return source_owner;
}

/* ---- the manager ------------------------------------------------------ */

int pasid_mgr_init(struct pasid_mgr *m, unsigned bits, uint32_t hv_quota,
		   struct pasid_err *err)
{
	struct pasid_set_cfg hv = {.domain = DOMID_HYPERVISOR,
				   .privileged = true,
				   .quota = hv_quota};
	uint32_t nleaves;
	int rc;

	pd_memset(m, 0, sizeof(*m));
	if (bits < 1 || bits > PASID_BITS_MAX)
		return refuse(NULL, err, XEN_EINVAL,
			      PADDOCK_PASID_R_BAD_ARGUMENT,
			      "PASID width %u bits is outside 1..%u", bits,
			      PASID_BITS_MAX);
	m->bits = bits;
	m->limit = 1u << bits;
	spin_init(&m->sets_lock);
	spin_init(&m->pool_lock);
	nleaves = (m->limit + LEAF_RECORDS - 1) / LEAF_RECORDS;
	m->leaves = pd_zalloc(nleaves * sizeof(*m->leaves));
	m->extras = pd_zalloc(nleaves * sizeof(*m->extras));
	if (!m->leaves || !m->extras || pool_init(m) < 0) {
		pasid_mgr_fini(m);
		return refuse(NULL, err, XEN_ENOMEM, PADDOCK_PASID_R_NO_MEMORY,
			      "out of hypervisor memory creating the PASID "
			      "space (%u bits)",
			      bits);
	}
	rc = pasid_set_create(m, &hv, err);
	if (rc < 0)
		pasid_mgr_fini(m);
	return rc;
}

/* A set's memory: in its domain id's slab (made here if need be), or a
 * block of its own for the hypervisor's. */
static struct pasid_set *set_memory(struct pasid_sets_locked sl, domid_t domain)
{
	struct pasid_mgr *m = sets_held(sl);
	struct pasid_set_slab **slab;

	if (domain == DOMID_HYPERVISOR)
		return pd_zalloc(sizeof(struct pasid_set));
	slab = &m->set_slabs[domain / PASID_SET_SLAB];
	if (!*slab)
		*slab = pd_zalloc(sizeof(**slab));
	if (!*slab)
		return NULL;
	(*slab)->used++;
	return &(*slab)->set[domain % PASID_SET_SLAB];
}

static void set_free_memory(struct pasid_sets_locked sl, struct pasid_set *s)
{
	struct pasid_mgr *m = sets_held(sl);
	struct pasid_set_slab **slab;

	hbm_destroy(s->range_free);
	if (s->domain == DOMID_HYPERVISOR) {
		pd_free(s);
		return;
	}
	slab = &m->set_slabs[s->domain / PASID_SET_SLAB];
	pd_memset(s, 0, sizeof(*s));
	if (--(*slab)->used == 0) {
		pd_free(*slab);
		*slab = NULL;
	}
}

void pasid_mgr_fini(struct pasid_mgr *m)
{
	uint32_t nleaves = (m->limit + LEAF_RECORDS - 1) / LEAF_RECORDS;
	struct pasid_sets_locked all;

	for (uint32_t i = 0; i < PASID_MAX_SETS; i++)
		if (m->sets[i])
			pasid_domain_teardown(m, (domid_t)i);
	if (m->hv_set)
		pasid_domain_teardown(m, DOMID_HYPERVISOR);
	/* Sets still held by in-hypervisor references are freed here. */
	all = lock_sets(m);
	for (uint32_t i = 0; i < PASID_MAX_SETS; i++)
		if (m->sets[i])
			set_free_memory(all, m->sets[i]);
	if (m->hv_set)
		set_free_memory(all, m->hv_set);
	unlock_sets(&all);
	for (uint32_t i = 0; m->leaves && i < nleaves; i++)
		pd_free(atomic_load(&m->leaves[i]));
	for (uint32_t i = 0; m->extras && i < nleaves; i++)
		pd_free(atomic_load(&m->extras[i]));
	pd_free(m->leaves);
	pd_free(m->extras);
	pool_fini(m);
	pd_memset(m, 0, sizeof(*m));
}

/* ---- sets ------------------------------------------------------------- */

struct pasid_set *pasid_set_of(struct pasid_mgr *m, domid_t domain)
{
	if (domain == DOMID_HYPERVISOR)
		return m->hv_set;
	if (domain >= PASID_MAX_SETS)
		return NULL;
	return m->sets[domain];
}

static int check_range(struct pasid_sets_locked sl,
		       const struct pasid_set_cfg *c, struct pasid_err *err)
{
	struct pasid_mgr *m = sets_held(sl);
	uint32_t lo = c->range_lo, hi = c->range_hi;

	if (lo == 0 && hi == 0)
		return 0;
	if (lo == 0 || hi < lo || hi >= m->limit)
		return refuse(NULL, err, XEN_EINVAL,
			      PADDOCK_PASID_R_OUT_OF_RANGE,
			      "domain %u: PASID range [%u, %u] must lie in "
			      "[1, %u]",
			      c->domain, lo, hi, m->limit - 1);
	if (c->quota > hi - lo + 1)
		return refuse(
			NULL, err, XEN_EINVAL, PADDOCK_PASID_R_BAD_ARGUMENT,
			"domain %u: quota %u is above its range's size %u",
			c->domain, c->quota, hi - lo + 1);
	for (uint32_t i = 0; i < PASID_MAX_SETS; i++) {
		const struct pasid_set *s = m->sets[i];

		if (s && set_has_range(s) && s->range_lo <= hi &&
		    s->range_hi >= lo)
			return refuse(
				NULL, err, XEN_EEXIST,
				PADDOCK_PASID_R_BAD_ARGUMENT,
				"domain %u: PASID range [%u, %u] overlaps "
				"domain %u's [%u, %u]",
				c->domain, lo, hi, s->domain, s->range_lo,
				s->range_hi);
	}
	return 0;
}

static int refuse_range_busy(const struct pasid_set_cfg *c,
			     struct pasid_err *err)
{
	return refuse(NULL, err, XEN_EBUSY, PADDOCK_PASID_R_BAD_ARGUMENT,
		      "domain %u: PASID range [%u, %u] overlaps PASIDs "
		      "already handed out from the shared pool; create "
		      "ranged domains first",
		      c->domain, c->range_lo, c->range_hi);
}

static int check_new_set(struct pasid_sets_locked sl,
			 const struct pasid_set_cfg *c, struct pasid_err *err)
{
	struct pasid_mgr *m = sets_held(sl);

	if (c->domain >= PASID_MAX_SETS && c->domain != DOMID_HYPERVISOR)
		return refuse(NULL, err, XEN_EINVAL, PADDOCK_PASID_R_NO_DOMAIN,
			      "domain id %u is above the limit %u", c->domain,
			      PASID_MAX_SETS - 1);
	if (pasid_set_of(m, c->domain))
		return refuse(NULL, err, XEN_EEXIST,
			      PADDOCK_PASID_R_BAD_ARGUMENT,
			      "domain %u already has a PASID set%s", c->domain,
			      pasid_set_of(m, c->domain)->dying
				      ? " (being torn down; its parked PASIDs "
					"are still held)"
				      : "");
	if (c->domain == DOMID_HYPERVISOR && (c->range_lo || c->range_hi))
		return refuse(NULL, err, XEN_EINVAL,
			      PADDOCK_PASID_R_BAD_ARGUMENT,
			      "the hypervisor's own set draws from the pool");
	return check_range(sl, c, err);
}

static struct pasid_set *set_make(struct pasid_sets_locked sl,
				  const struct pasid_set_cfg *c)
{
	struct pasid_set *s = set_memory(sl, c->domain);

	if (!s)
		return NULL;
	spin_init(&s->lock);
	s->domain = c->domain;
	s->privileged = c->privileged;
	s->quota = c->quota;
	s->range_lo = c->range_lo;
	s->range_hi = c->range_hi;
	s->room_head = s->last_chunk = s->spare = CHUNK_NONE;
	if (set_has_range(s)) {
		s->range_free = hbm_create(s->range_hi - s->range_lo + 1);
		if (!s->range_free) {
			set_free_memory(sl, s);
			return NULL;
		}
		hbm_set_range(s->range_free, 0, s->range_hi - s->range_lo + 1);
	}
	return s;
}

int pasid_set_create(struct pasid_mgr *m, const struct pasid_set_cfg *c,
		     struct pasid_err *err)
{
	struct pasid_sets_locked sl = lock_sets(m);
	struct pasid_set *s;
	int rc = check_new_set(sl, c, err);

	if (rc < 0)
		goto out;
	s = set_make(sl, c);
	if (!s) {
		rc = refuse(NULL, err, XEN_ENOMEM, PADDOCK_PASID_R_NO_MEMORY,
			    "out of hypervisor memory creating domain %u's "
			    "PASID set",
			    c->domain);
		goto out;
	}
	if (set_has_range(s)) {
		if (!pool_range_mark(sl, s->range_lo, s->range_hi)) {
			set_free_memory(sl, s);
			rc = refuse_range_busy(c, err);
			goto out;
		}
		pool_reserve_range(sl, s->range_lo, s->range_hi);
	}
	if (c->domain == DOMID_HYPERVISOR)
		m->hv_set = s;
	else
		m->sets[c->domain] = s;
	atomic_store(&fault_count_of(m, c->domain)->routed, 0);
	atomic_store(&fault_count_of(m, c->domain)->suppressed, 0);
	atomic_store(&fault_count_of(m, c->domain)->foreign, 0);
	succeed(err);
out:
	unlock_sets(&sl);
	return rc;
}

static void set_destroy(struct pasid_mgr *m, struct pasid_set *s)
{
	struct pasid_sets_locked sl = lock_sets(m);

	if (set_has_range(s))
		pool_return_range(sl, s);
	if (s == m->hv_set)
		m->hv_set = NULL;
	else if (m->sets[s->domain] == s)
		m->sets[s->domain] = NULL;
	pool_release_set_chunks(sl, s);
	set_free_memory(sl, s);
	unlock_sets(&sl);
}

/* ---- operations on a domain's own PASIDs ------------------------------ */

/* The set a domain acts on, or NULL with the refusal written. */
static struct pasid_set *acting_set(struct pasid_mgr *m, domid_t domain,
				    struct pasid_err *err, int *rc)
{
	struct pasid_set *s = pasid_set_of(m, domain);

	if (!s || s->dying) {
		*rc = refuse(NULL, err, XEN_ESRCH, PADDOCK_PASID_R_NO_DOMAIN,
			     "domain %u has no PASID set", domain);
		return NULL;
	}
	return s;
}

/*
 * What a domain may learn about others (docs/abi.md): an unprivileged
 * domain gets one answer, reason and text alike, for a PASID that is free
 * and for one another domain holds, and one for a device that does not
 * exist and for one another domain owns.  Otherwise scanning the PASID
 * space or the bus would map out who holds what.  A privileged (control)
 * domain, which LIST already shows every set, gets the precise answer.
 */
static int refuse_not_held(struct pasid_set *s, uint32_t pasid, bool other,
			   struct pasid_err *err)
{
	if (other && s->privileged)
		return refuse(s, err, XEN_EPERM, PADDOCK_PASID_R_NOT_OWNER,
			      "PASID %u belongs to another domain, not to "
			      "domain %u",
			      pasid, s->domain);
	return refuse(s, err, XEN_ENOENT, PADDOCK_PASID_R_NOT_ALLOCATED,
		      "PASID %u is not allocated to domain %u", pasid,
		      s->domain);
}

static int refuse_no_device(struct pasid_set *s, uint32_t device, bool exists,
			    struct pasid_err *err)
{
	if (exists && s->privileged)
		return refuse(s, err, XEN_EPERM,
			      PADDOCK_PASID_R_DEVICE_NOT_OWNED,
			      "device %#x is not assigned to domain %u", device,
			      s->domain);
	return refuse(s, err, XEN_ENODEV, PADDOCK_PASID_R_NO_DEVICE,
		      "no device %#x is assigned to domain %u", device,
		      s->domain);
}

/* The record of a PASID that the set holds, or NULL with the refusal
 * written. */
/* Why a PASID is not the set's (out of line: the common path holds it). */
static __attribute__((noinline)) int
refuse_unowned(struct pasid_mgr *m, struct pasid_set *s, uint32_t pasid,
	       unsigned tag, struct pasid_err *err)
{
	if (pasid == 0 || pasid >= m->limit)
		return refuse(s, err, XEN_EINVAL, PADDOCK_PASID_R_OUT_OF_RANGE,
			      "PASID %u is outside [1, %u]", pasid,
			      m->limit - 1);
	return refuse_not_held(s, pasid, tag != 0, err);
}

static struct pasid_record *owned_record(struct pasid_mgr *m,
					 struct pasid_set_locked sl,
					 uint32_t pasid, struct pasid_err *err,
					 int *rc)
{
	struct pasid_set *s = set_held(sl);
	struct pasid_record *r = pasid ? record_at(m, pasid) : NULL;
	unsigned tag = r ? rec_tag(r) : 0;

	/* One load of the tag: held (not 0), and by the set's domain id,
	 * not by its set pointer: another domain's set may be going away
	 * as we look. */
	if (tag && (tag & TAG_DOMAIN) == s->domain)
		return r;
	*rc = refuse_unowned(m, s, pasid, tag, err);
	return NULL;
}

/* Like owned_record(), and refuses parked PASIDs. */
static struct pasid_record *live_record(struct pasid_mgr *m,
					struct pasid_set_locked sl,
					uint32_t pasid, struct pasid_err *err,
					int *rc)
{
	struct pasid_record *r = owned_record(m, sl, pasid, err, rc);

	if (r && rec_state(r) == PASID_PARKED) {
		*rc = refuse(sl.set, err, XEN_ENOENT, PADDOCK_PASID_R_PARKED,
			     "PASID %u was freed and is parked until its last "
			     "binding is removed (%u left)",
			     pasid, rec_nbindings(r));
		return NULL;
	}
	return r;
}

static int refuse_quota(struct pasid_set *s, struct pasid_err *err)
{
	return refuse(
		s, err, XEN_EMFILE, PADDOCK_PASID_R_QUOTA,
		"quota exhausted: domain %u holds %u/%u PASIDs (%u parked)",
		s->domain, s->allocated, s->quota, s->parked);
}

static int refuse_space(struct pasid_mgr *m, struct pasid_set *s,
			struct pasid_err *err)
{
	if (set_has_range(s))
		return refuse(s, err, XEN_ENOSPC, PADDOCK_PASID_R_SPACE,
			      "PASID range [%u, %u] of domain %u is full (%u "
			      "parked)",
			      s->range_lo, s->range_hi, s->domain, s->parked);
	/* Fallbacks reach every free PASID outside the ranges. */
	return refuse(s, err, XEN_ENOSPC, PADDOCK_PASID_R_SPACE,
		      "the shared PASID pool (1..%u) is full for domain %u: "
		      "every PASID outside the static ranges is held",
		      m->limit - 1, s->domain);
}

/* A free PASID for the set, claimed (ALLOCATED, its number in *pasid):
 * from its own chunks or range, else (pool sets) a fallback anywhere
 * outside the ranges; or NULL with the refusal written. */
static struct pasid_record *take_record(struct pasid_mgr *m,
					struct pasid_set_locked sl,
					uint32_t *pasid, struct pasid_err *err,
					int *rc)
{
	struct pasid_set *s = set_held(sl);
	struct pasid_record *r;
	int nomem = 0;
	int64_t p;

	p = set_take_head(m, s);
	if (p < 0 && (r = set_fallback_again(m, sl, pasid)))
		return r;
	for (; p >= 0 || (p = set_take_pasid(m, sl)) >= 0; p = -1) {
		r = record_at(m, (uint32_t)p);
		if (!r)
			r = record_make(m, (uint32_t)p);
		if (!r) {
			set_return_pasid(m, sl, (uint32_t)p);
			nomem = 1;
			break;
		}
		if (rec_claim(r, s->domain)) {
			*pasid = (uint32_t)p;
			return r;
		}
		set_note_taken(sl, (uint32_t)p); /* a fallback won it */
	}
	if (!nomem && !set_has_range(s)) {
		r = set_fallback(m, sl, pasid, &nomem);
		if (r)
			return r;
	}
	if (nomem)
		*rc = refuse(s, err, XEN_ENOMEM, PADDOCK_PASID_R_NO_MEMORY,
			     "out of hypervisor memory for PASID records");
	else
		*rc = refuse_space(m, s, err);
	return NULL;
}

static int alloc_locked(struct pasid_mgr *m, struct pasid_set_locked sl,
			uint32_t *pasid, struct pasid_err *err)
{
	struct pasid_set *s = set_held(sl);
	struct pasid_record *r;
	int rc = 0;

	if (s->allocated >= s->quota)
		return refuse_quota(s, err);
	r = take_record(m, sl, pasid, err, &rc);
	if (!r)
		return rc;
	/* The claim made the tag ALLOCATED; the reference makes the record
	 * live for lookup_get. */
	atomic_store_explicit(&r->refs, 1, memory_order_release);
	s->allocated++;
	if (s->allocated > s->peak)
		s->peak = s->allocated;
	succeed(err);
	return 0;
}

int pasid_alloc(struct pasid_mgr *m, domid_t domain, uint32_t *pasid,
		struct pasid_err *err)
{
	int rc = 0;
	struct pasid_set *s = acting_set(m, domain, err, &rc);
	struct pasid_set_locked sl;

	if (!s)
		return rc;
	sl = lock_set(s);
	rc = alloc_locked(m, sl, pasid, err);
	unlock_set(&sl);
	return rc;
}

/* Owner's lock held.  Switches every entry of the PASID to blocking with
 * faults suppressed; the switch is complete once the caller has waited. */
static __attribute__((noinline)) void
block_entries(struct pasid_mgr *m, uint32_t pasid, struct pasid_record *r)
{
	for (struct pasid_binding *b = rec_bindings(m, pasid, r); b;
	     b = b->next)
		b->device->iommu->ops->block(b->device->iommu, b->device->id,
					     pasid, rec_domain(r));
	for (struct pasid_binding *b = rec_bindings(m, pasid, r); b;
	     b = b->next)
		b->device->iommu->ops->wait(b->device->iommu);
}

/* Parks a live PASID: DMA blocked, faults quiet, caches clean.  Its
 * allocation reference is dropped by the caller. */
static void park_locked(struct pasid_mgr *m, struct pasid_set_locked sl,
			uint32_t pasid, struct pasid_record *r)
{
	struct pasid_set *s = set_held(sl);

	/* Most PASIDs are freed unbound: the walks stay out of line, so
	 * that those pay no frame for them. */
	if (rec_nbindings(r))
		block_entries(m, pasid, r);
	if (rec_state(r) == PASID_BOUND)
		s->bound--;
	rec_set_state(r, PASID_PARKED);
	s->parked++;
}

/* Runs fn on a live PASID `domain` owns, under the owner's lock; or
 * refuses, saying why. */
typedef int (*live_fn)(struct pasid_mgr *m, struct pasid_set_locked sl,
		       uint32_t pasid, struct pasid_record *r, void *arg);

static int on_live_record(struct pasid_mgr *m, domid_t domain, uint32_t pasid,
			  struct pasid_err *err, live_fn fn, void *arg)
{
	int rc = 0;
	struct pasid_set *s = acting_set(m, domain, err, &rc);
	struct pasid_set_locked sl;
	struct pasid_record *r;

	if (!s)
		return rc;
	sl = lock_set(s);
	r = live_record(m, sl, pasid, err, &rc);
	if (r) {
		rc = fn(m, sl, pasid, r, arg);
		if (rc == 0)
			succeed(err);
		else
			refuse(NULL, err, -rc, PADDOCK_PASID_R_NO_MEMORY,
			       "out of hypervisor memory for PASID %u's data",
			       pasid);
	}
	unlock_set(&sl);
	return rc;
}

/* The prologue of on_live_record() written out: through it (even
 * inlined) the hypercall round trip took 23 more instructions on x86_64
 * and 15 more on aarch64 (make bench: *.hcall_roundtrip.instr). */
int pasid_free(struct pasid_mgr *m, domid_t domain, uint32_t pasid,
	       struct pasid_err *err)
{
	int rc = 0;
	struct pasid_set *s = acting_set(m, domain, err, &rc);
	struct pasid_set_locked sl;
	struct pasid_record *r;

	if (!s)
		return rc;
	sl = lock_set(s);
	r = live_record(m, sl, pasid, err, &rc);
	if (r && !rec_nbindings(r) && unpinned_drop(r)) {
		/* Nothing to block and no one to wait for: parked and
		 * recycled in one step. */
		release_record(m, sl, pasid, r);
		succeed(err);
	} else if (r) {
		park_locked(m, sl, pasid, r);
		drop_ref_locked(m, sl, pasid, r); /* the allocation's */
		succeed(err);
	}
	unlock_set(&sl);
	return rc;
}

/* ---- bindings --------------------------------------------------------- */

static struct pasid_device *device_of(struct pasid_mgr *m, uint32_t id)
{
	for (unsigned i = 0; i < m->ndevices; i++)
		if (m->devices[i].id == id)
			return &m->devices[i];
	return NULL;
}

static struct pasid_binding *binding_of(struct pasid_mgr *m, uint32_t pasid,
					struct pasid_record *r,
					const struct pasid_device *dev)
{
	for (struct pasid_binding *b = rec_bindings(m, pasid, r); b;
	     b = b->next)
		if (b->device == dev)
			return b;
	return NULL;
}

/* Refuses a device the set does not own. */
static int check_device(struct pasid_mgr *m, struct pasid_set *s,
			uint32_t device, struct pasid_device **dev,
			struct pasid_err *err)
{
	*dev = device_of(m, device);
	if (!*dev || !(*dev)->assigned || (*dev)->owner != s->domain)
		return refuse_no_device(s, device, *dev != NULL, err);
	return 0;
}

/* Refuses a bind request that names a device or kind the set may not use.
 * Ownership comes first: a domain learns nothing about a request on
 * others' PASIDs or devices beyond "not yours". */
static int check_bind(struct pasid_mgr *m, struct pasid_set *s,
		      const struct pasid_bind_req *req,
		      struct pasid_device **dev, struct pasid_err *err)
{
	int rc = check_device(m, s, req->device, dev, err);

	if (rc < 0)
		return rc;
	if (req->kind == PASID_ENTRY_BLOCKED ||
	    req->kind > PASID_ENTRY_PASSTHROUGH)
		return refuse(s, err, XEN_EINVAL, PADDOCK_PASID_R_BAD_BIND_TYPE,
			      "unknown bind type %d", (int)req->kind);
	if (req->kind == PASID_ENTRY_PASSTHROUGH && !s->privileged)
		return refuse(s, err, XEN_EPERM, PADDOCK_PASID_R_NOT_PRIVILEGED,
			      "pass-through binding needs a privileged domain; "
			      "domain %u is not",
			      s->domain);
	return 0;
}

static int install_binding(struct pasid_mgr *m, struct pasid_set_locked sl,
			   uint32_t pasid, struct pasid_record *r,
			   struct pasid_device *dev,
			   const struct pasid_bind_req *req,
			   struct pasid_err *err)
{
	struct pasid_set *s = set_held(sl);
	struct pasid_iommu *iommu = dev->iommu;
	struct pasid_entry_cfg cfg = {.kind = req->kind,
				      .domain = s->domain,
				      .sl_root = req->sl_root,
				      .fl_root = req->fl_root};
	struct pasid_binding *b = pd_zalloc(sizeof(*b));
	struct pasid_rec_extra *x;
	int rc;

	if (!b)
		return refuse(s, err, XEN_ENOMEM, PADDOCK_PASID_R_NO_MEMORY,
			      "out of hypervisor memory for a binding");
	rc = iommu->ops->install(iommu, dev->id, pasid, &cfg);
	if (rc < 0) {
		pd_free(b);
		return refuse(s, err, -rc, PADDOCK_PASID_R_IOMMU,
			      "IOMMU %s could not install PASID %u for device "
			      "%#x (error %d)",
			      iommu->name, pasid, dev->id, rc);
	}
	iommu->ops->invalidate(iommu, dev->id, pasid, s->domain);
	iommu->ops->wait(iommu);
	/* The leaf's extras last, so that a refused bind leaves no trace. */
	x = rec_extra_make(m, pasid);
	if (!x) {
		iommu->ops->clear(iommu, dev->id, pasid);
		iommu->ops->invalidate(iommu, dev->id, pasid, s->domain);
		iommu->ops->wait(iommu);
		pd_free(b);
		return refuse(s, err, XEN_ENOMEM, PADDOCK_PASID_R_NO_MEMORY,
			      "out of hypervisor memory for a binding");
	}
	b->device = dev;
	b->kind = req->kind;
	b->next = x->bindings;
	x->bindings = b;
	rec_set_nbindings(r, rec_nbindings(r) + 1);
	dev->bound++;
	atomic_fetch_add_explicit(&r->refs, 1, memory_order_relaxed);
	return 0;
}

int pasid_check_bind_owner(struct pasid_mgr *m, domid_t domain, uint32_t pasid,
			   uint32_t device, struct pasid_err *err)
{
	int rc = 0;
	struct pasid_set *s = acting_set(m, domain, err, &rc);
	struct pasid_set_locked sl;
	struct pasid_device *dev;

	if (!s)
		return rc;
	sl = lock_set(s);
	if (live_record(m, sl, pasid, err, &rc))
		rc = check_device(m, s, device, &dev, err);
	unlock_set(&sl);
	return rc;
}

int pasid_bind(struct pasid_mgr *m, domid_t domain, uint32_t pasid,
	       const struct pasid_bind_req *req, struct pasid_err *err)
{
	int rc = 0;
	struct pasid_set *s = acting_set(m, domain, err, &rc);
	struct pasid_set_locked sl;
	struct pasid_device *dev;
	struct pasid_record *r;

	if (!s)
		return rc;
	sl = lock_set(s);
	r = live_record(m, sl, pasid, err, &rc);
	if (!r)
		goto out;
	rc = check_bind(m, s, req, &dev, err);
	if (rc < 0)
		goto out;
	if (binding_of(m, pasid, r, dev)) {
		rc = refuse(s, err, XEN_EEXIST, PADDOCK_PASID_R_ALREADY_BOUND,
			    "PASID %u is already bound to device %#x", pasid,
			    req->device);
		goto out;
	}
	rc = install_binding(m, sl, pasid, r, dev, req, err);
	if (rc < 0)
		goto out;
	if (rec_state(r) == PASID_ALLOCATED) {
		rec_set_state(r, PASID_BOUND);
		s->bound++;
	}
	succeed(err);
out:
	unlock_set(&sl);
	return rc;
}

/* Clears one binding's entry and frees its data; the caller drops the
 * binding's reference. */
static void remove_binding(struct pasid_mgr *m, struct pasid_set_locked sl,
			   uint32_t pasid, struct pasid_record *r,
			   struct pasid_binding *b)
{
	struct pasid_iommu *iommu = b->device->iommu;
	struct pasid_binding **link = &rec_extra(m, pasid)->bindings;

	set_held(sl);
	while (*link != b)
		link = &(*link)->next;
	*link = b->next;
	iommu->ops->clear(iommu, b->device->id, pasid);
	iommu->ops->invalidate(iommu, b->device->id, pasid, rec_domain(r));
	iommu->ops->wait(iommu);
	rec_set_nbindings(r, rec_nbindings(r) - 1);
	b->device->bound--;
	pd_free(b);
}

int pasid_unbind(struct pasid_mgr *m, domid_t domain, uint32_t pasid,
		 uint32_t device, struct pasid_err *err)
{
	int rc = 0;
	struct pasid_set *s = acting_set(m, domain, err, &rc);
	struct pasid_set_locked sl;
	struct pasid_record *r;
	struct pasid_binding *b;
	struct pasid_device *dev;

	if (!s)
		return rc;
	sl = lock_set(s);
	r = owned_record(m, sl, pasid, err, &rc);
	if (!r)
		goto out;
	dev = device_of(m, device);
	b = dev ? binding_of(m, pasid, r, dev) : NULL;
	if (!b) {
		rc = refuse(s, err, XEN_ENOENT, PADDOCK_PASID_R_NOT_BOUND,
			    "PASID %u is not bound to device %#x", pasid,
			    device);
		goto out;
	}
	remove_binding(m, sl, pasid, r, b);
	if (rec_state(r) == PASID_BOUND && rec_nbindings(r) == 0) {
		rec_set_state(r, PASID_ALLOCATED);
		s->bound--;
	}
	drop_ref_locked(m, sl, pasid, r); /* may recycle a parked PASID */
	succeed(err);
out:
	unlock_set(&sl);
	return rc;
}

/* ---- data attached after allocation ----------------------------------- */

static int store_cookie(struct pasid_mgr *m, struct pasid_set_locked sl,
			uint32_t pasid, struct pasid_record *r, void *cookie)
{
	uint64_t value = *(const uint64_t *)cookie;
	struct pasid_rec_extra *x;

	set_held(sl);
	if (!value && !(rec_tag(r) & TAG_COOKIE))
		return 0; /* already 0: no extras needed */
	x = rec_extra_make(m, pasid);
	if (!x)
		return refuse(sl.set, NULL, XEN_ENOMEM,
			      PADDOCK_PASID_R_NO_MEMORY, "no memory");
	x->cookie = value;
	if (!(rec_tag(r) & TAG_COOKIE))
		rec_tag_change(r, 0, TAG_COOKIE);
	return 0;
}

static int load_cookie(struct pasid_mgr *m, struct pasid_set_locked sl,
		       uint32_t pasid, struct pasid_record *r, void *cookie)
{
	set_held(sl);
	*(uint64_t *)cookie =
		rec_tag(r) & TAG_COOKIE ? rec_extra(m, pasid)->cookie : 0;
	return 0;
}

int pasid_set_data(struct pasid_mgr *m, domid_t domain, uint32_t pasid,
		   uint64_t cookie, struct pasid_err *err)
{
	return on_live_record(m, domain, pasid, err, store_cookie, &cookie);
}

int pasid_get_data(struct pasid_mgr *m, domid_t domain, uint32_t pasid,
		   uint64_t *cookie, struct pasid_err *err)
{
	return on_live_record(m, domain, pasid, err, load_cookie, cookie);
}

/* ---- quota, teardown, devices ------------------------------------------ */

int pasid_set_quota(struct pasid_mgr *m, domid_t domain, uint32_t quota,
		    struct pasid_err *err)
{
	struct pasid_sets_locked all;
	struct pasid_set_locked sl;
	struct pasid_set *s;
	int rc = 0;

	/* The platform sizes the hypervisor's own set for what the
	 * hypervisor itself allocates: a control domain shrinking it would
	 * starve those users, growing it would let the hypervisor's share
	 * eat the pool.  No domain changes it. */
	if (domain == DOMID_HYPERVISOR)
		return refuse(
			NULL, err, XEN_EPERM, PADDOCK_PASID_R_HYPERVISOR_SET,
			"domain %#x is the hypervisor's own PASID set: its "
			"quota is fixed by the platform configuration",
			domain);
	all = lock_sets(m);
	s = pasid_set_of(m, domain);
	if (!s || s->dying) {
		rc = refuse(NULL, err, XEN_ESRCH, PADDOCK_PASID_R_NO_DOMAIN,
			    "no domain %u to set the quota of", domain);
		goto out;
	}
	sl = lock_set(s);
	if (set_has_range(s) && quota > s->range_hi - s->range_lo + 1) {
		rc = refuse(NULL, err, XEN_EINVAL, PADDOCK_PASID_R_BAD_ARGUMENT,
			    "quota %u is above domain %u's range size %u",
			    quota, domain, s->range_hi - s->range_lo + 1);
	} else {
		/* Shrinking below use only refuses new allocations. */
		s->quota = quota;
		succeed(err);
	}
	unlock_set(&sl);
out:
	unlock_sets(&all);
	return rc;
}

typedef void (*record_fn)(struct pasid_mgr *m, struct pasid_set_locked sl,
			  uint32_t pasid, struct pasid_record *r, void *ctx);

/* fn on each PASID of chunk c the set holds (not another's lent one). */
static void for_each_held_in_chunk(struct pasid_mgr *m,
				   struct pasid_set_locked sl, uint32_t c,
				   record_fn fn, void *ctx)
{
	const struct pasid_chunk *ch = &m->chunks[c];
	struct pasid_set *s = set_held(sl);

	for (uint32_t i = 0; i < CHUNK_PASIDS; i++) {
		struct pasid_record *r = record_at(m, c * CHUNK_PASIDS + i);

		if (((ch->avail_mask >> i) & 1) && r &&
		    rec_state(r) != PASID_FREE && rec_domain(r) == s->domain)
			fn(m, sl, c * CHUNK_PASIDS + i, r, ctx);
	}
}

/* Calls fn on every PASID the set holds; fn may recycle.  A set holding
 * lent PASIDs (fallbacks) looks in every chunk. */
static void for_each_held(struct pasid_mgr *m, struct pasid_set_locked sl,
			  record_fn fn, void *ctx)
{
	struct pasid_set *s = set_held(sl);

	if (set_has_range(s)) {
		for (uint32_t p = s->range_lo; p <= s->range_hi; p++)
			if (!hbm_test(s->range_free, p - s->range_lo))
				fn(m, sl, p, record_at(m, p), ctx);
		return;
	}
	for (uint32_t c = 0; c < m->nchunks; c++) {
		const struct pasid_chunk *ch = &m->chunks[c];

		if (s->nlent ||
		    (atomic_load_explicit(&ch->owner, memory_order_relaxed) ==
			     s &&
		     chunk_free_bits(m, s, c) != ch->avail_mask))
			for_each_held_in_chunk(m, sl, c, fn, ctx);
	}
}

/*
 * Teardown works in batches, so that one wait per IOMMU covers what
 * TEARDOWN_BATCH PASIDs need (make bench: vtd.teardown.waits), and keeps
 * the rule of "The lifecycle" (docs/design.md) for each of them:
 * (1) every live PASID of the batch is PARKED, so that fault routing
 *     suppresses its faults from now on, and each of its entries is
 *     switched to blocked with faults suppressed (block(): no wait of its
 *     own); (2) one wait per IOMMU: no entry of the batch translates any
 *     more, and the hardware reports none of their faults;
 * (3) every binding's entry is cleared and invalidated; (4) one wait per
 *     IOMMU; (5) only then are the bindings freed and the domain's
 *     references dropped, which may recycle the PASIDs.
 * So a PASID is blocked and parked before anything else happens to it,
 * and nothing is recycled before the IOMMUs are done with it.
 */
#define TEARDOWN_BATCH	256
#define TEARDOWN_IOMMUS 8

/* On the stack (about 1 KiB): PASIDs, not record pointers, to keep it
 * small. */
struct teardown_batch {
	uint32_t pasid[TEARDOWN_BATCH];
	uint64_t live[TEARDOWN_BATCH / 64]; /* bit i: pasid[i] not parked */
	unsigned n;
	struct pasid_iommu *iommu[TEARDOWN_IOMMUS]; /* to wait on */
	unsigned niommu;
};

static void batch_wait(struct teardown_batch *tb)
{
	for (unsigned i = 0; i < tb->niommu; i++)
		tb->iommu[i]->ops->wait(tb->iommu[i]);
	tb->niommu = 0;
}

/* Remembers that `iommu` has work queued for this batch. */
static void batch_note(struct teardown_batch *tb, struct pasid_iommu *iommu)
{
	for (unsigned i = 0; i < tb->niommu; i++)
		if (tb->iommu[i] == iommu)
			return;
	if (tb->niommu == TEARDOWN_IOMMUS)
		batch_wait(tb); /* extra waits are harmless */
	tb->iommu[tb->niommu++] = iommu;
}

/* (1): a live PASID parked, its entries blocked. */
static void batch_block(struct pasid_mgr *m, struct pasid_set_locked sl,
			struct teardown_batch *tb, uint32_t pasid,
			struct pasid_record *r)
{
	struct pasid_set *s = set_held(sl);

	if (rec_state(r) == PASID_BOUND)
		s->bound--;
	rec_set_state(r, PASID_PARKED);
	s->parked++;
	for (struct pasid_binding *b = rec_bindings(m, pasid, r); b;
	     b = b->next) {
		struct pasid_iommu *iommu = b->device->iommu;

		iommu->ops->block(iommu, b->device->id, pasid, rec_domain(r));
		batch_note(tb, iommu);
	}
}

/* (3): every binding's entry cleared and invalidated. */
static void batch_clear(struct pasid_mgr *m, struct teardown_batch *tb,
			uint32_t pasid, struct pasid_record *r)
{
	for (struct pasid_binding *b = rec_bindings(m, pasid, r); b;
	     b = b->next) {
		struct pasid_iommu *iommu = b->device->iommu;

		iommu->ops->clear(iommu, b->device->id, pasid);
		iommu->ops->invalidate(iommu, b->device->id, pasid,
				       rec_domain(r));
		batch_note(tb, iommu);
	}
}

/* (5): the bindings' memory, then every reference the domain held. */
static void batch_release(struct pasid_mgr *m, struct pasid_set_locked sl,
			  uint32_t pasid, struct pasid_record *r, bool live)
{
	unsigned drops = rec_nbindings(r) + live;
	struct pasid_binding *b = rec_bindings(m, pasid, r), *next;

	for (; b; b = next) {
		next = b->next;
		b->device->bound--;
		pd_free(b);
	}
	if (rec_nbindings(r)) {
		rec_extra(m, pasid)->bindings = NULL;
		rec_set_nbindings(r, 0);
	}
	/* Only the last drop can recycle r, after which it is not read:
	 * its chunk may be another domain's by then. */
	while (drops--)
		drop_ref_locked(m, sl, pasid, r);
}

static bool batch_live(const struct teardown_batch *tb, unsigned i)
{
	return (tb->live[i / 64] >> (i % 64)) & 1;
}

static void batch_flush(struct pasid_mgr *m, struct pasid_set_locked sl,
			struct teardown_batch *tb)
{
	for (unsigned i = 0; i < tb->n; i++)
		if (batch_live(tb, i))
			batch_block(m, sl, tb, tb->pasid[i],
				    record_at(m, tb->pasid[i]));
	batch_wait(tb);
	for (unsigned i = 0; i < tb->n; i++)
		batch_clear(m, tb, tb->pasid[i], record_at(m, tb->pasid[i]));
	batch_wait(tb);
	for (unsigned i = 0; i < tb->n; i++)
		batch_release(m, sl, tb->pasid[i], record_at(m, tb->pasid[i]),
			      batch_live(tb, i));
	tb->n = 0;
	pd_memset(tb->live, 0, sizeof(tb->live));
}

static void teardown_record(struct pasid_mgr *m, struct pasid_set_locked sl,
			    uint32_t pasid, struct pasid_record *r, void *ctx)
{
	struct teardown_batch *tb = ctx;

	if (rec_state(r) != PASID_PARKED)
		tb->live[tb->n / 64] |= 1ull << (tb->n % 64);
	tb->pasid[tb->n++] = pasid;
	if (tb->n == TEARDOWN_BATCH)
		batch_flush(m, sl, tb);
}

void pasid_domain_teardown(struct pasid_mgr *m, domid_t domain)
{
	struct pasid_sets_locked all = lock_sets(m);
	struct teardown_batch tb;
	struct pasid_set_locked sl;
	struct pasid_set *s = pasid_set_of(m, domain);
	bool gone;

	if (!s || s->dying) {
		unlock_sets(&all);
		return;
	}
	sl = lock_set(s);
	s->dying = true;
	tb.n = tb.niommu = 0;
	pd_memset(tb.live, 0, sizeof(tb.live));
	unlock_sets(&all);
	for_each_held(m, sl, teardown_record, &tb);
	batch_flush(m, sl, &tb);
	/* PASIDs still held by in-hypervisor references stay parked and
	 * charged; the last pasid_put() frees the set. */
	gone = s->allocated == 0;
	unlock_set(&sl);
	if (gone)
		set_destroy(m, s);
}

int pasid_device_add(struct pasid_mgr *m, uint32_t id, domid_t owner,
		     struct pasid_iommu *iommu, struct pasid_err *err)
{
	struct pasid_sets_locked all = lock_sets(m);
	struct pasid_device *dev;
	int rc = 0;

	if (device_of(m, id)) {
		rc = refuse(NULL, err, XEN_EEXIST, PADDOCK_PASID_R_BAD_ARGUMENT,
			    "device %#x is registered twice", id);
	} else if (m->ndevices == PASID_MAX_DEVICES) {
		rc = refuse(NULL, err, XEN_ENOSPC, PADDOCK_PASID_R_BAD_ARGUMENT,
			    "more than %u devices", PASID_MAX_DEVICES);
	} else if (!iommu || !iommu->ops) {
		rc = refuse(NULL, err, XEN_ENODEV, PADDOCK_PASID_R_NO_DEVICE,
			    "device %#x has no IOMMU to serve it", id);
	} else {
		dev = &m->devices[m->ndevices++];
		dev->id = id;
		dev->owner = owner;
		dev->assigned = owner != PASID_DOMID_NONE;
		dev->iommu = iommu;
		dev->bound = 0;
		succeed(err);
	}
	unlock_sets(&all);
	return rc;
}

void pasid_note_refusal(struct pasid_mgr *m, domid_t domain, uint32_t reason)
{
	struct pasid_set *s = pasid_set_of(m, domain);
	struct pasid_set_locked sl;

	if (!s || reason > PADDOCK_PASID_R_MAX)
		return;
	sl = lock_set(s);
	s->refusals[reason]++;
	unlock_set(&sl);
}
