/* SPDX-License-Identifier: MIT */
/*
 * Intel VT-d (Virtualization Technology for Directed I/O): the register
 * file, the scalable-mode translation structures and the queued-invalidation
 * descriptors, as laid out in the Intel VT-d Architecture Specification,
 * revision 4.x.  Section numbers below refer to that document.
 *
 * Every field is a 64-bit mask named after the spec's field, within the
 * 64-bit word ("qword") of the structure that holds it: word N of a
 * structure covers its bits [64N+63 : 64N].  Fields are read and written
 * with VTD_FIELD_GET() and VTD_FIELD_PREP().
 *
 * Register names carry their access width (VTD_REG32_*, VTD_REG64_*): an
 * access with the wrong width is undefined in the spec (11.2) and aborts
 * QEMU 7.2, so the width is part of the name.
 */
#ifndef PADDOCK_VTD_REGS_H
#define PADDOCK_VTD_REGS_H

#include <stdint.h>

/* Bits h..l of a 64-bit word, h >= l. */
#define VTD_GENMASK(h, l) ((~0ULL >> (63 - (h))) & (~0ULL << (l)))
#define VTD_BIT(n)	  (1ULL << (n))

/** The value of the field `mask` in `word`. */
#define VTD_FIELD_GET(mask, word)                                              \
	(((uint64_t)(word) & (mask)) >> __builtin_ctzll(mask))
/** `val` placed in the field `mask` (excess bits are dropped). */
#define VTD_FIELD_PREP(mask, val)                                              \
	(((uint64_t)(val) << __builtin_ctzll(mask)) & (mask))

#define VTD_PAGE_SHIFT 12
#define VTD_PAGE_SIZE  (1ULL << VTD_PAGE_SHIFT)

/*
 * ---------------------------------------------------------------------
 * Register offsets (VT-d 4.x, 11.4 "Register Descriptions", Table
 * "Address Mapping for Remapping Hardware Registers").
 * ---------------------------------------------------------------------
 */
#define VTD_REG32_VER	  0x000 /* 11.4.1 Version */
#define VTD_REG64_CAP	  0x008 /* 11.4.2 Capability */
#define VTD_REG64_ECAP	  0x010 /* 11.4.3 Extended Capability */
#define VTD_REG32_GCMD	  0x018 /* 11.4.4 Global Command */
#define VTD_REG32_GSTS	  0x01C /* 11.4.5 Global Status */
#define VTD_REG64_RTADDR  0x020 /* 11.4.6 Root Table Address */
#define VTD_REG64_CCMD	  0x028 /* 11.4.7 Context Command */
#define VTD_REG32_FSTS	  0x034 /* 11.4.9.1 Fault Status */
#define VTD_REG32_FECTL	  0x038 /* 11.4.9.2 Fault Event Control */
#define VTD_REG32_FEDATA  0x03C /* 11.4.9.3 Fault Event Data */
#define VTD_REG32_FEADDR  0x040 /* 11.4.9.4 Fault Event Address */
#define VTD_REG32_FEUADDR 0x044 /* 11.4.9.5 Fault Event Upper Address */
#define VTD_REG64_AFLOG	  0x058 /* Advanced Fault Log (deprecated) */
#define VTD_REG32_PMEN	  0x064 /* Protected Memory Enable */
#define VTD_REG64_IQH	  0x080 /* 11.4.10.1 Invalidation Queue Head */
#define VTD_REG64_IQT	  0x088 /* 11.4.10.2 Invalidation Queue Tail */
#define VTD_REG64_IQA	  0x090 /* 11.4.10.3 Invalidation Queue Address */
#define VTD_REG32_ICS	  0x09C /* 11.4.10.4 Invalidation Completion Status */
#define VTD_REG32_IECTL	  0x0A0 /* Invalidation Event Control */
#define VTD_REG32_IEDATA  0x0A4 /* Invalidation Event Data */
#define VTD_REG32_IEADDR  0x0A8 /* Invalidation Event Address */
#define VTD_REG32_IEUADDR 0x0AC /* Invalidation Event Upper Address */
#define VTD_REG64_IQERCD  0x0B0 /* Invalidation Queue Error Record */
#define VTD_REG64_IRTA	  0x0B8 /* Interrupt Remapping Table Address */

/*
 * IOTLB registers (11.4.8): at ECAP.IRO * 16.  IVA (64) at +0, IOTLB
 * invalidate (64) at +8.  Paddock uses queued invalidation only.
 */
