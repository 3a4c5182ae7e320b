/* SPDX-License-Identifier: MIT */
/*
 * An independent SMMUv3 table walker for the host tests, written from the
 * Arm SMMUv3 specification IHI 0070 E.a (5.1 stream table, 5.2 STE, 5.3
 * L1CD, 5.4 CD, 3.x translation flow, 7.3 events) and the Armv8-A
 * VMSAv8-64 translation table format (4 KiB granule).  It shares no code
 * and no header with drivers/iommu/smmuv3: every constant is written out
 * again here, so a wrong bit in the driver's header shows up as a
 * disagreement.  The simulated SMMU (smmu_sim.c) uses these functions to
 * fetch and decode what the driver wrote.
 */
#ifndef PADDOCK_TESTS_SMMU_SPEC_WALKER_H
#define PADDOCK_TESTS_SMMU_SPEC_WALKER_H

#include <stdbool.h>
#include <stdint.h>

/* 7.3 event numbers. */
enum sw_event {
	SWE_NONE = 0x00,
	SWE_C_BAD_STREAMID = 0x02,
	SWE_C_BAD_STE = 0x04,
	SWE_F_STREAM_DISABLED = 0x06,
	SWE_C_BAD_SUBSTREAMID = 0x08,
	SWE_C_BAD_CD = 0x0a,
	SWE_F_TRANSLATION = 0x10,
	SWE_F_ADDR_SIZE = 0x11,
	SWE_F_ACCESS = 0x12,
	SWE_F_PERMISSION = 0x13,
};

/* Stage-1 leaf bits the tests use to build domain tables (VMSAv8-64). */
#define SW_PTE_VALID	  0x1ULL
#define SW_PTE_TABLE	  0x2ULL /* levels 0-2; "page" at level 3 */
#define SW_PTE_ATTRIDX(i) ((uint64_t)(i) << 2)
#define SW_PTE_AP_EL0	  (1ULL << 6) /* AP[1]: EL0 access */
#define SW_PTE_AP_RO	  (1ULL << 7) /* AP[2]: read-only */
#define SW_PTE_SH_INNER	  (3ULL << 8)
#define SW_PTE_AF	  (1ULL << 10)
#define SW_PTE_NG	  (1ULL << 11)
#define SW_PTE_ADDR	  0x0000FFFFFFFFF000ULL
#define SW_PAGE		  4096ULL

/** Where the walker reads memory: 0, or -1 when pa is not RAM. */
struct sw_mem {
	int (*read64)(void *ctx, uint64_t pa, uint64_t *val);
	void *ctx;
};

/** The SMMU registers a walk depends on. */
struct sw_smmu {
	uint32_t idr0, idr1, idr5;
	uint64_t strtab_base; /* SMMU_STRTAB_BASE */
	uint32_t strtab_cfg;  /* SMMU_STRTAB_BASE_CFG */
	bool smmuen;	      /* CR0.SMMUEN */
	bool gbpa_abort;      /* GBPA.ABORT */
	/* QEMU 7.2: an STE with S1CDMAX != 0 is C_BAD_STE (docs). */
	bool qemu72;
};

struct sw_request {
	uint32_t sid;
	bool ssv;
	uint32_t ssid;
	uint64_t addr;
	bool write;
};

enum sw_outcome {
	SWO_TRANSLATED,
	SWO_BYPASSED, /* no translation at all: never acceptable here */
	SWO_ABORTED,  /* terminated; event says whether one is recorded */
};

/** What a stage-1 leaf said. */
struct sw_leaf {
	uint64_t pa;
	bool writable, el0, global;
	unsigned level;
};

struct sw_result {
	enum sw_outcome outcome;
	enum sw_event event; /* SWE_NONE: nothing recorded */
	bool suppressed;     /* a fault CD.R = 0 kept out of the queue */
	uint64_t pa;	     /* when translated */
	uint16_t asid;	     /* the CD's, when one was reached */
	uint32_t cd_ssid;    /* the CD used: the SubstreamID, or 0 */
	struct sw_leaf leaf;
	const char *why;
};

