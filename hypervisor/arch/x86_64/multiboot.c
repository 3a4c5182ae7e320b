/* SPDX-License-Identifier: MIT */
/*
 * The loaders' information blocks into struct boot_info (asm/bootinfo.h):
 * Multiboot v1 here, Multiboot2 through the pure reader of multiboot2.c.
 * Both are read through the physmap, which covers 0-4 GiB at this point
 * (boot.S), and every Multiboot address is 32-bit.
 */
#include <asm/bootinfo.h>
#include <asm/console.h>
#include <asm/layout.h>
#include <asm/multiboot.h>
#include <asm/multiboot2.h>
#include <asm/paging.h>

/* Bytes readable at a physical address below 4 GiB, at most `cap`. */
static uint64_t readable_at(uint64_t phys, uint64_t cap)
{
	uint64_t left = phys < PHYSMAP_SIZE ? PHYSMAP_SIZE - phys : 0;

	return left < cap ? left : cap;
}

static void read_string(uint32_t phys, char *dst, size_t dst_bytes)
{
	const char *s = phys_to_virt(phys);
	size_t max = readable_at(phys, dst_bytes - 1), n = 0;

	while (n < max && s[n]) {
		dst[n] = s[n];
		n++;
	}
	dst[n] = 0;
}

/*
 * 3.3: the mmap entries, each `size` + 4 bytes long; an entry must hold
 * at least base, length and type, and lie inside mmap_length.
 */
static int read_mb1_mmap(const struct mb_info *mbi, struct boot_info *out)
{
	uint64_t p = mbi->mmap_addr;
	uint64_t end = p + readable_at(p, mbi->mmap_length);

	out->map_source = MAP_E820;
	while (p + sizeof(struct mb_mmap_entry) <= end) {
		const struct mb_mmap_entry *e = phys_to_virt(p);

		if (e->size < sizeof(*e) - sizeof(e->size) ||
		    e->size > end - p - sizeof(e->size)) {
			hv_printf("x86: multiboot: mmap entry at %lx has size "
				  "%u (needs 20 to %lu)\n",
				  p, e->size, end - p - sizeof(e->size));
			return -1;
		}
		out->map_entries++;
		if (boot_add_range(out, e->base, e->length,
				   e820_mem_kind(e->type), e->type)) {
			hv_printf("x86: multiboot: mmap entry at %lx wraps\n",
				  p);
			return -1;
		}
		p += e->size + sizeof(e->size);
	}
	return 0;
}

int multiboot_read(uint64_t info_phys, struct boot_info *out)
{
	const struct mb_info *mbi = phys_to_virt(info_phys);

	__builtin_memset(out, 0, sizeof(*out));
	out->multiboot = 1;
	if (readable_at(info_phys, sizeof(*mbi)) < sizeof(*mbi)) {
		hv_printf("x86: multiboot: information at %lx is not below "
			  "4 GiB\n",
			  info_phys);
		return -1;
	}
	if (mbi->flags & MB_INFO_CMDLINE) {
		const char *s = phys_to_virt(mbi->cmdline);

		boot_set_cmdline(out, s,
				 readable_at(mbi->cmdline, BOOT_CMDLINE_BYTES));
	}
	if (mbi->flags & MB_INFO_LOADER_NAME)
		read_string(mbi->boot_loader_name, out->loader,
			    sizeof(out->loader));
	if (!(mbi->flags & MB_INFO_MMAP)) {
		hv_printf("x86: multiboot: the loader gave no memory map\n");
		return -1;
	}
	return read_mb1_mmap(mbi, out);
}

int multiboot2_read(uint64_t info_phys, struct boot_info *out)
{
	static char why[160];

	if (mb2_parse(phys_to_virt(info_phys),
		      readable_at(info_phys, MB2_MAX_INFO_BYTES), out, why,
		      sizeof(why))) {
		hv_printf("x86: %s\n", why);
		return -1;
	}
	return 0;
}