#define VTD_IOTLB_IVA_OFF 0x0
#define VTD_IOTLB_REG_OFF 0x8

/*
 * Fault recording registers (11.4.9.6): NFR + 1 128-bit records at
 * CAP.FRO * 16.  Read as two 64-bit halves; F (bit 127) is cleared by
 * writing 1 to it with a 32-bit write to the record's top dword (+12).
 */
#define VTD_FRCD_SIZE	 16
#define VTD_FRCD_LO_OFF	 0x0 /* 64-bit: bits 63:0 */
#define VTD_FRCD_HI_OFF	 0x8 /* 64-bit: bits 127:64 */
#define VTD_FRCD_TOP_OFF 0xC /* 32-bit: bits 127:96, holds F */

/* 11.4.1 Version Register */
#define VTD_VER_MIN VTD_GENMASK(3, 0)
#define VTD_VER_MAX VTD_GENMASK(7, 4)

/* 11.4.2 Capability Register */
#define VTD_CAP_ND	VTD_GENMASK(2, 0) /* domain ids: 2^(4 + 2 ND) */
#define VTD_CAP_AFL	VTD_BIT(3)
#define VTD_CAP_RWBF	VTD_BIT(4) /* write-buffer flush required */
#define VTD_CAP_PLMR	VTD_BIT(5)
#define VTD_CAP_PHMR	VTD_BIT(6)
#define VTD_CAP_CM	VTD_BIT(7)	    /* caching mode */
#define VTD_CAP_SAGAW	VTD_GENMASK(12, 8)  /* bit 1: 39-bit, 2: 48, 3: 57 */
#define VTD_CAP_MGAW	VTD_GENMASK(21, 16) /* max guest address width - 1 */
#define VTD_CAP_ZLR	VTD_BIT(22)
#define VTD_CAP_FRO	VTD_GENMASK(33, 24) /* fault record offset / 16 */
#define VTD_CAP_SLLPS	VTD_GENMASK(37, 34) /* second-level large pages */
#define VTD_CAP_PSI	VTD_BIT(39)
#define VTD_CAP_NFR	VTD_GENMASK(47, 40) /* fault records - 1 */
#define VTD_CAP_MAMV	VTD_GENMASK(53, 48)
#define VTD_CAP_DWD	VTD_BIT(54)
#define VTD_CAP_DRD	VTD_BIT(55)
#define VTD_CAP_FL1GP	VTD_BIT(56)
#define VTD_CAP_PI	VTD_BIT(59)
#define VTD_CAP_FL5LP	VTD_BIT(60)
#define VTD_CAP_ESIRTPS VTD_BIT(62)
#define VTD_CAP_ESRTPS	VTD_BIT(63)

/* SAGAW bit numbers and the matching AW encodings (9.6 AW field). */
#define VTD_AGAW_39 1 /* 3-level */
#define VTD_AGAW_48 2 /* 4-level */
#define VTD_AGAW_57 3 /* 5-level */

/* 11.4.3 Extended Capability Register */
#define VTD_ECAP_C	VTD_BIT(0) /* page-walk coherency (legacy) */
#define VTD_ECAP_QI	VTD_BIT(1) /* queued invalidation */
#define VTD_ECAP_DT	VTD_BIT(2) /* device-TLB */
#define VTD_ECAP_IR	VTD_BIT(3)
#define VTD_ECAP_EIM	VTD_BIT(4)
#define VTD_ECAP_PT	VTD_BIT(6)	   /* pass-through */
#define VTD_ECAP_SC	VTD_BIT(7)	   /* snoop control */
#define VTD_ECAP_IRO	VTD_GENMASK(17, 8) /* IOTLB register offset / 16 */
#define VTD_ECAP_MHMV	VTD_GENMASK(23, 20)
#define VTD_ECAP_MTS	VTD_BIT(25)
#define VTD_ECAP_NEST	VTD_BIT(26)
#define VTD_ECAP_PRS	VTD_BIT(29)
#define VTD_ECAP_ERS	VTD_BIT(30)
#define VTD_ECAP_SRS	VTD_BIT(31)
#define VTD_ECAP_NWFS	VTD_BIT(33)
#define VTD_ECAP_EAFS	VTD_BIT(34)
#define VTD_ECAP_PSS	VTD_GENMASK(39, 35) /* PASID width - 1 */
#define VTD_ECAP_PASID	VTD_BIT(40)
#define VTD_ECAP_DIT	VTD_BIT(41)
#define VTD_ECAP_PDS	VTD_BIT(42)
#define VTD_ECAP_SMTS	VTD_BIT(43) /* scalable-mode translation */
#define VTD_ECAP_VCS	VTD_BIT(44)
#define VTD_ECAP_SLADS	VTD_BIT(45)
#define VTD_ECAP_SLTS	VTD_BIT(46) /* second-level translation */
#define VTD_ECAP_FLTS	VTD_BIT(47) /* first-level translation */
#define VTD_ECAP_SMPWCS VTD_BIT(48) /* scalable-mode page-walk coherency */
#define VTD_ECAP_RPS	VTD_BIT(49)