/* Decoded pieces, for the tests' structural checks. */
struct sw_ste {
	bool v;
	unsigned config, s1fmt, s1cdmax, s1dss, eats, strw;
	uint64_t ctxptr;
};
struct sw_cd {
	bool v, epd0, epd1, aa64, a, r, s, ha, hd, endi;
	unsigned t0sz, tg0, ips;
	uint16_t asid;
	uint64_t ttb0, mair;
};

void sw_decode_ste(const uint64_t w[8], struct sw_ste *out);
void sw_decode_cd(const uint64_t w[8], struct sw_cd *out);

/**
 * Fetches the STE of `sid` (5.1: linear, or 2-level through an L1STD).
 * SWE_NONE and ste[8], or SWE_C_BAD_STREAMID.
 */
enum sw_event sw_fetch_ste(const struct sw_mem *m, const struct sw_smmu *s,
			   uint32_t sid, uint64_t ste[8]);
/** The L1STD naming sid's leaf (2-level tables): 0, or -1. */
int sw_l1std_of(const struct sw_mem *m, const struct sw_smmu *s, uint32_t sid,
		uint64_t *d);
/** The L1CD naming ssid's leaf (STE S1Fmt 0b01): 0, or -1. */
int sw_l1cd_of(const struct sw_mem *m, const uint64_t ste[8], uint32_t ssid,
	       uint64_t *d);
/** 5.2 legality of an STE for this SMMU: SWE_NONE or SWE_C_BAD_STE. */
enum sw_event sw_check_ste(const struct sw_smmu *s, const uint64_t ste[8]);
/**
 * Picks the CD a request uses (5.2 S1CDMax, S1DSS, S1Fmt; 5.3 L1CD) and
 * fetches it.  SWE_NONE with cd[8] and *ssid_used, SWE_C_BAD_SUBSTREAMID,
 * SWE_F_STREAM_DISABLED, or SWE_C_BAD_CD (unreadable); *bypass when
 * S1DSS says so.
 */
enum sw_event sw_fetch_cd(const struct sw_mem *m, const uint64_t ste[8],
			  bool ssv, uint32_t ssid, uint64_t cd[8],
			  uint32_t *ssid_used, bool *bypass);
/** 5.4 legality of a CD (QEMU 7.2's checks are a subset). */
enum sw_event sw_check_cd(const struct sw_smmu *s, const uint64_t cd[8]);
/**
 * The stage-1 walk of a valid CD (VMSAv8-64, 4 KiB granule, TTB0 only).
 * SWE_NONE and *leaf, or the fault.
 */
enum sw_event sw_s1_walk(const struct sw_mem *m, const uint64_t cd[8],
			 uint64_t va, bool write, struct sw_leaf *leaf);
/** The whole translation, as the SMMU architecture says, no caches. */
void sw_translate(const struct sw_mem *m, const struct sw_smmu *s,
		  const struct sw_request *rq, struct sw_result *res);

/**
 * Fields a Paddock STE, CD, L1CD or L1STD must leave zero: reserved bits
 * and the features the driver never enables (stage 2, ATS, stall, TTB1,
 * hardware flag updates).  NULL, or the name of the first field set.
 */
const char *sw_ste_reserved(const uint64_t ste[8]);
const char *sw_cd_reserved(const uint64_t cd[8]);
const char *sw_l1cd_reserved(uint64_t d);
const char *sw_l1std_reserved(uint64_t d);

/** Calls leaf() for every valid stage-1 leaf under a CD (hostile view). */
struct sw_leaf_visit {
	void (*leaf)(void *ctx, uint64_t va, uint64_t size,
		     const struct sw_leaf *l);
	void *ctx;
};
/** 0, or -1 when a table pointer is not RAM (the rest still visited). */
int sw_s1_enumerate(const struct sw_mem *m, const uint64_t cd[8],
		    const struct sw_leaf_visit *v);

const char *sw_event_name(enum sw_event e);

#endif
