/* SPDX-License-Identifier: MIT */
/*
 * The image's first bytes and the first instructions.
 *
 * The arm64 Image header (Linux Documentation/arm64/booting.rst, "Call
 * the kernel image") makes this one file bootable by the loaders that
 * boot Linux or Xen: QEMU's -kernel, U-Boot's booti.  They enter
 * _start at EL2 with the MMU and D-cache off and x0 = the physical
 * address of the device tree.  Flags bit 3 says the image may sit at any
 * 2 MiB-aligned address: it is linked at 0 as a position-independent
 * executable and applies its own R_AARCH64_RELATIVE relocations first
 * (ELF for the Arm 64-bit Architecture, 5.7.11), before any C runs.
 *
 * The same file is a PE32+ EFI application (Microsoft PE/COFF
 * Specification; UEFI 2.10, 2.1.1 "UEFI Images"): its first two bytes,
 * "MZ", are the MS-DOS stub's signature and also the low half of the
 * first instruction, and the Image header's res5 field, at 0x3c, is where
 * PE/COFF looks for the offset of the PE signature (e_lfanew).  UEFI
 * firmware enters efi_entry (efi_entry.S) instead of _start.
 */
#define CURRENT_EL_EL2 (2 << 2)
#define R_AARCH64_RELATIVE 1027
/*
 * The top of each EL2 stack is where a domain's trap frame lives once the
 * CPU runs domains (arch_start_first builds the first one there): C code
 * starts below it, so that writing the first frame cannot overwrite the
 * return addresses of the functions that write it.  >= sizeof(struct
 * trap_frame), 16-byte aligned.
 */
#define STACK_FRAME_RESERVE 0x200
/* SCTLR_EL2 RES1 bits | SA: MMU, caches and alignment checks off. */
#define SCTLR_EL2_BOOT 0x30c50838

/* PE/COFF 3.3.1 Machine Types, 3.3.2 Characteristics: executable, line
 * numbers and debug information stripped.  Relocations are not marked
 * stripped, so the firmware may load it anywhere: the image relocates
 * itself and has no base relocations (.reloc) to apply. */
#define IMAGE_FILE_MACHINE_ARM64 0xaa64
#define PE_CHARACTERISTICS 0x0206
/* 3.4.1 PE32+ magic; 3.4.2 Windows subsystem 10: EFI application. */
#define PE32PLUS_MAGIC 0x20b
#define IMAGE_SUBSYSTEM_EFI_APPLICATION 10
/* 3.4.3: export, import, resource, exception, certificate, base
 * relocation tables: all absent. */
#define PE_DATA_DIRECTORIES 6
/* 4.1 Section Flags: code, execute, read; initialized data, read, write. */
#define SCN_TEXT 0x60000020
#define SCN_DATA 0xc0000040

	.section .text.head, "ax"
	.globl _start
_start:
	/* code0: 4d 5a 40 fa, "MZ" and an instruction that only sets the
	 * condition flags, so a loader that enters at _start goes on. */
	ccmp	x18, #0, #0xd, pl
	b	aarch64_entry		/* code1 */
	.quad	0			/* text_offset */
	.quad	__image_size		/* image_size, .bss included */
	.quad	0xa			/* little endian, 4 KiB pages, anywhere */
	.quad	0, 0, 0			/* res2-res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	pe_header - _start	/* res5: the PE header (e_lfanew) */

	/* PE/COFF 3.2 Signature, then 3.3 the COFF File Header. */
	.balign	8
pe_header:
	.ascii	"PE\0\0"
	.short	IMAGE_FILE_MACHINE_ARM64
	.short	(section_table_end - section_table) / 40	/* NumberOfSections */
	.long	0			/* TimeDateStamp */
	.long	0, 0			/* no COFF symbol table */
	.short	optional_header_end - optional_header	/* SizeOfOptionalHeader */
	.short	PE_CHARACTERISTICS

	/* 3.4 Optional Header, PE32+: standard fields (3.4.1). */
optional_header:
	.short	PE32PLUS_MAGIC
	.byte	0, 0			/* linker version */
	.long	__pe_text_size		/* SizeOfCode */
	.long	__pe_data_file_size	/* SizeOfInitializedData */
	.long	__pe_bss_size		/* SizeOfUninitializedData */
	.long	__pe_entry		/* AddressOfEntryPoint: efi_entry */
	.long	__pe_headers_size	/* BaseOfCode */
	/* Windows-specific fields (3.4.2). */
	.quad	0			/* ImageBase: any, it relocates itself */
	.long	4096			/* SectionAlignment: the page */
	.long	4096			/* FileAlignment: file offset = RVA */
	.short	0, 0, 0, 0		/* OS and image versions */
	.short	0, 0			/* subsystem version */
	.long	0			/* Win32VersionValue */
	.long	__image_size		/* SizeOfImage, .bss included */
	.long	__pe_headers_size	/* SizeOfHeaders */
	.long	0			/* CheckSum */
	.short	IMAGE_SUBSYSTEM_EFI_APPLICATION
	.short	0			/* DllCharacteristics */
	.quad	0, 0, 0, 0		/* stack and heap: the firmware's */
	.long	0			/* LoaderFlags */
	.long	PE_DATA_DIRECTORIES	/* NumberOfRvaAndSizes */
	.rept	PE_DATA_DIRECTORIES	/* 3.4.3 Data Directories: none */
	.long	0, 0
	.endr
