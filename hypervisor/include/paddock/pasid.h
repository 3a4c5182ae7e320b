/* SPDX-License-Identifier: MIT */
/*
 * The PASID manager: per-domain PASID sets over one system-wide PASID
 * space, with quotas, optional exclusive ranges, device bindings and
 * parking.  See hypervisor/pasid/pasid.c for the lock order and
 * docs/design.md for the lifecycle.
 */
#ifndef PADDOCK_PASID_H
#define PADDOCK_PASID_H

#include <paddock/iommu.h>
#include <paddock/spinlock.h>
#include <paddock/types.h>
#include <paddock/pasid_op.h>

#define PASID_BITS_MAX	  20
#define PASID_MAX_SETS	  4096 /* domain ids below this, plus the hypervisor */
#define PASID_MAX_DEVICES 256
#define PASID_LEAF_SHIFT  10 /* records per lazily allocated leaf: 1024 */
#define PASID_CHUNK_SHIFT 4  /* PASIDs per pool chunk: 16 */
#define PASID_SET_SLAB	  16 /* sets per heap block, by domain id */
#define PASID_REASON_LEN  PADDOCK_PASID_REASON_MAX

/* The hypervisor's own set is charged like any domain's (Xen's id). */
#define DOMID_HYPERVISOR 0x7FF2

enum pasid_state {
	PASID_FREE = 0,
	PASID_ALLOCATED,
	PASID_BOUND,
	PASID_PARKED,
};

/** Why an operation failed: a reason code and a line of text. */
struct pasid_err {
	uint32_t reason; /* PADDOCK_PASID_R_* */
	char text[PASID_REASON_LEN];
};

struct pasid_set;
struct pasid_binding;

/*
 * The shared pool hands PASIDs to domains in chunks of 16, so that each
 * domain's PASIDs share VT-d PASID-table leaves (64 entries) and SMMU CD
 * tables.  A chunk's fields are the owner's, under the owner's lock.
 */
struct pasid_chunk {
	_Atomic(struct pasid_set *) owner; /* NULL: pool or range; pool lock */
	uint32_t next, prev; /* the owner's list of chunks with room */
	/* bit i: PASID chunk * 16 + i is free, as far as the owner knows: a
	 * PASID another domain took here (a fallback) stays set until the
	 * owner finds it taken; the record's tag decides (alloc.c).  Stale
	 * while the chunk is its owner's head (the set's head_mask holds it)
	 * or spare (wholly free). */
	uint16_t free_mask;
	uint16_t avail_mask;	     /* bits that may ever be handed out */
	_Atomic uint16_t range_mask; /* bits inside a range; pool lock */
	uint16_t _pad;
};
struct pasid_hbitmap;

/**
 * One PASID's record: 8 bytes.  Records live in leaves that are
 * allocated on first use and never freed while the manager lives ("type
 * stable"), which is what makes the lock-free lookup safe against a
 * concurrent free.  refs == 0 exactly when the PASID is FREE.  Who holds
 * the PASID and how is one word, the tag (internal.h: owner, state,
 * flags, bindings), so that fault routing reads a consistent snapshot
 * with a single load.  A record does not know its PASID: every path
 * that reaches one knows it already.  What few PASIDs carry (a guest
 * cookie, device bindings) lives in their leaf's extras, made on first
 * use.
 */
struct pasid_record {
	atomic_uint refs; /* allocation + bindings + holders */
	atomic_uint tag;  /* 0: FREE; written under the owner's lock */
};

/** What a PASID may carry besides its record; owner's lock. */
struct pasid_rec_extra {
	uint64_t cookie;		/* guest's 64-bit data (SET_DATA) */
	struct pasid_binding *bindings; /* the hypervisor's binding data */
};

/** 1,024 records: 8 KiB. */
struct pasid_leaf {
	struct pasid_record rec[1u << PASID_LEAF_SHIFT];
};

/** A device that PASIDs can be bound to, and the IOMMU that serves it. */
struct pasid_device {
	uint32_t id; /* PCI segment:bus:dev.fn (VT-d) or StreamID (SMMUv3) */
	domid_t owner;
	bool assigned;
	struct pasid_iommu *iommu;
	uint32_t bound; /* bindings on this device */
};

