/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's virtual memory layout (docs/x86.md, "Memory map").
 * Shared by C and assembly.
 *
 *   0x0000000000000000 .. 0x00007fffffffffff  the running domain (user)
 *   0xffff800000000000 .. +4 GiB              physmap: host-physical
 *                         0..4 GiB, minus the domain pool (never mapped
 *                         for the hypervisor, so no domain's memory is
 *                         reachable through it); above 4 GiB, up to
 *                         512 GiB, only firmware tables' 2 MiB pages,
 *                         read-only, added when read (paging_map_phys())
 *   0xffffffff80000000 .. +1 GiB              kernel window: the image
 *                         (linked here, loaded at 1 MiB physical)
 */
#ifndef ASM_LAYOUT_H
#define ASM_LAYOUT_H

#define KERNEL_VMA	 0xffffffff80000000
#define PHYSMAP_BASE	 0xffff800000000000
#define PHYSMAP_SIZE	 0x100000000 /* 4 GiB: RAM below 4G, ECAM, APIC, DMAR */
#define KERNEL_LOAD_PHYS 0x100000

/* GDT selectors (asm/desc.h explains the order, which STAR dictates). */
#define SEL_KERNEL_CS 0x08
#define SEL_KERNEL_DS 0x10
#define SEL_USER_CS32 0x1b
#define SEL_USER_DS   0x23
#define SEL_USER_CS   0x2b
#define SEL_TSS	      0x30

/* Trap vectors. */
#define VEC_PIC_BASE	   0x20 /* legacy PIC, remapped and masked */
#define VEC_TIMER	   0x40
#define VEC_SPURIOUS	   0xff
#define VEC_SYSCALL	   0x100 /* not a vector: marks a syscall frame */
#define VEC_COMPAT_SYSCALL 0x101 /* syscall from 32-bit code: a fault */

/* Bytes per IDT entry stub in entry.S (x86_vector_stubs). */
#define VECTOR_STUB_SIZE 16

/*
 * Every CPU has one block of CPU_BLOCK_SIZE bytes, aligned to its size
 * (asm/cpu.h, struct x86_cpu_block): its struct x86_cpu at the bottom,
 * then its three IST stacks, then the stack every entry from a domain
 * runs on, whose top is the block's end.  Every hypervisor stack of a
 * CPU lies in its block, so RSP rounded down to the block size finds the
 * CPU's state from any context (docs/x86.md, "Every CPU").
 */
#define X86_MAX_CPUS	   8 /* == CFG_MAX_CPUS (cpus.c checks) */
#define CPU_BLOCK_SIZE	   0x10000
#define CPU_HEADER_SIZE	   0x2000 /* struct x86_cpu, padded */
#define CPU_IST_STACK_SIZE 0x2000 /* NMI, #DB, #DF/#MC: each its own */
#define CPU_TRAP_STACK_SIZE                                                    \
	(CPU_BLOCK_SIZE - CPU_HEADER_SIZE - 3 * CPU_IST_STACK_SIZE)
/* struct x86_cpu: where the syscall entry keeps the domain's RSP. */
#define CPU_SYSCALL_RSP_OFFSET 8

/* Bytes per syscall entry stub (one per CPU, entry.S). */
#define SYSCALL_STUB_SIZE 128

#endif
