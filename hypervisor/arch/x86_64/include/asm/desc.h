/* SPDX-License-Identifier: MIT */
/*
 * Descriptor tables: GDT, IDT and the 64-bit TSS.
 *
 * GDT order is fixed by SYSCALL/SYSRET (Intel SDM Vol. 2B, SYSRET;
 * Vol. 3A, 5.8.8): STAR[47:32] = kernel CS, kernel SS = +8;
 * STAR[63:48] + 16 = 64-bit user CS, + 8 = user SS.  Hence
 * 0x08 kernel code, 0x10 kernel data, 0x18 (unused) 32-bit user code,
 * 0x20 user data, 0x28 64-bit user code, 0x30 the TSS (16 bytes).
 */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#include <paddock/types.h>

/* Intel SDM Vol. 3A, 7.7, Figure 7-11: the 64-bit TSS. */
struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

_Static_assert(sizeof(struct tss64) == 104, "SDM Figure 7-11");

/* Intel SDM Vol. 3A, 6.14.1, Figure 6-8: a 64-bit IDT gate. */
struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr; /* P, DPL, type (0xE interrupt gate) */
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));

_Static_assert(sizeof(struct idt_gate) == 16, "SDM Figure 6-8");

#define IST_CRITICAL 1 /* #DF, #MC: a known good stack */
/*
 * #DB has its own stack: a single-step trap taken on the syscall entry
 * arrives in ring 0 before the entry has left the guest's stack, which a
 * gate without IST would push onto (SDM Vol. 3A, 6.14.5).
 */
#define IST_DEBUG 2
/*
 * NMIs have a stack of their own (SDM Vol. 3A, 6.14.5): an NMI can arrive
 * while the hypervisor handles an interrupt that a device sent on vector
 * 8 or 18, which runs on IST_CRITICAL; were the stack shared, the NMI
 * would write its frame over the one being handled.
 */
#define IST_NMI 3

struct x86_cpu;

/** Fills the IDT every CPU shares (once, on the boot CPU). */
void desc_build_idt(void);

/**
 * Loads the calling CPU's own GDT and TSS (its RSP0 and IST stacks, in
 * its block: asm/cpu.h), the shared IDT and its syscall MSRs, whose entry
 * is the CPU's own stub.
 */
void desc_load_cpu(struct x86_cpu *xc);

#endif
