/* SPDX-License-Identifier: MIT */
/*
 * The real-mode trampoline a started CPU wakes up in (asm/smp.h).  It is
 * never run where it is linked: cpus.c copies x86_trampoline_start ..
 * x86_trampoline_end to a page below 1 MiB and fills its parameter block,
 * and the start-up IPI's vector names that page.  So the 16- and 32-bit
 * code addresses everything relative to the page (the 32-bit far pointers
 * and the GDT base are filled in by cpus.c with the page's address), and
 * the 64-bit code RIP-relative.
 *
 * What it assumes: A20 is not masked (the Multiboot loader had to enable
 * it, Multiboot 0.6.96, 3.2, and the A20M# state is the platform's, shared
 * by every CPU; recent processors have no A20M# at all), and the hypervisor's
 * tables and the trampoline's lie below 4 GiB (CR3 is loaded in 32-bit
 * mode).
 */
#include <asm/layout.h>
#include <asm/smp.h>

#define CR0_PE	 (1 << 0)
#define CR0_WP	 (1 << 16)
#define CR0_PG	 (1 << 31)
#define CR4_PAE	 (1 << 5)
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)

/* An offset into the copied page. */
#define IN_PAGE(sym) ((sym) - x86_trampoline_start)

	.section .rodata.trampoline, "a"
	.balign 16
	.globl x86_trampoline_start
	.code16
x86_trampoline_start:
	/*
	 * Real mode, CS = page >> 4, IP = 0 (SDM Vol. 3A, 11.6.1: a start-up
	 * IPI's vector is the page number).  Interrupts stay off for good:
	 * the hypervisor runs with IF clear.
	 */
	cli
	cld
	mov %cs, %ax
	mov %ax, %ds
	/* EBX = the page's linear address, for the 32-bit code. */
	xor %ebx, %ebx
	mov %ax, %bx
	shl $4, %ebx
	lgdtl IN_PAGE(x86_trampoline_params) + TP_GDTR
	/*
	 * Protected mode.  CR0 is written whole: after INIT it reads
	 * 60000010H, caching disabled (CD and NW; SDM Vol. 3A, Table 9-1,
	 * "Processor States Following Power-up, Reset, or INIT"), and this
	 * write turns caching on (CD = NW = 0: "Cache Control Registers and
	 * Bits", 11.5.1 in the same editions).
	 */
	mov $CR0_PE, %eax
	mov %eax, %cr0
	ljmpl *IN_PAGE(x86_trampoline_params) + TP_PM32

	.code32
	.globl x86_trampoline_pm32
x86_trampoline_pm32:
	mov $TRAMP_SEL_DATA, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %ax, %fs
	mov %ax, %gs
	/* SDM Vol. 3A, 9.8.5: PAE, CR3, EFER.LME, then paging.  EFER.NXE
	 * too: the hypervisor's tables use the XD bit, reserved without it
	 * (4.5, Table 4-15..4-20). */
	mov %cr4, %eax
	or $CR4_PAE, %eax
	mov %eax, %cr4
	mov IN_PAGE(x86_trampoline_params) + TP_CR3(%ebx), %eax
	mov %eax, %cr3
	mov $MSR_EFER, %ecx
	rdmsr
	or $(EFER_LME | EFER_NXE), %eax
	wrmsr
	mov %cr0, %eax
	or $(CR0_PG | CR0_WP), %eax
	mov %eax, %cr0
	ljmpl *IN_PAGE(x86_trampoline_params) + TP_LM64(%ebx)

	.code64
	.globl x86_trampoline_lm64
x86_trampoline_lm64:
	/* Still in the page, identity-mapped: take the parameters, then go
	 * to the kernel window, where the hypervisor's own CR3 can be
	 * loaded (it has no identity map). */
	mov x86_trampoline_params + TP_STACK(%rip), %rsp
	mov x86_trampoline_params + TP_CPU(%rip), %rdi
	mov x86_trampoline_params + TP_HV_CR3(%rip), %rsi
	movabs $x86_ap_start64, %rax
	jmp *%rax

	/* SDM Vol. 3A, 3.4.5: flat 32-bit code and data, 64-bit code. */
	.balign 8
	.globl x86_trampoline_gdt
x86_trampoline_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff /* TRAMP_SEL_CODE32 */
	.quad 0x00cf92000000ffff /* TRAMP_SEL_DATA */
	.quad 0x00af9a000000ffff /* TRAMP_SEL_CODE64: L = 1 */
x86_trampoline_gdt_end:

	/* The parameter block (struct x86_trampoline_params): zeros and
	 * constants here, the rest filled in by cpus.c in the copy. */
	.balign 8
	.globl x86_trampoline_params
x86_trampoline_params:
	.word x86_trampoline_gdt_end - x86_trampoline_gdt - 1
	.org x86_trampoline_params + TP_PM32 + 4
	.word TRAMP_SEL_CODE32
	.org x86_trampoline_params + TP_LM64 + 4
	.word TRAMP_SEL_CODE64
	.org x86_trampoline_params + TP_SIZE
	.globl x86_trampoline_end
x86_trampoline_end:

/*
 * In the kernel window: RSP = the CPU's stack, RDI = its struct x86_cpu,
 * RSI = the hypervisor's CR3, which drops the trampoline's tables.
 */
	.text
	.globl x86_ap_start64
x86_ap_start64:
	mov %rsi, %cr3
	xor %ebp, %ebp
	call x86_ap_main
1:	cli
	hlt
	jmp 1b
