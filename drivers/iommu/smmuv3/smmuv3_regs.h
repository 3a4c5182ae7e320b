/* SPDX-License-Identifier: MIT */
/*
 * Arm SMMUv3: the register file, the Stream Table Entry, the L1 stream
 * and context descriptors, the Context Descriptor, the commands and the
 * event records, as laid out in the Arm System Memory Management Unit
 * Architecture Specification, SMMU architecture version 3, IHI 0070 E.a.
 * Section numbers below refer to that document.
 *
 * Every structure field is a 64-bit mask named after the spec's field,
 * within the 64-bit word of the structure that holds it: word N covers
 * the structure's bits [64N+63 : 64N].  Fields are read and written with
 * SMMU_FIELD_GET() and SMMU_FIELD_PREP().
 *
 * Registers are 32 bits wide as far as this driver is concerned: the
 * 64-bit ones (STRTAB_BASE, CMDQ_BASE, EVENTQ_BASE) are written as two
 * 32-bit halves, low then high (6.2: 64-bit registers may be accessed as
 * two 32-bit halves), because QEMU 7.2 answers a 64-bit read with zero.
 */
#ifndef PADDOCK_SMMUV3_REGS_H
#define PADDOCK_SMMUV3_REGS_H

#include <stdint.h>

/* Bits h..l of a 64-bit word, h >= l. */
#define SMMU_GENMASK(h, l) ((~0ULL >> (63 - (h))) & (~0ULL << (l)))
#define SMMU_BIT(n)	   (1ULL << (n))

/** The value of the field `mask` in `word`. */
#define SMMU_FIELD_GET(mask, word)                                             \
	(((uint64_t)(word) & (mask)) >> __builtin_ctzll(mask))
/** `val` placed in the field `mask` (excess bits are dropped). */
#define SMMU_FIELD_PREP(mask, val)                                             \
	(((uint64_t)(val) << __builtin_ctzll(mask)) & (mask))

#define SMMU_PAGE_SHIFT 12
#define SMMU_PAGE_SIZE	(1ULL << SMMU_PAGE_SHIFT)

/*
 * ---------------------------------------------------------------------
 * Register offsets (6.2 "Register overview"; page 0 unless noted).
 * ---------------------------------------------------------------------
 */
#define SMMU_IDR0	     0x0000  /* 6.3.1 */
#define SMMU_IDR1	     0x0004  /* 6.3.2 */
#define SMMU_IDR2	     0x0008  /* 6.3.3 */
#define SMMU_IDR3	     0x000C  /* 6.3.4 */
#define SMMU_IDR4	     0x0010  /* 6.3.5 */
#define SMMU_IDR5	     0x0014  /* 6.3.6 */
#define SMMU_IIDR	     0x0018  /* 6.3.7 */
#define SMMU_AIDR	     0x001C  /* 6.3.8 */
#define SMMU_CR0	     0x0020  /* 6.3.9 */
#define SMMU_CR0ACK	     0x0024  /* 6.3.10 */
#define SMMU_CR1	     0x0028  /* 6.3.11 */
#define SMMU_CR2	     0x002C  /* 6.3.12 */
#define SMMU_STATUSR	     0x0040  /* 6.3.13 */
#define SMMU_GBPA	     0x0044  /* 6.3.14 */
#define SMMU_IRQ_CTRL	     0x0050  /* 6.3.16 */
#define SMMU_IRQ_CTRLACK     0x0054  /* 6.3.17 */
#define SMMU_GERROR	     0x0060  /* 6.3.18 */
#define SMMU_GERRORN	     0x0064  /* 6.3.19 */
#define SMMU_STRTAB_BASE_LO  0x0080  /* 6.3.23, bits 31:0 */
#define SMMU_STRTAB_BASE_HI  0x0084  /* 6.3.23, bits 63:32 */
#define SMMU_STRTAB_BASE_CFG 0x0088  /* 6.3.24 */
#define SMMU_CMDQ_BASE_LO    0x0090  /* 6.3.25, bits 31:0 */
#define SMMU_CMDQ_BASE_HI    0x0094  /* 6.3.25, bits 63:32 */
#define SMMU_CMDQ_PROD	     0x0098  /* 6.3.26 */
#define SMMU_CMDQ_CONS	     0x009C  /* 6.3.27 */
#define SMMU_EVENTQ_BASE_LO  0x00A0  /* 6.3.28, bits 31:0 */
#define SMMU_EVENTQ_BASE_HI  0x00A4  /* 6.3.28, bits 63:32 */
#define SMMU_EVENTQ_PROD     0x100A8 /* 6.3.29, page 1 */
#define SMMU_EVENTQ_CONS     0x100AC /* 6.3.30, page 1 */
#define SMMU_REG_SPAN	     0x20000 /* pages 0 and 1 */