/* 11.4.4 Global Command / 11.4.5 Global Status (same bit positions) */
#define VTD_GCMD_TE    VTD_BIT(31)
#define VTD_GCMD_SRTP  VTD_BIT(30)
#define VTD_GCMD_SFL   VTD_BIT(29)
#define VTD_GCMD_EAFL  VTD_BIT(28)
#define VTD_GCMD_WBF   VTD_BIT(27)
#define VTD_GCMD_QIE   VTD_BIT(26)
#define VTD_GCMD_IRE   VTD_BIT(25)
#define VTD_GCMD_SIRTP VTD_BIT(24)
#define VTD_GCMD_CFI   VTD_BIT(23)
#define VTD_GSTS_TES   VTD_BIT(31)
#define VTD_GSTS_RTPS  VTD_BIT(30)
#define VTD_GSTS_FLS   VTD_BIT(29)
#define VTD_GSTS_AFLS  VTD_BIT(28)
#define VTD_GSTS_WBFS  VTD_BIT(27)
#define VTD_GSTS_QIES  VTD_BIT(26)
#define VTD_GSTS_IRES  VTD_BIT(25)
#define VTD_GSTS_IRTPS VTD_BIT(24)
#define VTD_GSTS_CFIS  VTD_BIT(23)
/*
 * GCMD is written with the persistent enables read back from GSTS; the
 * one-shot command bits (SRTP, SFL, WBF, SIRTP) must not be echoed
 * (11.4.4, programming note).
 */
#define VTD_GSTS_ONESHOT                                                       \
	(VTD_GSTS_RTPS | VTD_GSTS_FLS | VTD_GSTS_WBFS | VTD_GSTS_IRTPS)

/* 11.4.6 Root Table Address Register */
#define VTD_RTADDR_TTM	  VTD_GENMASK(11, 10) /* translation table mode */
#define VTD_RTADDR_RTA	  VTD_GENMASK(63, 12)
#define VTD_TTM_LEGACY	  0
#define VTD_TTM_SCALABLE  1
#define VTD_TTM_ABORT_DMA 3

/*
 * 11.4.7 Context Command Register (64-bit) and 11.4.8.1 IOTLB Invalidate
 * Register (64-bit, at ECAP.IRO * 16 + 8): register-based invalidation,
 * which must not be used while queued invalidation is enabled (6.5.2).
 * Listed for completeness; Paddock uses the queue only.
 */
#define VTD_CCMD_DID	   VTD_GENMASK(15, 0)
#define VTD_CCMD_SID	   VTD_GENMASK(31, 16)
#define VTD_CCMD_FM	   VTD_GENMASK(33, 32)
#define VTD_CCMD_CAIG	   VTD_GENMASK(60, 59)
#define VTD_CCMD_CIRG	   VTD_GENMASK(62, 61)
#define VTD_CCMD_ICC	   VTD_BIT(63)
#define VTD_IOTLB_REG_DID  VTD_GENMASK(47, 32)
#define VTD_IOTLB_REG_DW   VTD_BIT(48)
#define VTD_IOTLB_REG_DR   VTD_BIT(49)
#define VTD_IOTLB_REG_IAIG VTD_GENMASK(58, 57)
#define VTD_IOTLB_REG_IIRG VTD_GENMASK(61, 60)
#define VTD_IOTLB_REG_IVT  VTD_BIT(63)

/* 11.4.9.1 Fault Status Register (32-bit) */
#define VTD_FSTS_PFO VTD_BIT(0) /* primary fault overflow, RW1C */
#define VTD_FSTS_PPF VTD_BIT(1) /* primary pending fault, RO */
#define VTD_FSTS_IQE VTD_BIT(4) /* invalidation queue error, RW1C */
#define VTD_FSTS_ICE VTD_BIT(5) /* invalidation completion error, RW1C */
#define VTD_FSTS_ITE VTD_BIT(6) /* invalidation time-out error, RW1C */
#define VTD_FSTS_FRI VTD_GENMASK(15, 8) /* fault record index */

