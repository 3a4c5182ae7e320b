/* SPDX-License-Identifier: MIT */
/*
 * The ELF64 fields the guest loader reads (core/boot/domain_build.c) (System V
 * ABI, "ELF-64 Object File Format" 1.5: file header, program header).
 */
#ifndef PADDOCK_ELF_H
#define PADDOCK_ELF_H

#include <paddock/types.h>

#define ELF_MAGIC   0x464c457fu /* "\x7fELF" */
#define ELFCLASS64  2
#define ELFDATA2LSB 1
#define ET_EXEC	    2
#define EM_X86_64   62
#define EM_AARCH64  183
#define PT_LOAD	    1
#define PF_X	    1
#define PF_W	    2
#define PF_R	    4

struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type;
	uint16_t machine;
	uint32_t version;
	uint64_t entry;
	uint64_t phoff;
	uint64_t shoff;
	uint32_t flags;
	uint16_t ehsize;
	uint16_t phentsize;
	uint16_t phnum;
	uint16_t shentsize;
	uint16_t shnum;
	uint16_t shstrndx;
};

struct elf64_phdr {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t align;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF-64 1.5");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF-64 1.5");

/**
 * The i-th PT_LOAD program header of an image core/boot has checked
 * (every header inside the image), or NULL after the last: how the arch
 * walks the segments it loads.
 */
static inline const struct elf64_phdr *elf_load_segment(const uint8_t *img,
							unsigned i)
{
	const struct elf64_ehdr *eh = (const void *)img;

	for (unsigned k = 0; k < eh->phnum; k++) {
		const struct elf64_phdr *ph =
			(const void *)(img + eh->phoff + k * sizeof(*ph));

		if (ph->type == PT_LOAD && i-- == 0)
			return ph;
	}
	return NULL;
}

#endif
