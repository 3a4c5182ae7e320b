/* SPDX-License-Identifier: MIT */
/*
 * Paddock guest ABI, x86_64: the hypercall trap.
 *
 * A paravirtual guest runs in ring 3 and enters the hypervisor with
 * `syscall`, as Xen PV guests do: call number in rax, arguments in rdi,
 * rsi, rdx, r10 and r8, result in rax.  The CPU itself overwrites rcx
 * (return rip) and r11 (rflags), so both are clobbered; "memory" because
 * the hypervisor reads and writes guest buffers named by the arguments.
 * The argument registers are in-out operands because the hypervisor does
 * not promise to preserve them.
 *
 * MIT licensed so that guests of any licence can include it.
 */
#ifndef PADDOCK_PUBLIC_ARCH_X86_64_HYPERCALL_H
#define PADDOCK_PUBLIC_ARCH_X86_64_HYPERCALL_H

static inline long _hypercall0(unsigned long op)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(op)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long _hypercall1(unsigned long op, unsigned long a1)
{
	long ret;
	register unsigned long r_a1 __asm__("rdi") = a1;

	__asm__ volatile("syscall"
			 : "=a"(ret), "+r"(r_a1)
			 : "a"(op)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long _hypercall2(unsigned long op, unsigned long a1,
			       unsigned long a2)
{
	long ret;
	register unsigned long r_a1 __asm__("rdi") = a1;
	register unsigned long r_a2 __asm__("rsi") = a2;

	__asm__ volatile("syscall"
			 : "=a"(ret), "+r"(r_a1), "+r"(r_a2)
			 : "a"(op)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long _hypercall3(unsigned long op, unsigned long a1,
			       unsigned long a2, unsigned long a3)
{
	long ret;
	register unsigned long r_a1 __asm__("rdi") = a1;
	register unsigned long r_a2 __asm__("rsi") = a2;
	register unsigned long r_a3 __asm__("rdx") = a3;

	__asm__ volatile("syscall"
			 : "=a"(ret), "+r"(r_a1), "+r"(r_a2), "+r"(r_a3)
			 : "a"(op)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long _hypercall4(unsigned long op, unsigned long a1,
			       unsigned long a2, unsigned long a3,
			       unsigned long a4)
{
	long ret;
	register unsigned long r_a1 __asm__("rdi") = a1;
	register unsigned long r_a2 __asm__("rsi") = a2;
	register unsigned long r_a3 __asm__("rdx") = a3;
	register unsigned long r_a4 __asm__("r10") = a4;

	__asm__ volatile("syscall"
			 : "=a"(ret), "+r"(r_a1), "+r"(r_a2), "+r"(r_a3),
			   "+r"(r_a4)
			 : "a"(op)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long _hypercall5(unsigned long op, unsigned long a1,
			       unsigned long a2, unsigned long a3,
			       unsigned long a4, unsigned long a5)
{
	long ret;
	register unsigned long r_a1 __asm__("rdi") = a1;
	register unsigned long r_a2 __asm__("rsi") = a2;
	register unsigned long r_a3 __asm__("rdx") = a3;
	register unsigned long r_a4 __asm__("r10") = a4;
	register unsigned long r_a5 __asm__("r8") = a5;

	__asm__ volatile("syscall"
			 : "=a"(ret), "+r"(r_a1), "+r"(r_a2), "+r"(r_a3),
			   "+r"(r_a4), "+r"(r_a5)
			 : "a"(op)
			 : "rcx", "r11", "memory");
	return ret;
}

#endif