/* 11.4.9.2 Fault Event Control Register (32-bit) */
#define VTD_FECTL_IM VTD_BIT(31)
#define VTD_FECTL_IP VTD_BIT(30)

/* 11.4.10.1/2 Invalidation Queue Head and Tail (64-bit) */
#define VTD_IQ_PTR_128 VTD_GENMASK(18, 4) /* descriptor index, DW = 0 */
#define VTD_IQ_PTR_256 VTD_GENMASK(18, 5) /* descriptor index, DW = 1 */

/* 11.4.10.3 Invalidation Queue Address Register */
#define VTD_IQA_QS  VTD_GENMASK(2, 0) /* 2^QS 4-KiB pages */
#define VTD_IQA_DW  VTD_BIT(11)	      /* 256-bit descriptors */
#define VTD_IQA_IQA VTD_GENMASK(63, 12)

/* 11.4.10.4 Invalidation Completion Status Register (32-bit) */
#define VTD_ICS_IWC VTD_BIT(0)

/*
 * Interrupt Remapping Table Address Register (64-bit, offset 0xB8; 11.4,
 * "IRTA_REG").  The table holds 2^(S + 1) 16-byte entries; EIME = 0 keeps
 * xAPIC destination ids (IRTE bits 47:40), as Paddock runs the xAPIC.
 */
#define VTD_IRTA_S    VTD_GENMASK(3, 0)
#define VTD_IRTA_EIME VTD_BIT(11)
#define VTD_IRTA_IRTA VTD_GENMASK(63, 12)

/*
 * ---------------------------------------------------------------------
 * 11.4.9.6 Fault Recording Register and 9.x Fault Record: one 128-bit
 * record as two words.  lo = bits 63:0, hi = bits 127:64.
 * ---------------------------------------------------------------------
 */
#define VTD_FRCD_LO_FI	 VTD_GENMASK(63, 12) /* faulting page address */
#define VTD_FRCD_HI_SID	 VTD_GENMASK(15, 0)  /* bits 79:64 source id */
#define VTD_FRCD_HI_T2	 VTD_BIT(28)	     /* bit 92 type bit 2 */
#define VTD_FRCD_HI_PRIV VTD_BIT(29)	     /* bit 93 privileged */
#define VTD_FRCD_HI_EXE	 VTD_BIT(30)	     /* bit 94 execute */
#define VTD_FRCD_HI_PP	 VTD_BIT(31)	     /* bit 95 PASID present */
#define VTD_FRCD_HI_FR	 VTD_GENMASK(39, 32) /* bits 103:96 fault reason */
#define VTD_FRCD_HI_PV	 VTD_GENMASK(59, 40) /* bits 123:104 PASID value */
#define VTD_FRCD_HI_AT	 VTD_GENMASK(61, 60) /* bits 125:124 address type */
#define VTD_FRCD_HI_T1	 VTD_BIT(62)	     /* bit 126: 0 write, 1 read */
#define VTD_FRCD_HI_F	 VTD_BIT(63)	     /* bit 127 fault, RW1C */
#define VTD_FRCD_TOP_F	 VTD_BIT(31)	     /* F in the 32-bit top dword */

/*
 * For interrupt requests (fault reasons 0x20-0x2F) the record's FI field
 * holds no address: its bits 63:48 are the interrupt index the request
 * carried (11.4.9.6, FI field description).
 */
#define VTD_FRCD_LO_IRQ_INDEX VTD_GENMASK(63, 48)

/*
 * ---------------------------------------------------------------------
 * 5.1.2 Interrupt requests: a DMA write of 4 bytes to 0xFEEx_xxxx.
 * Bit 4 of the address picks the format: 0 is the compatibility format
 * (5.1.2.1, the MSI as the local APIC understands it: vector in data
 * bits 7:0), 1 the remappable format (5.1.2.2: a handle into the
 * interrupt remapping table, plus the data's sub-handle when SHV is set).
 * With GSTS.IRES = 1 and GSTS.CFIS = 0 the unit blocks compatibility-
 * format requests (5.1.4): only an IRTE the hypervisor wrote can deliver.
 * ---------------------------------------------------------------------
 */
