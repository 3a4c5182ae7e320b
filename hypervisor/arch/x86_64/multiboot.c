/* SPDX-License-Identifier: MIT */
/* Reads the Multiboot v1 information block (asm/multiboot.h). */
#include <paddock/mem.h>
#include <asm/console.h>
#include <asm/multiboot.h>
#include <asm/paging.h>

static void read_cmdline(const struct mb_info *mbi, struct boot_memory *out)
{
	const char *s;
	size_t i;

	out->cmdline[0] = 0;
	if (!(mbi->flags & MB_INFO_CMDLINE))
		return;
	s = phys_to_virt(mbi->cmdline);
	for (i = 0; i + 1 < sizeof(out->cmdline) && s[i]; i++)
		out->cmdline[i] = s[i];
	out->cmdline[i] = 0;
}

int multiboot_read(uint64_t info_phys, struct boot_memory *out)
{
	const struct mb_info *mbi = phys_to_virt(info_phys);
	uint64_t p, end;

	out->nranges = 0;
	if (!(mbi->flags & MB_INFO_MMAP)) {
		hv_printf("x86: the loader gave no memory map\n");
		return -1;
	}
	read_cmdline(mbi, out);
	p = mbi->mmap_addr;
	end = p + mbi->mmap_length;
	while (p + sizeof(struct mb_mmap_entry) <= end &&
	       out->nranges < MEM_MAX_RANGES) {
		const struct mb_mmap_entry *e = phys_to_virt(p);
		struct mem_range *r = &out->ranges[out->nranges++];

		r->base = e->base;
		r->length = e->length;
		r->type = e->type;
		p += e->size + sizeof(e->size);
	}
	return 0;
}
