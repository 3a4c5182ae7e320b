/* SPDX-License-Identifier: MIT */
/*
 * The EL2 exception vectors (Arm ARM D1.10.2, "Exception vectors": 16
 * entries of 0x80 bytes, the table 2 KiB aligned) and the way back out.
 *
 * The hypervisor never blocks and runs with every exception masked: an
 * entry from a domain finds the EL2 stack empty, saves the domain's
 * general registers, ELR_EL2 and SPSR_EL2 there (struct trap_frame), calls
 * aarch64_trap(), and returns with eret into whatever the frame then
 * holds, which is the next domain's registers when the scheduler switched.
 */
#define FRAME_SIZE (34 * 8)

.macro save_frame kind
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x0, elr_el2
	mrs	x1, spsr_el2
	stp	x30, x0, [sp, #240]
	str	x1, [sp, #256]
	mov	x0, sp
	mov	x1, #\kind
	bl	aarch64_trap
	b	leave_frame
.endm

.macro vector kind
	.balign 0x80
	save_frame \kind
.endm

	.section .text.vectors, "ax"
	.balign 2048
	.globl aarch64_el2_vectors
aarch64_el2_vectors:
	/* Current EL with SP_EL0: never used, so a bug. */
	vector 0
	vector 1
	vector 1
	vector 3
	/* Current EL with SP_EL2. */
	vector 0
	vector 1
	vector 1
	vector 3
	/* Lower EL, AArch64: the domains. */
	vector 4
	vector 5
	vector 6
	vector 7
	/* Lower EL, AArch32: HCR_EL2.RW makes EL1 AArch64, so never. */
	vector 8
	vector 8
	vector 8
	vector 8

	.text
	/* x0 = a frame at the bottom of the EL2 stack's used part. */
	.globl aarch64_enter_frame
aarch64_enter_frame:
	mov	sp, x0
leave_frame:
	ldp	x30, x0, [sp, #240]
	ldr	x1, [sp, #256]
	msr	elr_el2, x0
	msr	spsr_el2, x1
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	add	sp, sp, #FRAME_SIZE
	eret
	/* No speculation past the eret (Spectre-BHB style hardening). */
	dsb	nsh
	isb

	/* struct fpsimd_state: q0-q31, then FPSR, FPCR. */
	.globl fpsimd_save
fpsimd_save:
	stp	q0, q1, [x0, #0]
	stp	q2, q3, [x0, #32]
	stp	q4, q5, [x0, #64]
	stp	q6, q7, [x0, #96]
	stp	q8, q9, [x0, #128]
	stp	q10, q11, [x0, #160]
	stp	q12, q13, [x0, #192]
	stp	q14, q15, [x0, #224]
	stp	q16, q17, [x0, #256]
	stp	q18, q19, [x0, #288]
	stp	q20, q21, [x0, #320]
	stp	q22, q23, [x0, #352]
	stp	q24, q25, [x0, #384]
	stp	q26, q27, [x0, #416]
	stp	q28, q29, [x0, #448]
	stp	q30, q31, [x0, #480]
	mrs	x1, fpsr
	mrs	x2, fpcr
	add	x0, x0, #512
	stp	x1, x2, [x0]
	ret

	.globl fpsimd_restore
fpsimd_restore:
	ldp	q0, q1, [x0, #0]
	ldp	q2, q3, [x0, #32]
	ldp	q4, q5, [x0, #64]
	ldp	q6, q7, [x0, #96]
	ldp	q8, q9, [x0, #128]
	ldp	q10, q11, [x0, #160]
	ldp	q12, q13, [x0, #192]
	ldp	q14, q15, [x0, #224]
	ldp	q16, q17, [x0, #256]
	ldp	q18, q19, [x0, #288]
	ldp	q20, q21, [x0, #320]
	ldp	q22, q23, [x0, #352]
	ldp	q24, q25, [x0, #384]
	ldp	q26, q27, [x0, #416]
	ldp	q28, q29, [x0, #448]
	ldp	q30, q31, [x0, #480]
	add	x0, x0, #512
	ldp	x1, x2, [x0]
	msr	fpsr, x1
	msr	fpcr, x2
	ret

	.section .note.GNU-stack, "", %progbits
