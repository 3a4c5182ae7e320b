/* SPDX-License-Identifier: MIT */
/*
 * The EFI application's entry and its way out of the firmware's world.
 *
 * UEFI 2.10, 2.3.6 "AArch64 Platforms": the firmware calls the entry
 * point (the PE header's AddressOfEntryPoint) with x0 = the image handle,
 * x1 = the system table and x30 = where to return, at EL2 or EL1, with
 * the MMU on (an identity map), caches on and a stack of at least
 * 128 KiB.  The image sits where the firmware chose; its relocations are
 * applied here before any C (efi_stub.c) runs.
 */
/* D13.2.113 SCTLR_EL2: the MMU and the data cache. */
#define SCTLR_M (1 << 0)
#define SCTLR_C (1 << 2)

	.section .text.efi, "ax"
	.globl	efi_entry
efi_entry:
	stp	x29, x30, [sp, #-32]!
	mov	x29, sp
	stp	x19, x20, [sp, #16]
	mov	x19, x0
	mov	x20, x1
	bl	aarch64_relocate	/* boot.S; x1-x6 only */
	mov	x0, x19
	mov	x1, x20
	bl	efi_main
	/* A refusal: back to the firmware with efi_main's status in x0. */
	ldp	x19, x20, [sp, #16]
	ldp	x29, x30, [sp], #32
	ret

/*
 * efi_enter_image(image, image_bytes, dtb, dtb_bytes), after
 * ExitBootServices(): leaves the CPU the way the Image entry expects it
 * (Linux Documentation/arm64/booting.rst, "Call the kernel image"):
 * interrupts masked, MMU and D-cache off, the image and the tree cleaned to
 * the point of coherency, no stale instructions.  The cleaning comes after
 * the D-cache is off (the MMU off, no access allocates a line any more), so
 * no line of the image can come back between its clean and the Image
 * entry; maintenance by VA acts on the caches whether or not they are
 * enabled (Arm ARM, "Data and unified caches": cache maintenance
 * instructions).  Runs from where the firmware loaded the image (identity
 * mapped, so the PC stays valid with the MMU off); no stack.
 */
	.globl	efi_enter_image
efi_enter_image:
	msr	daifset, #0xf
	mrs	x4, sctlr_el2
	bic	x4, x4, #SCTLR_M
	bic	x4, x4, #SCTLR_C
	dsb	sy
	msr	sctlr_el2, x4
	isb
	/* D13.2.34 CTR_EL0.DminLine: log2 of the smallest D-cache line in
	 * words. */
	mrs	x4, ctr_el0
	ubfx	x4, x4, #16, #4
	mov	x5, #4
	lsl	x5, x5, x4
	mov	x6, x0
	add	x7, x0, x1
	bl	clean_range
	mov	x6, x2
	add	x7, x2, x3
	bl	clean_range
	dsb	sy
	ic	iallu
	dsb	sy
	isb
	mov	x4, x0
	mov	x0, x2			/* the device tree, as booting.rst says */
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	br	x4

/* DC CIVAC over [x6, x7), line size x5; clobbers x6 and x8. */
clean_range:
	sub	x8, x5, #1
	bic	x6, x6, x8
1:	cmp	x6, x7
	b.hs	2f
	dc	civac, x6
	add	x6, x6, x5
	b	1b
2:	ret

	.section .note.GNU-stack, "", %progbits
