/* SPDX-License-Identifier: MIT */
/*
 * System registers of the EL2 hypervisor and the bits Paddock sets in
 * them.  Every value cites the Arm ARM (DDI 0487 J.a) section that
 * defines the register; names follow the manual's fields.
 */
#ifndef ASM_SYSREG_H
#define ASM_SYSREG_H

#include <paddock/types.h>

#define read_sysreg(name)                                                      \
	({                                                                     \
		uint64_t v_;                                                   \
		__asm__ volatile("mrs %0, " #name : "=r"(v_));                 \
		v_;                                                            \
	})
#define write_sysreg(name, v)                                                  \
	__asm__ volatile("msr " #name ", %0"                                   \
			 :                                                     \
			 : "r"((uint64_t)(v))                                  \
			 : "memor"                                             \
			   "y")

static inline void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}

static inline void dsb_sy(void)
{
	__asm__ volatile("dsb sy" ::: "memory");
}

static inline void dsb_ish(void)
{
	__asm__ volatile("dsb ish" ::: "memory");
}

/* D13.2.48 HCR_EL2: how a domain at EL1 is confined. */
#define HCR_VM	   (1ull << 0)	/* stage-2 translation on */
#define HCR_SWIO   (1ull << 1)	/* set/way invalidate is clean+invalidate */
#define HCR_FMO	   (1ull << 3)	/* physical FIQ to EL2 */
#define HCR_IMO	   (1ull << 4)	/* physical IRQ to EL2; EL1 sees ICV_* */
#define HCR_AMO	   (1ull << 5)	/* SError to EL2 */
#define HCR_FB	   (1ull << 9)	/* broadcast EL1 TLB/cache maintenance */
#define HCR_BSU_IS (1ull << 10) /* barriers upgraded to inner shareable */
#define HCR_TWI	   (1ull << 13) /* WFI traps (a yield) */
#define HCR_TWE	   (1ull << 14) /* WFE traps (a yield) */
#define HCR_TID0   (1ull << 15) /* AArch32 ID registers */
#define HCR_TSC	   (1ull << 19) /* SMC traps: no domain reaches firmware */
#define HCR_TIDCP  (1ull << 20) /* implementation-defined registers trap */
#define HCR_TACR   (1ull << 21) /* ACTLR_EL1 traps */
#define HCR_TSW	   (1ull << 22) /* set/way cache maintenance traps */
#define HCR_RW	   (1ull << 31) /* EL1 is AArch64 */
#define HCR_TLOR   (1ull << 35) /* LORegions registers trap */
#define HCR_TERR   (1ull << 36) /* RAS error records trap */
#define HCR_TEA	   (1ull << 37) /* external aborts to EL2 */
/* APK (40) and API (41) stay 0: pointer-authentication keys and
 * instructions trap, because the keys are not switched between domains. */

/* D13.2.113 SCTLR_EL2 (HCR_EL2.E2H == 0). */
#define SCTLR_EL2_RES1 0x30c50830ull
#define SCTLR_M	       (1ull << 0)
#define SCTLR_A	       (1ull << 1)
#define SCTLR_C	       (1ull << 2)
#define SCTLR_SA       (1ull << 3)
#define SCTLR_I	       (1ull << 12)
#define SCTLR_WXN      (1ull << 19)
/* D13.2.112 SCTLR_EL1 as a domain first sees it: RES1 bits, MMU off. */
#define SCTLR_EL1_RES1 0x30d00800ull

/* D13.2.31 CPTR_EL2 (E2H == 0): RES1 bits 13:12 and 9:0, so TZ (8) and
 * TSM (12) trap SVE and SME (their state is not switched); TFP (10) is 0:
 * FP/SIMD is switched with the domain (sched.c). */
#define CPTR_EL2_DEFAULT 0x33ffull
#define CPTR_TTA	 (1ull << 20)

/* D13.2.79 MDCR_EL2: debug and performance monitors trap to EL2. */
#define MDCR_TPMCR (1ull << 5)
#define MDCR_TPM   (1ull << 6)
#define MDCR_TDA   (1ull << 9)
#define MDCR_TDOSA (1ull << 10)
#define MDCR_TDRA  (1ull << 11)

/* D13.11.2 CNTHCTL_EL2: EL1 may read the counter, not use the physical
 * timer (EL1PCEN clear: CNTP_* accesses trap). */
#define CNTHCTL_EL1PCTEN (1ull << 0)

/* D13.2.37 ESR_ELx: exception class (bits 31:26) and syndrome. */
#define ESR_EC(esr)  (((esr) >> 26) & 0x3f)
#define ESR_ISS(esr) ((esr)&0x1ffffff)
#define EC_UNKNOWN   0x00
#define EC_WFX	     0x01
#define EC_FP	     0x07
#define EC_ILLEGAL   0x0e
#define EC_SVC64     0x15
#define EC_HVC64     0x16
#define EC_SMC64     0x17
#define EC_SYSREG    0x18
#define EC_SVE	     0x19
#define EC_PAC	     0x09
#define EC_IABT_LOW  0x20
#define EC_IABT_CUR  0x21
#define EC_PC_ALIGN  0x22
#define EC_DABT_LOW  0x24
#define EC_DABT_CUR  0x25
#define EC_SP_ALIGN  0x26
#define EC_SERROR    0x2f
#define EC_BRK	     0x3c
/* ISS of a data or instruction abort: fault status code (bits 5:0). */
#define ISS_FSC(iss) ((iss)&0x3f)
#define ISS_DABT_WNR (1u << 6)

/* C5.2.18 SPSR_EL2: where an eret goes. */
#define SPSR_EL1H 0x5ull
#define SPSR_DAIF (0xfull << 6)
#define SPSR_MODE 0x1full
#define SPSR_IL	  (1ull << 20)

/* D13.2.40 ID_AA64MMFR0_EL1.PARange: physical address size. */
static inline unsigned pa_range_bits(void)
{
	static const unsigned bits[] = {32, 36, 40, 42, 44, 48, 52};
	unsigned r = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	return r < sizeof(bits) / sizeof(bits[0]) ? bits[r] : 48;
}

static inline unsigned pa_range_field(void)
{
	unsigned r = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	return r > 5 ? 5 : r; /* 48 bits: what 4-level tables reach */
}

#endif