/* 6.3.1 SMMU_IDR0 */
#define SMMU_IDR0_S2P	      SMMU_BIT(0)
#define SMMU_IDR0_S1P	      SMMU_BIT(1)
#define SMMU_IDR0_TTF	      SMMU_GENMASK(3, 2) /* 0b10: AArch64 */
#define SMMU_IDR0_COHACC      SMMU_BIT(4)	 /* coherent table walks */
#define SMMU_IDR0_BTM	      SMMU_BIT(5)
#define SMMU_IDR0_HTTU	      SMMU_GENMASK(7, 6)
#define SMMU_IDR0_HYP	      SMMU_BIT(9)
#define SMMU_IDR0_ATS	      SMMU_BIT(10)
#define SMMU_IDR0_ASID16      SMMU_BIT(12)
#define SMMU_IDR0_MSI	      SMMU_BIT(13)
#define SMMU_IDR0_PRI	      SMMU_BIT(16)
#define SMMU_IDR0_VMID16      SMMU_BIT(18)
#define SMMU_IDR0_CD2L	      SMMU_BIT(19) /* 2-level CD tables */
#define SMMU_IDR0_TTENDIAN    SMMU_GENMASK(22, 21)
#define SMMU_IDR0_STALL_MODEL SMMU_GENMASK(25, 24)
#define SMMU_IDR0_TERM_MODEL  SMMU_BIT(26)
#define SMMU_IDR0_ST_LEVEL    SMMU_GENMASK(28, 27) /* 0b01: 2-level */

#define SMMU_TTF_AARCH64	0x2
#define SMMU_TTF_BOTH		0x3
#define SMMU_TTENDIAN_MIXED	0x0
#define SMMU_TTENDIAN_LE	0x2
#define SMMU_ST_LEVEL_LINEAR	0x0
#define SMMU_ST_LEVEL_2LVL	0x1
#define SMMU_STALL_MODEL_FORCED 0x2

/* 6.3.2 SMMU_IDR1 */
#define SMMU_IDR1_SIDSIZE	SMMU_GENMASK(5, 0)
#define SMMU_IDR1_SSIDSIZE	SMMU_GENMASK(10, 6)
#define SMMU_IDR1_PRIQS		SMMU_GENMASK(15, 11)
#define SMMU_IDR1_EVENTQS	SMMU_GENMASK(20, 16)
#define SMMU_IDR1_CMDQS		SMMU_GENMASK(25, 21)
#define SMMU_IDR1_REL		SMMU_BIT(28)
#define SMMU_IDR1_QUEUES_PRESET SMMU_BIT(29)
#define SMMU_IDR1_TABLES_PRESET SMMU_BIT(30)

/* 6.3.6 SMMU_IDR5 */
#define SMMU_IDR5_OAS	  SMMU_GENMASK(2, 0) /* 0:32 1:36 2:40 3:42 4:44 5:48 */
#define SMMU_IDR5_GRAN4K  SMMU_BIT(4)
#define SMMU_IDR5_GRAN16K SMMU_BIT(5)
#define SMMU_IDR5_GRAN64K SMMU_BIT(6)
#define SMMU_OAS_48	  0x5
#define SMMU_IDR5_OAS_MAX 0x6

/* 6.3.9 SMMU_CR0 and 6.3.10 SMMU_CR0ACK */
#define SMMU_CR0_SMMUEN	  SMMU_BIT(0)
#define SMMU_CR0_PRIQEN	  SMMU_BIT(1)
#define SMMU_CR0_EVENTQEN SMMU_BIT(2)
#define SMMU_CR0_CMDQEN	  SMMU_BIT(3)
#define SMMU_CR0_ATSCHK	  SMMU_BIT(4)

