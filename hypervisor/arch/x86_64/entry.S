/* SPDX-License-Identifier: MIT */
/*
 * Every way into the hypervisor once it runs: the 256 IDT vectors and the
 * `syscall` instruction.  All build a struct trap_frame (asm/trap.h) on
 * the hypervisor stack, call x86_trap(frame), and leave through iretq with
 * whatever frame x86_trap left there (the scheduler may have replaced it
 * with another domain's registers).
 *
 * The hypervisor itself runs with interrupts off: interrupt gates clear
 * IF, and MSR_FMASK clears it on syscall.  So each CPU has one stack (the
 * top of its per-CPU block, asm/cpu.h) and no nesting, except for an NMI
 * (its own IST stack; counted and ignored) and an exception inside the
 * hypervisor, which only prints and halts.  An
 * external interrupt therefore only ever interrupts a domain, with any
 * vector a device chose: see the stubs below and docs/x86.md, "External
 * interrupts and exceptions".
 */
#include <asm/layout.h>

	.text
	.balign VECTOR_STUB_SIZE
	.globl x86_vector_stubs
/*
 * One VECTOR_STUB_SIZE stub per vector: make sure the frame has an error
 * code, push the vector, go to the common path.
 *
 * The CPU pushes an error code only for exceptions 8, 10-14, 17, 21, 29
 * and 30 (SDM Vol. 3A, 6.13 and Table 6-1), never for an external
 * interrupt, whatever its vector (6.3.1: a vector can be that of an
 * exception and still arrive as an interrupt; the local APIC accepts
 * 16-255, and QEMU's 0-15 too).  A device that can write to the interrupt
 * window picks the vector, so the stubs of those ten vectors cannot know
 * which they get: they look.  In 64-bit mode the CPU aligns RSP to 16
 * bytes before it pushes the frame, on every stack (the one it was on,
 * TSS.RSP0, or an IST; 6.14.2), then pushes SS, RSP, RFLAGS, CS, RIP
 * (40 bytes) and the error code if any (8 more).  So at the stub's first
 * instruction RSP is 8 modulo 16 exactly when no error code was pushed,
 * and the stub pushes a zero in its place.  The frame is then the same
 * for both, and x86_trap() asks the local APIC which it was.  Every other
 * vector never gets an error code and always pushes the zero.
 */
x86_vector_stubs:
	.set vec, 0
	.rept 256
	.if (vec == 8) || ((vec >= 10) && (vec <= 14)) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
	testb $8, %spl
	jz 1f
	pushq $0 /* an interrupt on an exception's vector: no error code */
1:
	.else
	pushq $0
	.endif
	pushq $vec
	jmp trap_common
	/* Pads to the stub size; the assembler refuses a stub that outgrew
	 * it (.org cannot move backwards), since the IDT assumes the size. */
	.org x86_vector_stubs + (vec + 1) * VECTOR_STUB_SIZE, 0xcc
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

/* Pops the frame (asm/trap.h) and returns into it. */
.macro leave_to_frame
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
.endm

trap_common:
	push_gprs
	cld
	mov %rsp, %rdi
	call x86_trap
	jmp trap_return

/*
 * syscall (SDM Vol. 2B, SYSCALL): RCX = guest rip, R11 = guest rflags,
 * RSP still the guest's.  Switch to this CPU's hypervisor stack (the one
 * its TSS names for ring-3 interrupts, the top of its block: asm/cpu.h)
 * and build the frame an interrupt would.  Nothing tells a CPU which it
 * is before it has a stack, so each CPU has its own entry stub (its
 * LSTAR, desc.c) with its block's addresses built in: the stub of CPU n
 * saves the domain's RSP in block n's struct x86_cpu and loads block n's
 * top.  No GS base, so nothing here depends on what a domain loaded.
 */
.macro syscall_frame vector, cpu
	mov %rsp, x86_cpu_blocks + \cpu * CPU_BLOCK_SIZE + CPU_SYSCALL_RSP_OFFSET(%rip)
	lea x86_cpu_blocks + (\cpu + 1) * CPU_BLOCK_SIZE(%rip), %rsp
	pushq $SEL_USER_DS
	pushq x86_cpu_blocks + \cpu * CPU_BLOCK_SIZE + CPU_SYSCALL_RSP_OFFSET(%rip)
	pushq %r11
	pushq $SEL_USER_CS
	pushq %rcx
	pushq $0
	pushq $\vector
	push_gprs
.endm

/* One SYSCALL_STUB_SIZE stub per CPU, from `first` (x86_syscall_stubs or
 * x86_compat_syscall_stubs); the assembler refuses a stub that outgrew
 * its size, as for the vector stubs. */
.macro syscall_stubs first, vector, handler
	.set cpu, 0
	.rept X86_MAX_CPUS
	syscall_frame \vector, cpu
	cld
	mov %rsp, %rdi
	call \handler
	leave_to_frame /* inline: the hypercall path saves a jump */
	.org \first + (cpu + 1) * SYSCALL_STUB_SIZE, 0xcc
	.set cpu, cpu + 1
	.endr
.endm

	.balign SYSCALL_STUB_SIZE
	.globl x86_syscall_stubs
x86_syscall_stubs:
	syscall_stubs x86_syscall_stubs, VEC_SYSCALL, x86_syscall_trap

/*
 * syscall from compatibility mode (MSR_CSTAR; AMD64 APM Vol. 2, 6.1.1).
 * No 32-bit code segment exists, so this should be unreachable; if it is
 * reached, the frame says so and x86_trap() treats it as a guest fault.
 */
	.globl x86_compat_syscall_stubs
x86_compat_syscall_stubs:
	syscall_stubs x86_compat_syscall_stubs, VEC_COMPAT_SYSCALL, x86_trap

trap_return:
	leave_to_frame

/*
 * x86_start_on_frame(frame): a CPU's first entry into a domain.  `frame`
 * is at the top of the CPU's trap stack, which may be the stack it runs
 * on: move below it first, so that sched_load_next() fills it without
 * writing over its own callers (RSP = frame is 16-byte aligned: the
 * frame is 176 bytes under an aligned top).  RSP is the frame again when
 * it returns.
 */
	.globl x86_start_on_frame
x86_start_on_frame:
	mov %rdi, %rsp
	call sched_load_next
	jmp trap_return