#define VTD_IRQ_ADDR_BASE      0xFEE00000ULL
#define VTD_IRQ_ADDR_HEAD      VTD_GENMASK(31, 20) /* 0xFEE */
#define VTD_IRQ_ADDR_HANDLE_LO VTD_GENMASK(19, 5)  /* handle 14:0 */
#define VTD_IRQ_ADDR_REMAP     VTD_BIT(4)	   /* interrupt format */
#define VTD_IRQ_ADDR_SHV       VTD_BIT(3)	   /* sub-handle valid */
#define VTD_IRQ_ADDR_HANDLE_HI VTD_BIT(2)	   /* handle 15 */
#define VTD_IRQ_DATA_SUBHANDLE VTD_GENMASK(15, 0)
#define VTD_IRQ_DATA_VECTOR    VTD_GENMASK(7, 0)  /* compatibility format */
#define VTD_IRQ_DATA_DLM       VTD_GENMASK(10, 8) /* delivery mode */

/*
 * ---------------------------------------------------------------------
 * 9.9 Interrupt Remapping Table Entry for remapped interrupts (128-bit;
 * IM = 0).  Word 0 = bits 63:0, word 1 = bits 127:64.
 * ---------------------------------------------------------------------
 */
#define VTD_IRTE0_P	    VTD_BIT(0)
#define VTD_IRTE0_FPD	    VTD_BIT(1)
#define VTD_IRTE0_DM	    VTD_BIT(2) /* 1: logical destination */
#define VTD_IRTE0_RH	    VTD_BIT(3)
#define VTD_IRTE0_TM	    VTD_BIT(4) /* 1: level triggered */
#define VTD_IRTE0_DLM	    VTD_GENMASK(7, 5)
#define VTD_IRTE0_IM	    VTD_BIT(15) /* 1: posted format */
#define VTD_IRTE0_V	    VTD_GENMASK(23, 16)
#define VTD_IRTE0_DST_XAPIC VTD_GENMASK(47, 40) /* xAPIC id, EIME = 0 */
#define VTD_IRTE1_SID	    VTD_GENMASK(15, 0)
#define VTD_IRTE1_SQ	    VTD_GENMASK(17, 16)
#define VTD_IRTE1_SVT	    VTD_GENMASK(19, 18)
#define VTD_IRTE_WORDS	    2
#define VTD_SVT_NONE	    0
#define VTD_SVT_SID	    1 /* requester id must equal SID (SQ = 0) */
#define VTD_DLM_FIXED	    0
/* Paddock's table: 256 entries, one page (IRTA.S = 7). */
#define VTD_IRT_S	7
#define VTD_IRT_ENTRIES (2u << VTD_IRT_S)

/*
 * ---------------------------------------------------------------------
 * 9.2 Scalable-Mode Root Entry (128-bit).  The lower half points at the
 * context table for devfn 0-127, the upper half for devfn 128-255.
 * ---------------------------------------------------------------------
 */
#define VTD_SM_ROOT_LO_LP    VTD_BIT(0)		 /* lower present */
#define VTD_SM_ROOT_LO_LCTP  VTD_GENMASK(63, 12) /* lower context table */
#define VTD_SM_ROOT_HI_UP    VTD_BIT(0)		 /* bit 64 upper present */
#define VTD_SM_ROOT_HI_UCTP  VTD_GENMASK(63, 12) /* bits 127:76 */
#define VTD_SM_ROOT_LO_RSVD  VTD_GENMASK(11, 1)
#define VTD_SM_ROOT_HI_RSVD  VTD_GENMASK(11, 1)
#define VTD_ROOT_ENTRIES     256
#define VTD_ROOT_ENTRY_WORDS 2

/*
 * ---------------------------------------------------------------------
 * 9.4 Scalable-Mode Context Entry (256-bit), 128 per 4-KiB table.
 * ---------------------------------------------------------------------
 */
#define VTD_SM_CTX0_P		VTD_BIT(0)
#define VTD_SM_CTX0_FPD		VTD_BIT(1)
#define VTD_SM_CTX0_DTE		VTD_BIT(2) /* device-TLB (ATS) enable */
#define VTD_SM_CTX0_PASIDE	VTD_BIT(3) /* requests with PASID allowed */
#define VTD_SM_CTX0_PRE		VTD_BIT(4) /* page requests enable */
#define VTD_SM_CTX0_RSVD	VTD_GENMASK(8, 5)
#define VTD_SM_CTX0_PDTS	VTD_GENMASK(11, 9) /* 2^(PDTS + 7) dir entries */
#define VTD_SM_CTX0_PASIDDIRPTR VTD_GENMASK(63, 12)
#define VTD_SM_CTX1_RID_PASID	VTD_GENMASK(19, 0) /* PASID for no-PASID reqs */
#define VTD_SM_CTX1_RSVD	VTD_GENMASK(63, 21)
#define VTD_SM_CTX_WORDS	4
#define VTD_SM_CTX_PER_TABLE	128
#define VTD_PDTS_MAX		7