/** What a bind asks for. */
struct pasid_bind_req {
	uint32_t device;
	enum pasid_entry_kind kind;
	hpaddr_t sl_root;
	hpaddr_t fl_root; /* the domain's hypervisor-built first-level tables */
};

/** Limits of a new set; lo == hi == 0 means: draw from the shared pool. */
struct pasid_set_cfg {
	domid_t domain;
	bool privileged;
	uint32_t quota;
	uint32_t range_lo, range_hi;
};

struct pasid_mgr {
	unsigned bits;		   /* PASIDs run over [1, 2^bits) */
	uint32_t limit;		   /* 2^bits */
	struct spinlock sets_lock; /* sets[], devices[], set creation */
	struct spinlock pool_lock; /* the shared pool's bitmaps */
	struct pasid_hbitmap
		*free_chunks; /* pool chunks with nothing given out */
	struct pasid_hbitmap *free_blocks; /* 64-PASID blocks wholly free */
	struct pasid_chunk *chunks;	   /* per 16-PASID chunk of the space */
	uint32_t nchunks;
	_Atomic uint32_t
		fallback_rover;	    /* the PASID a fallback looks at first */
	atomic_bool pool_has_chunk; /* a hint: free_chunks is not empty */
	/* Sets keep no spare chunk (alloc.c): every chunk a set needs is
	 * claimed from the pool.  For the bench's pool-path figures. */
	bool no_spares;
	_Atomic(struct pasid_leaf *) *leaves; /* records, by pasid >> 10 */
	/* each leaf's extras, made when one of its PASIDs needs any */
	_Atomic(struct pasid_rec_extra *) *extras;
	struct pasid_set *sets[PASID_MAX_SETS];
	struct pasid_set *hv_set;
	/* Where sets[] point: one slab per PASID_SET_SLAB domain ids. */
	struct pasid_set_slab *set_slabs[PASID_MAX_SETS / PASID_SET_SLAB];
	struct pasid_device devices[PASID_MAX_DEVICES];
	unsigned ndevices;
	/* Faults charged by domain id (index PASID_MAX_SETS: the hypervisor,
	 * which answers for devices no domain owns), reset when the domain's
	 * set is created.  routed counts every fault charged; foreign those
	 * of them on a PASID the domain did not hold; suppressed those on
	 * its own parked PASIDs (not in routed). */
	struct pasid_fault_count {
		atomic_uint routed, suppressed, foreign;
	} fault_counts[PASID_MAX_SETS + 1];
};

/* Lifetime of the manager. */
int pasid_mgr_init(struct pasid_mgr *m, unsigned bits, uint32_t hv_quota,
		   struct pasid_err *err);
void pasid_mgr_fini(struct pasid_mgr *m);

/* Sets: one per domain, created at boot, torn down with the domain. */
int pasid_set_create(struct pasid_mgr *m, const struct pasid_set_cfg *cfg,
		     struct pasid_err *err);
struct pasid_set *pasid_set_of(struct pasid_mgr *m, domid_t domain);
void pasid_domain_teardown(struct pasid_mgr *m, domid_t domain);
/* Privileged callers only; the dispatcher checks.  Refuses the
 * hypervisor's own set (PADDOCK_PASID_R_HYPERVISOR_SET). */
int pasid_set_quota(struct pasid_mgr *m, domid_t domain, uint32_t quota,
		    struct pasid_err *err);

/* Devices, registered at boot with their owner and IOMMU. */
int pasid_device_add(struct pasid_mgr *m, uint32_t id, domid_t owner,
		     struct pasid_iommu *iommu, struct pasid_err *err);

/* The lifecycle, on behalf of `domain`. */
int pasid_alloc(struct pasid_mgr *m, domid_t domain, uint32_t *pasid,
		struct pasid_err *err);
int pasid_free(struct pasid_mgr *m, domid_t domain, uint32_t pasid,
	       struct pasid_err *err);
int pasid_bind(struct pasid_mgr *m, domid_t domain, uint32_t pasid,
	       const struct pasid_bind_req *req, struct pasid_err *err);
/**
 * The ownership half of pasid_bind()'s checks, for a caller that must
 * refuse a foreign PASID or device before it looks at anything else in
 * the request (docs/abi.md, "What a domain may learn about others"): 0
 * when `domain` holds `pasid` live and owns `device`, else the refusal
 * pasid_bind() would give, counted the same way.
 */
