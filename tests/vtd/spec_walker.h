/* SPDX-License-Identifier: MIT */
/*
 * An independent VT-d scalable-mode table walker for the host tests,
 * written from the Intel VT-d Architecture Specification rev 4.x (section
 * 3.4-3.7 address translation, chapter 9 structure formats).  It shares no
 * code and no header with drivers/iommu/vtd: every constant below is
 * written out again from the spec, so a wrong bit in the driver's header
 * shows up as a disagreement here.
 *
 * The simulated register file (vtd_sim.c) decodes invalidation
 * descriptors with these constants too.
 */
#ifndef PADDOCK_TESTS_SPEC_WALKER_H
#define PADDOCK_TESTS_SPEC_WALKER_H

#include <stdbool.h>
#include <stdint.h>

/* Root Table Address register: TTM bits 11:10, 01b = scalable mode. */
#define SW_RTADDR_TTM_SHIFT 10
#define SW_RTADDR_PTR_MASK  0xFFFFFFFFFFFFF000ULL
#define SW_ADDR_MASK	    0x000FFFFFFFFFF000ULL /* bits 51:12 */

/* Scalable-mode root entry: 16 bytes per bus; LP bit 0, UP bit 64. */
#define SW_ROOT_BYTES 16

/* Scalable-mode context entry: 32 bytes, 128 per table. */
#define SW_CTX_BYTES 32
/* Scalable-mode PASID directory entry: 8 bytes; PASID table entry: 64. */
#define SW_PDE_BYTES 8
#define SW_PE_BYTES  64

/* PASID entry translation types (9.6 PGTT). */
#define SW_PGTT_FIRST	    1
#define SW_PGTT_SECOND	    2
#define SW_PGTT_NESTED	    3
#define SW_PGTT_PASSTHROUGH 4

/* Invalidation descriptor types (6.5.2). */
#define SW_INV_CONTEXT	     1
#define SW_INV_IOTLB	     2
#define SW_INV_DEV_TLB	     3
#define SW_INV_IEC	     4
#define SW_INV_WAIT	     5
#define SW_INV_PASID_IOTLB   6
#define SW_INV_PASID_CACHE   7
#define SW_INV_PASID_DEV_TLB 8

/* Paging-entry bits used by the tests to build real tables. */
#define SW_SL_READ    0x1ULL
#define SW_SL_WRITE   0x2ULL
#define SW_SL_SUPER   0x80ULL /* PS, bit 7 */
#define SW_FL_PRESENT 0x1ULL
#define SW_FL_RW      0x2ULL
#define SW_FL_USER    0x4ULL
#define SW_FL_SUPER   0x80ULL
#define SW_FL_XD      (1ULL << 63)

/** Where the walker reads memory: 0, or -1 when pa is not RAM. */
struct sw_mem {
	int (*read64)(void *ctx, uint64_t pa, uint64_t *val);
	void *ctx;
};

struct sw_request {
	uint8_t bus, devfn;
	bool has_pasid; /* false: the context entry's RID_PASID is used */
	uint32_t pasid;
	uint64_t addr;
	bool write;
	bool supervisor;
	/*
	 * Model QEMU 7.2 instead of the spec: first-level (and nested)
	 * entries are walked as second level from SLPTPTR.
	 */
	bool qemu72;
};

enum sw_reason {
	SW_OK = 0,
	SW_BAD_MODE,	/* TTM is not scalable mode */
	SW_BAD_POINTER, /* a table pointer outside RAM */
	SW_RSVD,	/* a reserved bit is set (non-qualified) */
	SW_ROOT_NOT_PRESENT,
	SW_CTX_NOT_PRESENT,
	SW_PASID_DISABLED, /* request with PASID, PASIDE = 0 */
	SW_PASID_TOO_BIG,  /* beyond the directory (PDTS) */
	SW_DIR_NOT_PRESENT,
	SW_PE_NOT_PRESENT,
	SW_BAD_PGTT,
	SW_BAD_AW,
	SW_ADDR_TOO_WIDE,
	SW_SL_NOT_PRESENT,
	SW_SL_DENIED,
	SW_FL_NOT_PRESENT,
	SW_FL_DENIED,
	SW_FL_NONCANONICAL,
};

struct sw_result {
	enum sw_reason reason;
	bool suppressed; /* a qualified fault with FPD set on the path */
	uint64_t out;	 /* host-physical address when reason == SW_OK */
	unsigned pgtt;
	uint16_t did;
	const char *why; /* short text for failure messages */
};

/**
 * Translates one request.  rtaddr is the Root Table Address register as
 * latched by the last SRTP.  Returns res->reason.
 */
enum sw_reason sw_translate(const struct sw_mem *m, uint64_t rtaddr,
			    const struct sw_request *rq, struct sw_result *res);

/** Reads the raw PASID-table entry (8 words); false if no path to it. */
bool sw_pasid_entry(const struct sw_mem *m, uint64_t rtaddr, uint8_t bus,
		    uint8_t devfn, uint32_t pasid, uint64_t pe[8]);

/** The host-physical address of that entry; false if no path to it. */
bool sw_pasid_entry_pa(const struct sw_mem *m, uint64_t rtaddr, uint8_t bus,
		       uint8_t devfn, uint32_t pasid, uint64_t *pa);

/**
 * The PASID directory a present scalable-mode context entry names (9.4):
 * its address (bits 63:12) and PDTS (bits 11:9), i.e. 2^(PDTS + 7)
 * entries, which reach PASIDs below 2^(PDTS + 7) * 64.  False if the root
 * or context entry is not present.
 */
bool sw_pasid_dir(const struct sw_mem *m, uint64_t rtaddr, uint8_t bus,
		  uint8_t devfn, uint64_t *dir, unsigned *pdts);

/**
 * What a first-level table holds, as sw_fl_enumerate() finds it: every
 * leaf (input page, output, size, and whether a write or a request without
 * supervisor privilege may use it: R/W and U/S ANDed over the levels, 3.6)
 * and every table page the walk reads.  Either callback may be NULL.
 */
struct sw_fl_visit {
	void (*leaf)(void *ctx, uint64_t va, uint64_t pa, uint64_t size,
		     bool write, bool user);
	void (*table)(void *ctx, uint64_t pa, unsigned level);
	void *ctx;
};

/**
 * The hostile-guest view: walks the whole first-level tree (3.6, 9.7,
 * 4-level) that the PASID entry of (bus, devfn, pasid) names, and reports
 * every present leaf and every table page.  Like sw_translate(), it reads
 * no capability register: a first-level entry is walked the way real
 * hardware with first-level support would walk it, even when the unit's
 * ECAP says FLTS = 0 (QEMU 7.2), because the point is what a device could
 * reach on such hardware.  Returns SW_OK, SW_BAD_PGTT when the entry is
 * not first-level, or the reason the path to the entry failed; a table
 * pointer outside RAM ends the walk of that subtree with SW_BAD_POINTER,
 * reported after the rest was visited.
 */
enum sw_reason sw_fl_enumerate(const struct sw_mem *m, uint64_t rtaddr,
			       uint8_t bus, uint8_t devfn, uint32_t pasid,
			       const struct sw_fl_visit *v);

const char *sw_reason_name(enum sw_reason r);

#endif