/*
 * ---------------------------------------------------------------------
 * 9.5 Scalable-Mode PASID Directory Entry (64-bit): PASID[19:6] indexes
 * the directory, each entry points at a 64-entry PASID table.
 * ---------------------------------------------------------------------
 */
#define VTD_PDE_P		VTD_BIT(0)
#define VTD_PDE_FPD		VTD_BIT(1)
#define VTD_PDE_RSVD		VTD_GENMASK(11, 2)
#define VTD_PDE_SMPTBLPTR	VTD_GENMASK(63, 12)
#define VTD_PASID_TABLE_SHIFT	6 /* PASID[5:0] indexes the table */
#define VTD_PASID_TABLE_ENTRIES 64

/*
 * ---------------------------------------------------------------------
 * 9.6 Scalable-Mode PASID Table Entry (512-bit, eight words).
 * ---------------------------------------------------------------------
 */
#define VTD_PE0_P	VTD_BIT(0)
#define VTD_PE0_FPD	VTD_BIT(1)
#define VTD_PE0_AW	VTD_GENMASK(4, 2) /* second-level AGAW */
#define VTD_PE0_SLEE	VTD_BIT(5)	  /* second-level execute enable */
#define VTD_PE0_PGTT	VTD_GENMASK(8, 6) /* translation type */
#define VTD_PE0_SLADE	VTD_BIT(9)	  /* second-level A/D enable */
#define VTD_PE0_RSVD	VTD_GENMASK(11, 10)
#define VTD_PE0_SLPTPTR VTD_GENMASK(63, 12)
#define VTD_PE1_DID	VTD_GENMASK(15, 0)
#define VTD_PE1_RSVD	VTD_GENMASK(22, 16)
#define VTD_PE1_PWSNP	VTD_BIT(23) /* page-walk snoop */
#define VTD_PE1_PGSNP	VTD_BIT(24) /* page snoop */
#define VTD_PE1_CD	VTD_BIT(25) /* cache disable */
#define VTD_PE1_EMTE	VTD_BIT(26) /* extended memory type enable */
#define VTD_PE1_EMT	VTD_GENMASK(29, 27)
#define VTD_PE1_PWT	VTD_BIT(30)
#define VTD_PE1_PCD	VTD_BIT(31)
#define VTD_PE1_PAT	VTD_GENMASK(63, 32)
#define VTD_PE2_SRE	VTD_BIT(0)	  /* supervisor requests enable */
#define VTD_PE2_ERE	VTD_BIT(1)	  /* execute requests enable */
#define VTD_PE2_FLPM	VTD_GENMASK(3, 2) /* 0: 4-level, 1: 5-level */
#define VTD_PE2_WPE	VTD_BIT(4)
#define VTD_PE2_NXE	VTD_BIT(5)
#define VTD_PE2_SMEP	VTD_BIT(6)
#define VTD_PE2_EAFE	VTD_BIT(7)
#define VTD_PE2_FLPTR	VTD_GENMASK(63, 12)
#define VTD_PE_WORDS	8
#define VTD_PE_SIZE	64

#define VTD_PGTT_FL  1 /* first-level only */
#define VTD_PGTT_SL  2 /* second-level only */
#define VTD_PGTT_NST 3 /* nested */
#define VTD_PGTT_PT  4 /* pass-through */

#define VTD_FLPM_4LEVEL 0
#define VTD_FLPM_5LEVEL 1

/*
 * ---------------------------------------------------------------------
 * 9.7 First-Level Paging Entries (IA-32e paging format) and 9.8
 * Second-Level Paging Entries, 512 per 4-KiB table.
 * ---------------------------------------------------------------------
 */
