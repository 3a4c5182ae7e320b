/* SPDX-License-Identifier: MIT */
/*
 * Paddock guest ABI, aarch64: the hypercall trap.
 *
 * A guest runs at EL1 and enters the hypervisor with `hvc #0xEA1` (the
 * immediate Xen reserves for hypercalls, XEN_HYPERCALL_TAG): call number in
 * x16, arguments in x0..x4, result in x0.  The argument registers and x16
 * are in-out operands because the hypervisor does not promise to preserve
 * them; "memory" because it reads and writes guest buffers named by the
 * arguments.
 *
 * MIT licensed so that guests of any licence can include it.
 */
#ifndef PADDOCK_PUBLIC_ARCH_AARCH64_HYPERCALL_H
#define PADDOCK_PUBLIC_ARCH_AARCH64_HYPERCALL_H

static inline long _hypercall0(unsigned long op)
{
	register unsigned long r_op __asm__("x16") = op;
	register long r_ret __asm__("x0");

	__asm__ volatile("hvc #0xEA1"
			 : "=r"(r_ret), "+r"(r_op)
			 :
			 : "x1", "x2", "x3", "x4", "memory");
	return r_ret;
}

static inline long _hypercall1(unsigned long op, unsigned long a1)
{
	register unsigned long r_op __asm__("x16") = op;
	register unsigned long r_a1 __asm__("x0") = a1;

	__asm__ volatile("hvc #0xEA1"
			 : "+r"(r_a1), "+r"(r_op)
			 :
			 : "x1", "x2", "x3", "x4", "memory");
	return (long)r_a1;
}

static inline long _hypercall2(unsigned long op, unsigned long a1,
			       unsigned long a2)
{
	register unsigned long r_op __asm__("x16") = op;
	register unsigned long r_a1 __asm__("x0") = a1;
	register unsigned long r_a2 __asm__("x1") = a2;

	__asm__ volatile("hvc #0xEA1"
			 : "+r"(r_a1), "+r"(r_a2), "+r"(r_op)
			 :
			 : "x2", "x3", "x4", "memory");
	return (long)r_a1;
}

static inline long _hypercall3(unsigned long op, unsigned long a1,
			       unsigned long a2, unsigned long a3)
{
	register unsigned long r_op __asm__("x16") = op;
	register unsigned long r_a1 __asm__("x0") = a1;
	register unsigned long r_a2 __asm__("x1") = a2;
	register unsigned long r_a3 __asm__("x2") = a3;

	__asm__ volatile("hvc #0xEA1"
			 : "+r"(r_a1), "+r"(r_a2), "+r"(r_a3), "+r"(r_op)
			 :
			 : "x3", "x4", "memory");
	return (long)r_a1;
}

static inline long _hypercall4(unsigned long op, unsigned long a1,
			       unsigned long a2, unsigned long a3,
			       unsigned long a4)
{
	register unsigned long r_op __asm__("x16") = op;
	register unsigned long r_a1 __asm__("x0") = a1;
	register unsigned long r_a2 __asm__("x1") = a2;
	register unsigned long r_a3 __asm__("x2") = a3;
	register unsigned long r_a4 __asm__("x3") = a4;

	__asm__ volatile("hvc #0xEA1"
			 : "+r"(r_a1), "+r"(r_a2), "+r"(r_a3), "+r"(r_a4),
			   "+r"(r_op)
			 :
			 : "x4", "memory");
	return (long)r_a1;
}

static inline long _hypercall5(unsigned long op, unsigned long a1,
			       unsigned long a2, unsigned long a3,
			       unsigned long a4, unsigned long a5)
{
	register unsigned long r_op __asm__("x16") = op;
	register unsigned long r_a1 __asm__("x0") = a1;
	register unsigned long r_a2 __asm__("x1") = a2;
	register unsigned long r_a3 __asm__("x2") = a3;
	register unsigned long r_a4 __asm__("x3") = a4;
	register unsigned long r_a5 __asm__("x4") = a5;

	__asm__ volatile("hvc #0xEA1"
			 : "+r"(r_a1), "+r"(r_a2), "+r"(r_a3), "+r"(r_a4),
			   "+r"(r_a5), "+r"(r_op)
			 :
			 : "memory");
	return (long)r_a1;
}

#endif