/* 6.3.11 SMMU_CR1: cacheability and shareability of table and queue
 * accesses. */
#define SMMU_CR1_QUEUE_IC SMMU_GENMASK(1, 0)
#define SMMU_CR1_QUEUE_OC SMMU_GENMASK(3, 2)
#define SMMU_CR1_QUEUE_SH SMMU_GENMASK(5, 4)
#define SMMU_CR1_TABLE_IC SMMU_GENMASK(7, 6)
#define SMMU_CR1_TABLE_OC SMMU_GENMASK(9, 8)
#define SMMU_CR1_TABLE_SH SMMU_GENMASK(11, 10)
#define SMMU_CACHE_NC	  0x0
#define SMMU_CACHE_WBRA	  0x1 /* write-back, read/write-allocate */
#define SMMU_SH_NSH	  0x0
#define SMMU_SH_OSH	  0x2
#define SMMU_SH_ISH	  0x3

/* 6.3.12 SMMU_CR2 */
#define SMMU_CR2_E2H	   SMMU_BIT(0)
#define SMMU_CR2_RECINVSID SMMU_BIT(1) /* record C_BAD_STREAMID */
#define SMMU_CR2_PTM	   SMMU_BIT(2)

/* 6.3.14 SMMU_GBPA: what happens to traffic while SMMUEN = 0. */
#define SMMU_GBPA_ABORT	 SMMU_BIT(20)
#define SMMU_GBPA_UPDATE SMMU_BIT(31)

/* 6.3.16 SMMU_IRQ_CTRL and 6.3.17 SMMU_IRQ_CTRLACK */
#define SMMU_IRQ_CTRL_GERROR_IRQEN SMMU_BIT(0)
#define SMMU_IRQ_CTRL_PRIQ_IRQEN   SMMU_BIT(1)
#define SMMU_IRQ_CTRL_EVENTQ_IRQEN SMMU_BIT(2)

/*
 * 6.3.18 SMMU_GERROR and 6.3.19 SMMU_GERRORN: an error is active while
 * its GERROR bit differs from its GERRORN bit; software acknowledges it
 * by writing GERRORN with the bit toggled to match.
 */
#define SMMU_GERROR_CMDQ_ERR	   SMMU_BIT(0)
#define SMMU_GERROR_EVENTQ_ABT_ERR SMMU_BIT(2)
#define SMMU_GERROR_PRIQ_ABT_ERR   SMMU_BIT(3)
#define SMMU_GERROR_MSI_CMDQ_ABT   SMMU_BIT(4)
#define SMMU_GERROR_MSI_EVENTQ_ABT SMMU_BIT(5)
#define SMMU_GERROR_MSI_PRIQ_ABT   SMMU_BIT(6)
#define SMMU_GERROR_MSI_GERROR_ABT SMMU_BIT(7)
#define SMMU_GERROR_SFM_ERR	   SMMU_BIT(8)
#define SMMU_GERROR_ERR_MASK	   0x1FDULL

/* 6.3.23 SMMU_STRTAB_BASE */
#define SMMU_STRTAB_BASE_RA   SMMU_BIT(62)
#define SMMU_STRTAB_BASE_ADDR SMMU_GENMASK(51, 6)

/* 6.3.24 SMMU_STRTAB_BASE_CFG */
#define SMMU_STRTAB_CFG_LOG2SIZE SMMU_GENMASK(5, 0)
#define SMMU_STRTAB_CFG_SPLIT	 SMMU_GENMASK(10, 6)
#define SMMU_STRTAB_CFG_FMT	 SMMU_GENMASK(17, 16)
#define SMMU_STRTAB_FMT_LINEAR	 0x0
#define SMMU_STRTAB_FMT_2LVL	 0x1

/* 6.3.25 SMMU_CMDQ_BASE and 6.3.28 SMMU_EVENTQ_BASE */
#define SMMU_Q_BASE_RWA	     SMMU_BIT(62) /* RA (CMDQ), WA (EVENTQ) */
#define SMMU_Q_BASE_ADDR     SMMU_GENMASK(51, 5)
#define SMMU_Q_BASE_LOG2SIZE SMMU_GENMASK(4, 0)

