/* SPDX-License-Identifier: MIT */
/*
 * The image's first bytes and the first instructions.
 *
 * The arm64 Image header (Linux Documentation/arm64/booting.rst, "Call
 * the kernel image") makes this one file bootable by every loader that
 * boots Linux or Xen: QEMU's -kernel, U-Boot's booti, GRUB.  They enter
 * _start at EL2 with the MMU and D-cache off and x0 = the physical
 * address of the device tree.  Flags bit 3 says the image may sit at any
 * 2 MiB-aligned address: it is linked at 0 as a position-independent
 * executable and applies its own R_AARCH64_RELATIVE relocations first
 * (ELF for the Arm 64-bit Architecture, 5.7.11), before any C runs.
 */
#define CURRENT_EL_EL2 (2 << 2)
#define R_AARCH64_RELATIVE 1027
/*
 * The top of each EL2 stack is where a domain's trap frame lives once the
 * CPU runs domains (arch_start_first builds the first one there): C code
 * starts below it, so that writing the first frame cannot overwrite the
 * return addresses of the functions that write it.  >= sizeof(struct
 * trap_frame), 16-byte aligned.
 */
#define STACK_FRAME_RESERVE 0x200
/* SCTLR_EL2 RES1 bits | SA: MMU, caches and alignment checks off. */
#define SCTLR_EL2_BOOT 0x30c50838

	.section .text.head, "ax"
	.globl _start
_start:
	b	aarch64_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	.quad	__image_size		/* image_size, .bss included */
	.quad	0xa			/* little endian, 4 KiB pages, anywhere */
	.quad	0, 0, 0			/* res2-res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5: no PE/COFF header */

aarch64_entry:
	mov	x19, x0			/* the device tree */
	msr	daifset, #0xf
	mrs	x1, CurrentEL
	cmp	x1, #CURRENT_EL_EL2
	b.ne	not_el2
	ldr	x1, =SCTLR_EL2_BOOT
	msr	sctlr_el2, x1
	isb

	/* x20 = where we run; the link address is 0. */
	adrp	x20, _start
	add	x20, x20, :lo12:_start
	adrp	x1, __rela_start
	add	x1, x1, :lo12:__rela_start
	adrp	x2, __rela_end
	add	x2, x2, :lo12:__rela_end
1:	cmp	x1, x2
	b.hs	2f
	ldp	x3, x4, [x1], #16	/* r_offset, r_info */
	ldr	x5, [x1], #8		/* r_addend */
	cmp	x4, #R_AARCH64_RELATIVE
	b.ne	1b			/* the linker emits no other kind */
	add	x5, x5, x20
	str	x5, [x20, x3]
	b	1b
2:
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
3:	cmp	x1, x2
	b.hs	4f
	stp	xzr, xzr, [x1], #16
	b	3b
4:
	adrp	x1, aarch64_stack_top
	add	x1, x1, :lo12:aarch64_stack_top
	sub	sp, x1, #STACK_FRAME_RESERVE
	adrp	x1, aarch64_el2_vectors
	add	x1, x1, :lo12:aarch64_el2_vectors
	msr	vbar_el2, x1
	isb
	mov	x0, x19
	bl	aarch64_boot
	b	.

/*
 * A secondary CPU, from PSCI CPU_ON (DEN0022 D, 5.1.4 and 6.4): at EL2,
 * MMU and caches off, x0 = its struct a64_cpu (asm/cpu.h), which the boot
 * CPU cleaned to the point of coherency.  It takes the boot CPU's EL2
 * translation regime (the identity map, shared), then its own stack,
 * TPIDR_EL2 and vectors, and goes on in C with the MMU on.
 */
	.globl aarch64_secondary_entry
aarch64_secondary_entry:
	msr	daifset, #0xf
	ldr	x1, =SCTLR_EL2_BOOT
	msr	sctlr_el2, x1
	isb
	ldr	x1, [x0, #16]
	msr	mair_el2, x1
	ldr	x1, [x0, #24]
	msr	tcr_el2, x1
	ldr	x1, [x0, #32]
	msr	ttbr0_el2, x1
	isb
	tlbi	alle2
	dsb	nsh
	ic	iallu
	dsb	nsh
	isb
	ldr	x1, [x0, #40]
	msr	sctlr_el2, x1
	isb
	ldr	x1, [x0, #0]
	sub	sp, x1, #STACK_FRAME_RESERVE
	ldr	x1, [x0, #8]
	msr	tpidr_el2, x1
	adrp	x1, aarch64_el2_vectors
	add	x1, x1, :lo12:aarch64_el2_vectors
	msr	vbar_el2, x1
	isb
	bl	aarch64_secondary_boot
	b	.

	/* Not at EL2: nothing Paddock can do (no console is known yet). */
not_el2:
	wfe
	b	not_el2

	.section .bss.stack, "aw", %nobits
	.balign 16
	.globl aarch64_stack
aarch64_stack:
	.space	32768
	.globl aarch64_stack_top
aarch64_stack_top:

	.section .note.GNU-stack, "", %progbits
