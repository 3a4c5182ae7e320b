/* SPDX-License-Identifier: MIT */
/*
 * Every way into the hypervisor once it runs: the 256 IDT vectors and the
 * `syscall` instruction.  All build a struct trap_frame (asm/trap.h) on
 * the hypervisor stack, call x86_trap(frame), and leave through iretq with
 * whatever frame x86_trap left there (the scheduler may have replaced it
 * with another domain's registers).
 *
 * The hypervisor itself runs with interrupts off: interrupt gates clear
 * IF, and MSR_FMASK clears it on syscall.  So there is one stack and no
 * nesting, except for an exception inside the hypervisor, which only
 * prints and halts.
 */
#include <asm/layout.h>

	.text
	.balign 16
	.globl x86_vector_stubs
/*
 * One 16-byte stub per vector (VECTOR_STUB_SIZE in asm/trap.h): push a
 * zero where the CPU pushes no error code (SDM Vol. 3A, Table 6-1: 8,
 * 10-14, 17, 21, 29 and 30 push one), push the vector, go to the common
 * path.
 */
x86_vector_stubs:
	.set vec, 0
	.rept 256
	.balign 16
	.if (vec == 8) || ((vec >= 10) && (vec <= 14)) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
	.else
	pushq $0
	.endif
	pushq $vec
	jmp trap_common
	.set vec, vec + 1
	.endr

.macro push_gprs
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

trap_common:
	push_gprs
	cld
	mov %rsp, %rdi
	call x86_trap
	jmp trap_return

/*
 * syscall (SDM Vol. 2B, SYSCALL): RCX = guest rip, R11 = guest rflags,
 * RSP still the guest's.  Switch to the hypervisor stack (the one the TSS
 * names for ring-3 interrupts) and build the frame an interrupt would.
 */
.macro syscall_frame vector
	mov %rsp, syscall_guest_rsp(%rip)
	mov x86_trap_stack_top(%rip), %rsp
	pushq $SEL_USER_DS
	pushq syscall_guest_rsp(%rip)
	pushq %r11
	pushq $SEL_USER_CS
	pushq %rcx
	pushq $0
	pushq $\vector
	push_gprs
.endm

/*
 * syscall from compatibility mode (MSR_CSTAR; AMD64 APM Vol. 2, 6.1.1).
 * No 32-bit code segment exists, so this should be unreachable; if it is
 * reached, the frame says so and x86_trap() treats it as a guest fault.
 */
	.globl x86_compat_syscall_entry
x86_compat_syscall_entry:
	syscall_frame VEC_COMPAT_SYSCALL
	cld
	mov %rsp, %rdi
	call x86_trap
	jmp trap_return

	.globl x86_syscall_entry
x86_syscall_entry:
	syscall_frame VEC_SYSCALL
	cld
	mov %rsp, %rdi
	call x86_trap
	/* fall through */
trap_return:
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	add $16, %rsp /* vector, error */
	iretq

/* x86_enter_frame(frame): first entry into a domain, from boot. */
	.globl x86_enter_frame
x86_enter_frame:
	mov %rdi, %rsp
	jmp trap_return

	.bss
	.balign 8
syscall_guest_rsp:
	.quad 0