/*
 * 6.3.26-6.3.30 queue index registers: the index in bits
 * [LOG2SIZE-1:0] and the wrap bit just above it (3.5.1 "Queue
 * pointers"); CMDQ_CONS reports a command error in ERR, the event queue
 * an overflow in PROD.OVFLG until CONS.OVACKFLG matches it.
 */
#define SMMU_Q_IDX_WRAP_MASK   SMMU_GENMASK(19, 0)
#define SMMU_CMDQ_CONS_ERR     SMMU_GENMASK(30, 24)
#define SMMU_EVENTQ_PROD_OVFLG SMMU_BIT(31)
#define SMMU_EVENTQ_CONS_OVACK SMMU_BIT(31)

/* 4.x command errors in CMDQ_CONS.ERR (6.3.27) */
#define SMMU_CERROR_NONE	 0x0
#define SMMU_CERROR_ILL		 0x1 /* illegal command */
#define SMMU_CERROR_ABT		 0x2 /* abort on the command fetch */
#define SMMU_CERROR_ATC_INV_SYNC 0x3 /* ATC invalidation timed out */

/*
 * ---------------------------------------------------------------------
 * 5.1 Stream table: the 2-level format's L1 Stream Table Descriptor.
 * ---------------------------------------------------------------------
 */
#define SMMU_L1STD_SPAN	 SMMU_GENMASK(4, 0) /* 2^(SPAN-1) STEs; 0 invalid */
#define SMMU_L1STD_L2PTR SMMU_GENMASK(51, 6)
#define SMMU_L1STD_BYTES 8

/*
 * ---------------------------------------------------------------------
 * 5.2 STE, Stream Table Entry: 64 bytes.
 * ---------------------------------------------------------------------
 */
#define SMMU_STE_WORDS 8
#define SMMU_STE_BYTES 64
/* Word 0 */
#define SMMU_STE0_V	       SMMU_BIT(0)
#define SMMU_STE0_CONFIG       SMMU_GENMASK(3, 1)
#define SMMU_STE0_S1FMT	       SMMU_GENMASK(5, 4)
#define SMMU_STE0_S1CONTEXTPTR SMMU_GENMASK(51, 6)
#define SMMU_STE0_S1CDMAX      SMMU_GENMASK(63, 59)
/* Word 1 */
#define SMMU_STE1_S1DSS	   SMMU_GENMASK(1, 0)
#define SMMU_STE1_S1CIR	   SMMU_GENMASK(3, 2)
#define SMMU_STE1_S1COR	   SMMU_GENMASK(5, 4)
#define SMMU_STE1_S1CSH	   SMMU_GENMASK(7, 6)
#define SMMU_STE1_S1STALLD SMMU_BIT(27)
#define SMMU_STE1_EATS	   SMMU_GENMASK(29, 28)
#define SMMU_STE1_STRW	   SMMU_GENMASK(31, 30)
#define SMMU_STE1_SHCFG	   SMMU_GENMASK(45, 44)

/* 5.2 STE.Config */
#define SMMU_STE_CFG_ABORT  0x0 /* abort, no event recorded */
#define SMMU_STE_CFG_BYPASS 0x4 /* never written by this driver */
#define SMMU_STE_CFG_S1	    0x5 /* stage 1 translate, stage 2 bypass */
#define SMMU_STE_CFG_S2	    0x6
#define SMMU_STE_CFG_NESTED 0x7
/* 5.2 STE.S1Fmt */
#define SMMU_S1FMT_LINEAR 0x0
#define SMMU_S1FMT_4K_L2  0x1 /* 64 CDs per 4-KiB leaf */
#define SMMU_S1FMT_64K_L2 0x2
/* 5.2 STE.S1DSS: transactions without a SubstreamID */
#define SMMU_S1DSS_TERMINATE  0x0
#define SMMU_S1DSS_BYPASS     0x1
#define SMMU_S1DSS_SUBSTREAM0 0x2 /* use CD 0; SubstreamID 0 illegal */
/* 5.2 STE.STRW */
#define SMMU_STRW_NSEL1 0x0
/* 5.2 STE.SHCFG: use the incoming shareability */
#define SMMU_SHCFG_INCOMING 0x1

/*
 * ---------------------------------------------------------------------
 * 5.3 L1CD, Level-1 Context Descriptor (2-level CD tables): 8 bytes.
 * ---------------------------------------------------------------------
 */
