/* SPDX-License-Identifier: MIT */
/*
 * x86_64 guest entry.  The hypervisor enters _start in ring 3 with rdi =
 * the start information and rsp = a 16-byte aligned stack (see
 * include/public/paddock/start_info.h).  Nothing is assumed about .bss:
 * it is cleared here before any C code can read it.
 */
	.section .text.start, "ax"
	.globl _start
	.type _start, @function
_start:
	/* rdi is needed after rep stosb, which consumes rdi. */
	movq	%rdi, %r12

	cld
	leaq	__bss_start(%rip), %rdi
	leaq	__bss_end(%rip), %rcx
	subq	%rdi, %rcx
	xorl	%eax, %eax
	rep stosb

	/* A zero frame pointer ends backtraces here. */
	xorl	%ebp, %ebp
	movq	%r12, %rdi
	/* rsp is 16-byte aligned; the call leaves it as the ABI expects. */
	call	paddock_guest_start
	/* paddock_guest_start does not return; trap if it ever does. */
	ud2
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
