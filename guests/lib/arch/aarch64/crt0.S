/* SPDX-License-Identifier: MIT */
/*
 * aarch64 guest entry (provisional until the aarch64 hypervisor fixes the
 * contract; docs/guests.md): entered at EL1 with the MMU and caches off,
 * x0 = the start information, sp = a 16-byte aligned stack below it.
 *
 * Before any C runs, two things the compiler and newlib take for granted:
 *   - FP/SIMD must not trap (newlib's string routines use SIMD registers):
 *     CPACR_EL1.FPEN = 0b11 (Arm ARM D13.2.30).
 *   - Unaligned accesses must work, which they do not on Device memory,
 *     the type of every access with the MMU off: an identity map of the
 *     low 512 GiB as Normal write-back memory with 1 GiB blocks
 *     (Arm ARM D8.3, VMSAv8-64 translation table format) turns it on.
 */
#define CPACR_FPEN (3 << 20)
#define MAIR_NORMAL_WB 0xff /* Attr0: Normal, Inner/Outer WB RW-allocate */
/* 1 GiB block: valid block (0b01), AttrIndx 0, AP EL1 RW, SH inner (0b11),
 * AF set. */
#define BLOCK_ATTRS 0x701
/* TCR_EL1: T0SZ 25 (39-bit VA, walk starts at level 1), IRGN0/ORGN0 WB
 * WA, SH0 inner, TG0 4 KiB, EPD1 (no TTBR1 walks).  IPS is set from
 * ID_AA64MMFR0_EL1.PARange below. */
#define TCR_BASE ((25 << 0) | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23))
#define SCTLR_M (1 << 0)
#define SCTLR_A (1 << 1)
#define SCTLR_C (1 << 2)
#define SCTLR_I (1 << 12)

	.section .text.start, "ax"
	.globl _start
	.type _start, %function
_start:
	mov	x19, x0

	mrs	x1, cpacr_el1
	orr	x1, x1, #CPACR_FPEN
	msr	cpacr_el1, x1
	isb

	/* .bss is 16-byte aligned and sized by the linker script. */
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:
	/* Identity map: entry i maps [i GiB, i + 1 GiB). */
	adrp	x3, paddock_l1_table
	add	x3, x3, :lo12:paddock_l1_table
	mov	x4, #0
	mov	x5, #BLOCK_ATTRS
3:	orr	x6, x5, x4, lsl #30
	str	x6, [x3, x4, lsl #3]
	add	x4, x4, #1
	cmp	x4, #512
	b.lo	3b

	mov	x1, #MAIR_NORMAL_WB
	msr	mair_el1, x1
	ldr	x1, =TCR_BASE
	mrs	x2, id_aa64mmfr0_el1
	and	x2, x2, #7
	orr	x1, x1, x2, lsl #32
	msr	tcr_el1, x1
	msr	ttbr0_el1, x3
	dsb	ish
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	mrs	x1, sctlr_el1
	/* One bit per orr: 0b101 is not an encodable logical immediate. */
	orr	x1, x1, #SCTLR_M
	orr	x1, x1, #SCTLR_C
	orr	x1, x1, #SCTLR_I
	bic	x1, x1, #SCTLR_A
	msr	sctlr_el1, x1
	isb

	mov	x29, #0
	mov	x30, #0
	mov	x0, x19
	bl	paddock_guest_start
	/* paddock_guest_start does not return. */
	udf	#0
	.size _start, . - _start

	.section .bss.paddock_l1_table, "aw", %nobits
	.balign 4096
	.globl paddock_l1_table
paddock_l1_table:
	.space 4096

	.section .note.GNU-stack, "", %progbits