int pasid_check_bind_owner(struct pasid_mgr *m, domid_t domain, uint32_t pasid,
			   uint32_t device, struct pasid_err *err);
int pasid_unbind(struct pasid_mgr *m, domid_t domain, uint32_t pasid,
		 uint32_t device, struct pasid_err *err);
int pasid_set_data(struct pasid_mgr *m, domid_t domain, uint32_t pasid,
		   uint64_t cookie, struct pasid_err *err);
int pasid_get_data(struct pasid_mgr *m, domid_t domain, uint32_t pasid,
		   uint64_t *cookie, struct pasid_err *err);

/** Counts a refusal the dispatcher made before reaching the manager. */
void pasid_note_refusal(struct pasid_mgr *m, domid_t domain, uint32_t reason);

/* Figures. */
/** The domain's refusals, by PADDOCK_PASID_R_* reason. */
int pasid_refusals(struct pasid_mgr *m, domid_t domain,
		   uint32_t counts[PADDOCK_PASID_R_MAX + 1]);
int pasid_query(struct pasid_mgr *m, domid_t domain,
		struct paddock_pasid_info *info);
/** Fills up to max entries, returns the number of sets in the system. */
uint32_t pasid_list(struct pasid_mgr *m, struct paddock_pasid_info *out,
		    uint32_t max);

/** A PASID's owner and state at one instant. */
struct pasid_owner {
	domid_t domain; /* PASID_DOMID_NONE when FREE */
	enum pasid_state state;
};

/**
 * O(1) lookup for fault routing: one load from a type-stable record, no
 * lock and no write, safe against a concurrent free (which it sees either
 * before or after).  Used where the owner's id is all that is needed.
 */
struct pasid_owner pasid_lookup(struct pasid_mgr *m, uint32_t pasid);

/*
 * O(1) lookup that pins the record: takes a reference on the PASID's record,
 * or returns NULL when the PASID is FREE or outside the space.  The caller
 * reads the owner (pasid_record_domain()), then drops the reference with
 * pasid_put() on the same PASID.
 */
struct pasid_record *pasid_lookup_get(struct pasid_mgr *m, uint32_t pasid);
void pasid_put(struct pasid_mgr *m, uint32_t pasid);
domid_t pasid_record_domain(const struct pasid_record *rec);

/**
 * Route one DMA fault by who issued it and the PASID it carried.
 * `source_owner` owns the device the request came from (DOMID_HYPERVISOR
 * for a device no domain owns).  The fault is the PASID owner's only when
 * that is also the device's owner; any other PASID (another domain's, or
 * free) makes it a fault of the device's owner on a foreign PASID.  So a
 * domain is charged only with its own devices' faults, whatever PASID
 * they carry.  A fault of a domain's device on its own parked PASID is
 * counted as suppressed.  Returns the domain charged, or PASID_DOMID_NONE
 * when the fault was suppressed.  O(1), lock-free.
 */
#define PASID_DOMID_NONE 0xFFFF
domid_t pasid_route_fault(struct pasid_mgr *m, domid_t source_owner,
			  uint32_t pasid);
/**
 * Charges a fault that concerns no PASID, such as a blocked interrupt
 * request (VT-d 5.1.4), to the device's owner (DOMID_HYPERVISOR for a
 * device no domain owns): counted in `faults`, never as foreign or
 * suppressed.  Returns the domain charged.  O(1), lock-free.
 */
domid_t pasid_charge_device_fault(struct pasid_mgr *m, domid_t source_owner);

/* Invariant checker for the tests: 0, or -1 with a description in err. */
int pasid_check_invariants(struct pasid_mgr *m, struct pasid_err *err);

/**
 * For the tests (quiescent): free PASIDs outside every static range.  A
 * pool domain within its quota is refused for lack of space (R_SPACE)
 * only when this is 0.
 */
uint32_t pasid_free_outside_ranges(struct pasid_mgr *m);

/** For the tests: every (device, pasid, kind) binding the manager holds. */
void pasid_for_each_binding(struct pasid_mgr *m,
			    void (*fn)(void *ctx, uint32_t device,
				       uint32_t pasid,
				       enum pasid_entry_kind kind, bool parked),
			    void *ctx);

/* Helpers shared with the dispatcher. */
const char *pasid_reason_name(uint32_t reason);
const char *pasid_state_name(enum pasid_state state);

#endif
