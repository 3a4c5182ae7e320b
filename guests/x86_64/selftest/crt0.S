/* SPDX-License-Identifier: MIT */
/* Entry per start_info.h: rdi = start info, rsp = 16-byte aligned. */
	.section .text.start, "ax"
	.globl _start
_start:
	xor %ebp, %ebp
	call selftest_main
	ud2 /* selftest_main never returns */