#define SMMU_L1CD_V	   SMMU_BIT(0)
#define SMMU_L1CD_L2PTR	   SMMU_GENMASK(51, 12)
#define SMMU_L1CD_BYTES	   8
#define SMMU_CD_LEAF_SHIFT 6 /* S1Fmt 0b01: SubstreamID[5:0] in a leaf */

/*
 * ---------------------------------------------------------------------
 * 5.4 CD, Context Descriptor: 64 bytes.
 * ---------------------------------------------------------------------
 */
#define SMMU_CD_WORDS 8
#define SMMU_CD_BYTES 64
/* Word 0 */
#define SMMU_CD0_T0SZ SMMU_GENMASK(5, 0)
#define SMMU_CD0_TG0  SMMU_GENMASK(7, 6)
#define SMMU_CD0_IR0  SMMU_GENMASK(9, 8)
#define SMMU_CD0_OR0  SMMU_GENMASK(11, 10)
#define SMMU_CD0_SH0  SMMU_GENMASK(13, 12)
#define SMMU_CD0_EPD0 SMMU_BIT(14)
#define SMMU_CD0_ENDI SMMU_BIT(15)
#define SMMU_CD0_T1SZ SMMU_GENMASK(21, 16)
#define SMMU_CD0_TG1  SMMU_GENMASK(23, 22)
#define SMMU_CD0_EPD1 SMMU_BIT(30)
#define SMMU_CD0_V    SMMU_BIT(31)
#define SMMU_CD0_IPS  SMMU_GENMASK(34, 32)
#define SMMU_CD0_AFFD SMMU_BIT(35)
#define SMMU_CD0_WXN  SMMU_BIT(36)
#define SMMU_CD0_TBI  SMMU_GENMASK(39, 38)
#define SMMU_CD0_AA64 SMMU_BIT(41)
#define SMMU_CD0_HD   SMMU_BIT(42)
#define SMMU_CD0_HA   SMMU_BIT(43)
#define SMMU_CD0_S    SMMU_BIT(44) /* stall faults: never */
#define SMMU_CD0_R    SMMU_BIT(45) /* record faults as events */
#define SMMU_CD0_A    SMMU_BIT(46) /* abort (not RAZ/WI) on a fault */
#define SMMU_CD0_ASET SMMU_BIT(47)
#define SMMU_CD0_ASID SMMU_GENMASK(63, 48)
/* Word 1 */
#define SMMU_CD1_TTB0 SMMU_GENMASK(51, 4)
/* Word 2 */
#define SMMU_CD2_TTB1 SMMU_GENMASK(51, 4)
/* Word 3: MAIR, as MAIR_EL1 (attribute index 0 in bits 7:0). */
#define SMMU_CD3_MAIR SMMU_GENMASK(63, 0)

#define SMMU_TG0_4K	0x0
#define SMMU_T0SZ_48BIT 16	/* 4 levels from level 0 with 4 KiB */
#define SMMU_MAIR_WB	0xFFULL /* index 0: Normal WB RW-allocate */

/*
 * ---------------------------------------------------------------------
 * 4.1 Commands: 16 bytes; the opcode in word 0 bits 7:0.
 * ---------------------------------------------------------------------
 */
#define SMMU_CMD_WORDS 2
#define SMMU_CMD_BYTES 16
#define SMMU_CMD0_OP   SMMU_GENMASK(7, 0)

#define SMMU_OP_PREFETCH_CONFIG 0x01 /* 4.2.1 */
#define SMMU_OP_CFGI_STE	0x03 /* 4.3.1 */
#define SMMU_OP_CFGI_STE_RANGE	0x04 /* 4.3.2; Range 31 = CFGI_ALL */
#define SMMU_OP_CFGI_CD		0x05 /* 4.3.3 */
#define SMMU_OP_CFGI_CD_ALL	0x06 /* 4.3.4 */
#define SMMU_OP_TLBI_NH_ALL	0x10 /* 4.4.1 */
#define SMMU_OP_TLBI_NH_ASID	0x11 /* 4.4.2 */
#define SMMU_OP_TLBI_NH_VA	0x12 /* 4.4.3 */
#define SMMU_OP_TLBI_EL2_ALL	0x20 /* 4.4.6 */
#define SMMU_OP_TLBI_NSNH_ALL	0x30 /* 4.4.12 */
#define SMMU_OP_ATC_INV		0x40 /* 4.5.1 */
#define SMMU_OP_CMD_SYNC	0x46 /* 4.7.3 */