#define VTD_FLPTE_P    VTD_BIT(0)
#define VTD_FLPTE_RW   VTD_BIT(1)
#define VTD_FLPTE_US   VTD_BIT(2)
#define VTD_FLPTE_PWT  VTD_BIT(3)
#define VTD_FLPTE_PCD  VTD_BIT(4)
#define VTD_FLPTE_A    VTD_BIT(5)
#define VTD_FLPTE_D    VTD_BIT(6)
#define VTD_FLPTE_PS   VTD_BIT(7)
#define VTD_FLPTE_ADDR VTD_GENMASK(51, 12)
#define VTD_FLPTE_XD   VTD_BIT(63)
/* In a 2-MiB or 1-GiB leaf (PS = 1), bit 12 is PAT, not address. */
#define VTD_FLPTE_PAT_LARGE VTD_BIT(12)
#define VTD_FL_LEVELS	    4  /* FLPM = 00b: 4-level paging (9.6) */
#define VTD_FL_VA_BITS	    48 /* canonical inputs: bits 63:47 equal */

#define VTD_SLPTE_R	   VTD_BIT(0)
#define VTD_SLPTE_W	   VTD_BIT(1)
#define VTD_SLPTE_X	   VTD_BIT(2)
#define VTD_SLPTE_EMT	   VTD_GENMASK(5, 3)
#define VTD_SLPTE_IPAT	   VTD_BIT(6)
#define VTD_SLPTE_PS	   VTD_BIT(7)
#define VTD_SLPTE_A	   VTD_BIT(8)
#define VTD_SLPTE_D	   VTD_BIT(9)
#define VTD_SLPTE_SNP	   VTD_BIT(11)
#define VTD_SLPTE_ADDR	   VTD_GENMASK(51, 12)
#define VTD_PT_ENTRIES	   512
#define VTD_PT_LEVEL_SHIFT 9

/*
 * ---------------------------------------------------------------------
 * 6.5.2 Invalidation descriptors.  Word 0 holds the type split in two
 * fields: bits 3:0 and 11:9 (type bits 6:4).  With IQA.DW = 1 every
 * descriptor is 256 bits and words 2 and 3 are zero for these types.
 * ---------------------------------------------------------------------
 */
#define VTD_INV_TYPE_LO VTD_GENMASK(3, 0)
#define VTD_INV_TYPE_HI VTD_GENMASK(11, 9)
#define VTD_INV_WORDS	4

#define VTD_INV_CC	1 /* 6.5.2.1 context-cache */
#define VTD_INV_IOTLB	2 /* 6.5.2.3 IOTLB */
#define VTD_INV_DEVTLB	3 /* 6.5.2.5 device-TLB */
#define VTD_INV_IEC	4 /* 6.5.2.7 interrupt entry cache */
#define VTD_INV_WAIT	5 /* 6.5.2.8 invalidation wait */
#define VTD_INV_PIOTLB	6 /* 6.5.2.4 PASID-based IOTLB */
#define VTD_INV_PC	7 /* 6.5.2.2 PASID-cache */
#define VTD_INV_PDEVTLB 8 /* 6.5.2.6 PASID-based device-TLB */

/* 6.5.2.1 Context-Cache Invalidate Descriptor */
#define VTD_CC0_G	VTD_GENMASK(5, 4)
#define VTD_CC0_DID	VTD_GENMASK(31, 16)
#define VTD_CC0_SID	VTD_GENMASK(47, 32)
#define VTD_CC0_FM	VTD_GENMASK(49, 48)
#define VTD_CC_G_GLOBAL 1
#define VTD_CC_G_DOMAIN 2
#define VTD_CC_G_DEVICE 3

/* 6.5.2.2 PASID-Cache Invalidate Descriptor */
#define VTD_PC0_G	VTD_GENMASK(5, 4)
#define VTD_PC0_DID	VTD_GENMASK(31, 16)
#define VTD_PC0_PASID	VTD_GENMASK(51, 32)
#define VTD_PC_G_DOMAIN 0 /* all PASIDs of the domain */
#define VTD_PC_G_PASID	1 /* one PASID within the domain */
#define VTD_PC_G_GLOBAL 3

/* 6.5.2.3 IOTLB Invalidate Descriptor */
#define VTD_IOTLB0_G	   VTD_GENMASK(5, 4)
#define VTD_IOTLB0_DW	   VTD_BIT(6)
#define VTD_IOTLB0_DR	   VTD_BIT(7)
#define VTD_IOTLB0_DID	   VTD_GENMASK(31, 16)
#define VTD_IOTLB1_AM	   VTD_GENMASK(5, 0)
#define VTD_IOTLB1_IH	   VTD_BIT(6)
#define VTD_IOTLB1_ADDR	   VTD_GENMASK(63, 12)
#define VTD_IOTLB_G_GLOBAL 1
#define VTD_IOTLB_G_DOMAIN 2
#define VTD_IOTLB_G_PAGE   3