optional_header_end:

	/* 4 Section Table: the text after the headers, then everything
	 * else (read-only data, relocations, data; .bss zero-filled). */
section_table:
	.ascii	".text\0\0\0"
	.long	__pe_text_size		/* VirtualSize */
	.long	__pe_headers_size	/* VirtualAddress */
	.long	__pe_text_size		/* SizeOfRawData */
	.long	__pe_headers_size	/* PointerToRawData */
	.long	0, 0			/* no COFF relocations, line numbers */
	.short	0, 0
	.long	SCN_TEXT

	.ascii	".data\0\0\0"
	.long	__pe_data_size		/* VirtualSize, .bss included */
	.long	__pe_data_start		/* VirtualAddress */
	.long	__pe_data_file_size	/* SizeOfRawData */
	.long	__pe_data_start		/* PointerToRawData */
	.long	0, 0
	.short	0, 0
	.long	SCN_DATA
section_table_end:

aarch64_entry:
	mov	x19, x0			/* the device tree */
	msr	daifset, #0xf
	mrs	x1, CurrentEL
	cmp	x1, #CURRENT_EL_EL2
	b.ne	not_el2
	mrs	x20, sctlr_el2		/* as the loader left it: reported */
	ldr	x1, =SCTLR_EL2_BOOT
	msr	sctlr_el2, x1
	isb

	bl	aarch64_relocate
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
3:	cmp	x1, x2
	b.hs	4f
	stp	xzr, xzr, [x1], #16
	b	3b
4:
	adrp	x1, aarch64_stack_top
	add	x1, x1, :lo12:aarch64_stack_top
	sub	sp, x1, #STACK_FRAME_RESERVE
	adrp	x1, aarch64_el2_vectors
	add	x1, x1, :lo12:aarch64_el2_vectors
	msr	vbar_el2, x1
	isb
	mov	x0, x19
	mov	x1, x20
	bl	aarch64_boot
	b	.

/*
 * A secondary CPU, from PSCI CPU_ON (DEN0022 D, 5.1.4 and 6.4): at EL2,
 * MMU and caches off, x0 = its struct a64_cpu (asm/cpu.h), which the boot
 * CPU cleaned to the point of coherency.  It takes the boot CPU's EL2
 * translation regime (the identity map, shared), then its own stack,
 * TPIDR_EL2 and vectors, and goes on in C with the MMU on.
 */
	.globl aarch64_secondary_entry
aarch64_secondary_entry:
	msr	daifset, #0xf
	ldr	x1, =SCTLR_EL2_BOOT
	msr	sctlr_el2, x1
	isb
	ldr	x1, [x0, #16]
	msr	mair_el2, x1
	ldr	x1, [x0, #24]
	msr	tcr_el2, x1
	ldr	x1, [x0, #32]
	msr	ttbr0_el2, x1
	isb
	tlbi	alle2
	dsb	nsh
	ic	iallu
	dsb	nsh
	isb
	ldr	x1, [x0, #40]
	msr	sctlr_el2, x1
	isb
	ldr	x1, [x0, #0]
	sub	sp, x1, #STACK_FRAME_RESERVE
	ldr	x1, [x0, #8]
	msr	tpidr_el2, x1
	adrp	x1, aarch64_el2_vectors
	add	x1, x1, :lo12:aarch64_el2_vectors
	msr	vbar_el2, x1
	isb
	bl	aarch64_secondary_boot
	b	.

	/* Not at EL2: nothing Paddock can do (no console is known yet). */
not_el2:
	wfe
	b	not_el2

/*
 * Applies the image's R_AARCH64_RELATIVE relocations for the address it
 * runs at (the link address is 0).  Idempotent: each word is computed
 * from its addend, so the EFI entry, then the Image entry after the stub
 * copied the image, may both run it.  Uses x1-x6 only, no stack.  Not
 * in the first page: UEFI firmware may map the PE headers, which that page
 * is, non-executable.
 */
	.section .text.relocate, "ax"
	.globl	aarch64_relocate
aarch64_relocate:
	adrp	x6, _start
	add	x6, x6, :lo12:_start
	adrp	x1, __rela_start
	add	x1, x1, :lo12:__rela_start
	adrp	x2, __rela_end
	add	x2, x2, :lo12:__rela_end
1:	cmp	x1, x2
	b.hs	2f
	ldp	x3, x4, [x1], #16	/* r_offset, r_info */
	ldr	x5, [x1], #8		/* r_addend */
	cmp	x4, #R_AARCH64_RELATIVE
	b.ne	1b			/* the linker emits no other kind */
	add	x5, x5, x6
	str	x5, [x6, x3]
	b	1b
2:	ret

	.section .bss.stack, "aw", %nobits
	.balign 16
	.globl aarch64_stack
aarch64_stack:
	.space	32768
	.globl aarch64_stack_top
aarch64_stack_top:

	.section .note.GNU-stack, "", %progbits
