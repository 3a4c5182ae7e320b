/* SPDX-License-Identifier: MIT */
/*
 * Paddock guest ABI: the PASID hypercall.
 *
 * Self-standing: a guest includes <stdint.h> and the Xen public headers
 * (built with __XEN_INTERFACE_VERSION__ at its latest) before this file.
 * MIT licensed, like the Xen public headers it extends, so that guests of
 * any licence can include it.
 *
 * Call:   HYPERVISOR_pasid_op(struct paddock_pasid_op *op, size)
 *         x86_64 PV: syscall, rax = __HYPERVISOR_paddock_pasid_op,
 *                    rdi = guest pointer to the op, rsi = sizeof(*op)
 *         arm64:     hvc #0xEA1, x16 = op number, x0 = pointer, x1 = size
 * Result: 0 or a negative XEN_E* code.  On failure op->reason holds a
 *         PADDOCK_PASID_R_* code, and if op->reason_buf is non-zero the
 *         hypervisor writes a NUL-terminated one-line explanation there
 *         (at most reason_len bytes, including the NUL).
 *
 * See docs/abi.md for the whole contract, and its section "What a domain
 * may learn about others": an unprivileged caller gets NOT_ALLOCATED for
 * any PASID it does not hold and NO_DEVICE for any device not its own.
 */
#ifndef PADDOCK_PUBLIC_PASID_OP_H
#define PADDOCK_PUBLIC_PASID_OP_H

/*
 * Xen keeps __HYPERVISOR_arch_0..7 for architecture-specific calls; 4.17
 * uses arch_0 and arch_1 on x86 and none on Arm, so arch_6 is free on both.
 */
#define __HYPERVISOR_paddock_pasid_op 54 /* == __HYPERVISOR_arch_6 */

/* Sub-operations (paddock_pasid_op.cmd). */
#define PADDOCK_PASID_ALLOC	 1  /* out: pasid */
#define PADDOCK_PASID_FREE	 2  /* in: pasid */
#define PADDOCK_PASID_BIND	 3  /* in: pasid, device, bind_type, fl_root */
#define PADDOCK_PASID_UNBIND	 4  /* in: pasid, device */
#define PADDOCK_PASID_SET_DATA	 5  /* in: pasid, cookie */
#define PADDOCK_PASID_GET_DATA	 6  /* in: pasid; out: cookie */
#define PADDOCK_PASID_QUERY	 7  /* out: u.info (own set) */
#define PADDOCK_PASID_LIST	 8  /* privileged; in/out: u.list */
#define PADDOCK_PASID_SET_QUOTA	 9  /* privileged; in: domain, quota */
#define PADDOCK_PASID_GET_FAULTS 10 /* in/out: u.faults (own records) */
#define PADDOCK_PASID_REFUSALS	 11 /* out: u.list: u32 count per reason */
#define PADDOCK_PASID_CMD_MAX	 11

/* How a bound PASID translates (paddock_pasid_op.bind_type). */
#define PADDOCK_BIND_SECOND_LEVEL 0 /* the domain's own DMA tables */
/*
 * First-level translation through tables the hypervisor builds and owns:
 * a first-level copy of the domain's DMA view (the same addresses as
 * PADDOCK_BIND_SECOND_LEVEL).  fl_root must be 0: a guest's own tables
 * are refused (PADDOCK_PASID_R_BAD_TABLE_ROOT), since the IOMMU would
 * take every address in them as host-physical.
 */
#define PADDOCK_BIND_FIRST_LEVEL 1
#define PADDOCK_BIND_PASSTHROUGH 2 /* identity; privileged domains only */

/* Reason codes: why a call failed (paddock_pasid_op.reason). */
#define PADDOCK_PASID_R_OK		 0
#define PADDOCK_PASID_R_BAD_SIZE	 1 /* size argument != sizeof(op) */
#define PADDOCK_PASID_R_BAD_POINTER	 2 /* op or a buffer not guest memory */
#define PADDOCK_PASID_R_UNKNOWN_CMD	 3
#define PADDOCK_PASID_R_NOT_PRIVILEGED	 4
#define PADDOCK_PASID_R_QUOTA		 5 /* quota exhausted */
#define PADDOCK_PASID_R_SPACE		 6 /* the pool or range is full */
#define PADDOCK_PASID_R_OUT_OF_RANGE	 7 /* pasid outside [1, 2^bits) */
#define PADDOCK_PASID_R_NOT_OWNER	 8 /* someone else's; privileged only */
#define PADDOCK_PASID_R_NOT_ALLOCATED	 9 /* not the caller's (free or other) */
#define PADDOCK_PASID_R_PARKED		 10 /* pasid was freed, still held */
#define PADDOCK_PASID_R_NO_DEVICE	 11 /* none assigned to the caller */
#define PADDOCK_PASID_R_DEVICE_NOT_OWNED 12 /* privileged callers only */
#define PADDOCK_PASID_R_ALREADY_BOUND	 13 /* pasid already bound to device */
#define PADDOCK_PASID_R_NOT_BOUND	 14
#define PADDOCK_PASID_R_BAD_BIND_TYPE	 15
#define PADDOCK_PASID_R_BAD_TABLE_ROOT	 16 /* fl_root != 0 */
#define PADDOCK_PASID_R_NO_MEMORY	 17 /* hypervisor memory exhausted */
#define PADDOCK_PASID_R_NO_DOMAIN	 18 /* SET_QUOTA target unknown */
#define PADDOCK_PASID_R_BAD_ARGUMENT	 19 /* reserved field non-zero etc. */
#define PADDOCK_PASID_R_IOMMU		 20 /* the IOMMU refused the entry */
#define PADDOCK_PASID_R_HYPERVISOR_SET	 21 /* SET_QUOTA on DOMID_XEN's set */
#define PADDOCK_PASID_R_MAX		 21