/* 4.3 CFGI_*: StreamID, SubstreamID, Leaf, Range. */
#define SMMU_CFGI0_SSID	    SMMU_GENMASK(31, 12)
#define SMMU_CFGI0_SID	    SMMU_GENMASK(63, 32)
#define SMMU_CFGI1_LEAF	    SMMU_BIT(0)
#define SMMU_CFGI1_RANGE    SMMU_GENMASK(4, 0)
#define SMMU_CFGI_ALL_RANGE 31
/* 4.4 TLBI_NH_*: ASID and VMID. */
#define SMMU_TLBI0_VMID SMMU_GENMASK(47, 32)
#define SMMU_TLBI0_ASID SMMU_GENMASK(63, 48)
/* 4.5.1 ATC_INV */
#define SMMU_ATC0_GLOBAL SMMU_BIT(9)
#define SMMU_ATC0_SSV	 SMMU_BIT(11)
#define SMMU_ATC0_SSID	 SMMU_GENMASK(31, 12)
#define SMMU_ATC0_SID	 SMMU_GENMASK(63, 32)
#define SMMU_ATC1_SIZE	 SMMU_GENMASK(5, 0)
#define SMMU_ATC1_ADDR	 SMMU_GENMASK(63, 12)
/* 4.7.3 CMD_SYNC: completion signal; none means: poll CMDQ_CONS. */
#define SMMU_SYNC0_CS	  SMMU_GENMASK(13, 12)
#define SMMU_SYNC_CS_NONE 0x0
#define SMMU_SYNC_CS_IRQ  0x1
#define SMMU_SYNC_CS_SEV  0x2

/*
 * ---------------------------------------------------------------------
 * 7.3 Event records: 32 bytes.
 * ---------------------------------------------------------------------
 */
#define SMMU_EVT_WORDS 4
#define SMMU_EVT_BYTES 32
#define SMMU_EVT0_ID   SMMU_GENMASK(7, 0)
#define SMMU_EVT0_SSV  SMMU_BIT(11)
#define SMMU_EVT0_SSID SMMU_GENMASK(31, 12)
#define SMMU_EVT0_SID  SMMU_GENMASK(63, 32)
/* 7.3.12 onwards (F_TRANSLATION, F_ADDR_SIZE, F_ACCESS, F_PERMISSION) */
#define SMMU_EVT1_PNU	SMMU_BIT(32)
#define SMMU_EVT1_IND	SMMU_BIT(33)
#define SMMU_EVT1_RNW	SMMU_BIT(35) /* 1: the access was a read */
#define SMMU_EVT1_S2	SMMU_BIT(39)
#define SMMU_EVT1_CLASS SMMU_GENMASK(41, 40)
#define SMMU_EVT2_ADDR	SMMU_GENMASK(63, 0) /* InputAddr */

/* 7.3 event numbers */
#define SMMU_EVT_F_UUT		    0x01
#define SMMU_EVT_C_BAD_STREAMID	    0x02
#define SMMU_EVT_F_STE_FETCH	    0x03
#define SMMU_EVT_C_BAD_STE	    0x04
#define SMMU_EVT_F_BAD_ATS_TREQ	    0x05
#define SMMU_EVT_F_STREAM_DISABLED  0x06
#define SMMU_EVT_F_TRANSL_FORBIDDEN 0x07
#define SMMU_EVT_C_BAD_SUBSTREAMID  0x08
#define SMMU_EVT_F_CD_FETCH	    0x09
#define SMMU_EVT_C_BAD_CD	    0x0A
#define SMMU_EVT_F_WALK_EABT	    0x0B
#define SMMU_EVT_F_TRANSLATION	    0x10
#define SMMU_EVT_F_ADDR_SIZE	    0x11
#define SMMU_EVT_F_ACCESS	    0x12
#define SMMU_EVT_F_PERMISSION	    0x13
#define SMMU_EVT_F_TLB_CONFLICT	    0x20
#define SMMU_EVT_F_CFG_CONFLICT	    0x21

#endif