/* 6.5.2.4 PASID-based-IOTLB Invalidate Descriptor */
#define VTD_PIOTLB0_G	   VTD_GENMASK(5, 4)
#define VTD_PIOTLB0_DID	   VTD_GENMASK(31, 16)
#define VTD_PIOTLB0_PASID  VTD_GENMASK(51, 32)
#define VTD_PIOTLB1_AM	   VTD_GENMASK(5, 0)
#define VTD_PIOTLB1_IH	   VTD_BIT(6)
#define VTD_PIOTLB1_ADDR   VTD_GENMASK(63, 12)
#define VTD_PIOTLB_G_PASID 2 /* all non-global entries of the PASID */
#define VTD_PIOTLB_G_PAGE  3 /* page-selective within the PASID */

/* 6.5.2.5 Device-TLB Invalidate Descriptor */
#define VTD_DEVTLB0_PFSID_LO VTD_GENMASK(15, 12)
#define VTD_DEVTLB0_MIP	     VTD_GENMASK(20, 16)
#define VTD_DEVTLB0_SID	     VTD_GENMASK(47, 32)
#define VTD_DEVTLB0_PFSID_HI VTD_GENMASK(63, 52)
#define VTD_DEVTLB1_S	     VTD_BIT(0)
#define VTD_DEVTLB1_ADDR     VTD_GENMASK(63, 12)

/* 6.5.2.6 PASID-based-Device-TLB Invalidate Descriptor */
#define VTD_PDEVTLB0_MIP      VTD_GENMASK(8, 4)
#define VTD_PDEVTLB0_PFSID_LO VTD_GENMASK(15, 12)
#define VTD_PDEVTLB0_SID      VTD_GENMASK(31, 16)
#define VTD_PDEVTLB0_PASID    VTD_GENMASK(51, 32)
#define VTD_PDEVTLB0_PFSID_HI VTD_GENMASK(63, 52)
#define VTD_PDEVTLB1_G	      VTD_BIT(0) /* all PASIDs of the device */
#define VTD_PDEVTLB1_S	      VTD_BIT(11)
#define VTD_PDEVTLB1_ADDR     VTD_GENMASK(63, 12)
/* With S = 1, an address with bits 62:12 all set covers every page. */
#define VTD_DEVTLB_ADDR_ALL VTD_GENMASK(62, 12)

/* 6.5.2.7 Interrupt Entry Cache Invalidate Descriptor */
#define VTD_IEC0_G    VTD_BIT(4) /* 0: global, 1: index-selective */
#define VTD_IEC0_IM   VTD_GENMASK(31, 27)
#define VTD_IEC0_IIDX VTD_GENMASK(47, 32)

/* 6.5.2.8 Invalidation Wait Descriptor */
#define VTD_WAIT0_IF	VTD_BIT(4) /* interrupt on completion */
#define VTD_WAIT0_SW	VTD_BIT(5) /* status write */
#define VTD_WAIT0_FN	VTD_BIT(6) /* fence */
#define VTD_WAIT0_PD	VTD_BIT(7) /* page-request drain */
#define VTD_WAIT0_SDATA VTD_GENMASK(63, 32)
#define VTD_WAIT1_SADDR VTD_GENMASK(63, 2) /* dword-aligned status */

/*
 * Fault reasons the driver names (Appendix A, "Non-Recoverable Fault
 * Reason Encodings").  The rest are reported by number.
 */
#define VTD_FR_ROOT_NOT_PRESENT 0x01
#define VTD_FR_CTX_NOT_PRESENT	0x02
#define VTD_FR_WRITE		0x05
#define VTD_FR_READ		0x06
#define VTD_FR_SM_PASID_INVALID 0x58 /* QEMU's catch-all for PASID walks */
/* Interrupt-remapping faults: 0x20 reserved request bits, 0x21 index
 * beyond the table, 0x22 IRTE not present, 0x23 table unreadable, 0x24
 * reserved IRTE bits, 0x25 compatibility format blocked, 0x26 source-id
 * check failed. */
#define VTD_FR_IR_FIRST	      0x20
#define VTD_FR_IR_INDEX_OVER  0x21
#define VTD_FR_IR_NOT_PRESENT 0x22
#define VTD_FR_IR_COMPAT      0x25
#define VTD_FR_IR_SID	      0x26
#define VTD_FR_IR_LAST	      0x2F

#endif
