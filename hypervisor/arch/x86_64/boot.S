/* SPDX-License-Identifier: MIT */
/*
 * Multiboot v1 and Multiboot2 entry: from 32-bit protected mode to long
 * mode.
 *
 * The image carries both headers.  A Multiboot v1 loader (QEMU -kernel,
 * GRUB `multiboot`) enters mb_entry32 in 32-bit protected mode with paging
 * off, EAX = 0x2BADB002 and EBX = the physical address of the Multiboot
 * information (Multiboot Specification 0.6.96, 3.2 "Machine state").
 * GRUB's `multiboot2`, on BIOS or on UEFI after ExitBootServices(), enters
 * it in the same state with EAX = 0x36D76289 and EBX = the Multiboot2
 * information (Multiboot2 Specification 2.0, 3.3 "I386 machine state").
 * The magic goes on to x86_boot(), which reads the matching block.  This
 * file builds boot page tables, turns on long mode (Intel SDM Vol. 3A,
 * 9.8.5 "Initializing IA-32e Mode") and jumps to the kernel linked in the
 * top 2 GiB.  Everything here runs at its load address, so it lives in
 * the identity-mapped .boot sections.
 */
#include <asm/layout.h>
#include <asm/multiboot2.h>

#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0x00000003 /* 4 KiB aligned modules, memory map wanted */
#define MB_BOOT_MAGIC 0x2badb002

#define PTE_P 0x1
#define PTE_RW 0x2
#define PTE_PS 0x80 /* 2 MiB page in a page directory (SDM 4.5, Table 4-17) */

/* Multiboot Specification 0.6.96, 3.1.1: the header, in the first 8 KiB. */
	.section .multiboot, "a"
	.balign 8
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

/*
 * Multiboot2 Specification 2.0, 3.1.1-3.1.3: the header, 8-byte aligned
 * in the first 32 KiB, then its tags; only the end tag.  No address tags:
 * GRUB loads the ELF by its program headers, like QEMU.  No EFI boot
 * services tag (3.1.12) and no EFI entry tags: GRUB exits boot services
 * and enters mb_entry32 in 32-bit protected mode with the final EFI
 * memory map in tag 17.
 */
	.balign 8
mb2_header:
	.long MB2_HEADER_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long (0x100000000 - (MB2_HEADER_MAGIC + MB2_ARCH_I386 + \
		(mb2_header_end - mb2_header))) & 0xffffffff
	.short 0 /* 3.1.3: type 0, flags 0, size 8: the end tag */
	.short 0
	.long 8
mb2_header_end:

	.section .boot.text, "ax"
	.code32
	.globl mb_entry32
mb_entry32:
	cli
	cld
	mov %eax, %edi /* kept for x86_boot(magic, info) */
	mov %ebx, %esi
	mov $boot_stack32_top, %esp
	cmp $MB_BOOT_MAGIC, %eax
	je 1f
	cmp $MB2_BOOT_MAGIC, %eax
	jne .Lhang
1:

	/* CPUID 0x80000001 EDX bit 29: long mode present (SDM Vol. 2A). */
	mov $0x80000000, %eax
	cpuid
	cmp $0x80000001, %eax
	jb .Lhang
	mov $0x80000001, %eax
	cpuid
	bt $29, %edx
	jnc .Lhang

	/* Zero the tables: a loader need not clear .bss memory. */
	mov %edi, %ebp
	mov $boot_tables, %edi
	mov $((boot_tables_end - boot_tables) / 4), %ecx
	xor %eax, %eax
	rep stosl
	mov %ebp, %edi

	/* Four page directories: 2 MiB pages covering 0..4 GiB. */
	mov $boot_pd, %ebx
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $21, %eax
	or $(PTE_P | PTE_RW | PTE_PS), %eax
	mov %eax, (%ebx, %ecx, 8)
	mov %ecx, %eax
	shr $11, %eax /* bits 32+ of the physical address */
	mov %eax, 4(%ebx, %ecx, 8)
	inc %ecx
	cmp $2048, %ecx
	jb 1b

	/* PDPT "low": the 4 directories.  Used for the identity map (PML4[0])
	 * and for the physmap (PML4[256]). */
	mov $boot_pdpt_low, %ebx
	mov $(boot_pd + (PTE_P | PTE_RW)), %eax
	mov %eax, 0(%ebx)
	add $0x1000, %eax
	mov %eax, 8(%ebx)
	add $0x1000, %eax
	mov %eax, 16(%ebx)
	add $0x1000, %eax
	mov %eax, 24(%ebx)

	/* PDPT "high": entry 510 is 0xffffffff80000000, the first GiB. */
	mov $boot_pdpt_high, %ebx
	movl $(boot_pd + (PTE_P | PTE_RW)), 510 * 8(%ebx)

	mov $boot_pml4, %ebx
	movl $(boot_pdpt_low + (PTE_P | PTE_RW)), 0(%ebx)
	movl $(boot_pdpt_low + (PTE_P | PTE_RW)), 256 * 8(%ebx)
	movl $(boot_pdpt_high + (PTE_P | PTE_RW)), 511 * 8(%ebx)

	/* SDM Vol. 3A, 9.8.5: PAE, CR3, EFER.LME, then paging. */
	mov %cr4, %eax
	or $(1 << 5), %eax /* PAE */
	mov %eax, %cr4
	mov %ebx, %cr3
	mov $0xc0000080, %ecx /* EFER */
	rdmsr
	or $((1 << 8) | (1 << 0)), %eax /* LME, SCE */
	wrmsr
	mov %cr0, %eax
	or $((1 << 31) | (1 << 16) | 1), %eax /* PG, WP, PE */
	mov %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $SEL_KERNEL_CS, $long_entry

.Lhang:
	hlt
	jmp .Lhang

	.code64
long_entry:
	mov $SEL_KERNEL_DS, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	xor %eax, %eax
	mov %eax, %fs
	mov %eax, %gs
	movabs $x86_start64, %rax
	jmp *%rax

	.section .boot.data, "aw"
	.balign 8
/* SDM Vol. 3A, 3.4.5: a flat 64-bit code and a data descriptor. */
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff /* 0x08: code, L=1, DPL 0 */
	.quad 0x00cf92000000ffff /* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt

	.section .boot.bss, "aw", @nobits
	.balign 4096
	.globl boot_pml4
boot_tables:
boot_pml4:
	.skip 4096
	.globl boot_pdpt_low
boot_pdpt_low:
	.skip 4096
	.globl boot_pdpt_high
boot_pdpt_high:
	.skip 4096
	.globl boot_pd
boot_pd:
	.skip 4 * 4096
boot_tables_end:
	.skip 1024
boot_stack32_top:

/*
 * The 64-bit side, at its link address in the kernel window.  The boot
 * CPU runs on the trap stack of its per-CPU block (asm/cpu.h), as every
 * CPU does from its first instruction of C: this_cpu() works from there.
 */
	.text
	.globl x86_start64
x86_start64:
	lea x86_cpu_blocks + CPU_BLOCK_SIZE(%rip), %rsp
	xor %ebp, %ebp
	mov %edi, %edi /* zero-extend magic and info address */
	mov %esi, %esi
	call x86_boot
2:	cli
	hlt
	jmp 2b