/* Per-set figures, as QUERY returns them and LIST reports each set. */
struct paddock_pasid_info {
	uint16_t domain;
	uint16_t flags; /* PADDOCK_PASID_INFO_* */
	uint32_t quota;
	uint32_t allocated; /* charged: live and parked */
	uint32_t bound;	    /* PASIDs with at least one device binding */
	uint32_t parked;
	uint32_t peak;
	uint32_t range_lo; /* 0 with range_hi 0: no range (shared pool) */
	uint32_t range_hi;
	uint32_t refusals; /* all refused requests */
	uint32_t refusals_quota;
	uint32_t faults; /* DMA faults of its devices, charged to it */
	uint32_t faults_suppressed; /* faults on its parked PASIDs */
	uint32_t pasid_bits;	    /* width of the system's PASID space */
	uint32_t faults_foreign;    /* of `faults`: on PASIDs it did not hold */
	/* allocations that found no free chunk and took a free PASID inside
	 * another domain's chunk (docs/design.md, "Allocation policy") */
	uint32_t fallbacks;
};
#define PADDOCK_PASID_INFO_PRIVILEGED 1
#define PADDOCK_PASID_INFO_DYING      2

/* One DMA fault record, as GET_FAULTS returns them. */
struct paddock_pasid_fault {
	uint64_t address; /* faulting I/O address */
	uint32_t pasid;
	uint32_t device;
	uint16_t reason; /* the IOMMU's own fault reason code */
	uint16_t write;	 /* 1: write request */
	uint32_t _pad;
};

struct paddock_pasid_op {
	uint32_t cmd;	     /* in: PADDOCK_PASID_* */
	uint32_t pasid;	     /* in/out */
	uint32_t device;     /* in: PCI segment:bus:dev.fn (VT-d) or StreamID */
	uint32_t domain;     /* in: SET_QUOTA target */
	uint32_t quota;	     /* in: SET_QUOTA */
	uint32_t bind_type;  /* in: PADDOCK_BIND_* */
	uint64_t cookie;     /* in: SET_DATA; out: GET_DATA */
	uint64_t fl_root;    /* in: BIND first-level: must be 0 */
	uint32_t reason;     /* out: PADDOCK_PASID_R_* */
	uint32_t reason_len; /* in: bytes at reason_buf */
	uint64_t reason_buf; /* in: guest pointer, or 0 for no text */
	union {
		struct paddock_pasid_info info; /* QUERY */
		struct {
			uint64_t buf;	/* in: array of paddock_pasid_info */
			uint32_t max;	/* in: entries at buf */
			uint32_t count; /* out: sets in the system */
		} list; /* LIST: entries written = min(max, count) */
		struct {
			uint64_t buf;	/* in: array of paddock_pasid_fault */
			uint32_t max;	/* in: entries at buf */
			uint32_t count; /* out: records returned and removed */
		} faults;		/* GET_FAULTS */
		uint8_t _space[64];
	} u;
};

#define PADDOCK_PASID_REASON_MAX 160 /* longest reason text, with NUL */

#if defined(__cplusplus)
static_assert(sizeof(struct paddock_pasid_info) == 60, "ABI");
static_assert(sizeof(struct paddock_pasid_fault) == 24, "ABI");
static_assert(sizeof(struct paddock_pasid_op) == 120, "ABI");
#else
_Static_assert(sizeof(struct paddock_pasid_info) == 60, "ABI");
_Static_assert(sizeof(struct paddock_pasid_fault) == 24, "ABI");
_Static_assert(sizeof(struct paddock_pasid_op) == 120, "ABI");
#endif

#endif /* PADDOCK_PUBLIC_PASID_OP_H */
