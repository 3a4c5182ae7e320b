/* SPDX-License-Identifier: MIT */
/*
 * Reads the Multiboot2 boot information (Multiboot2 Specification 2.0,
 * 3.6) that GRUB's `multiboot2` hands over, on UEFI firmware in
 * particular: the command line (tag 1), the loader's name (tag 2), the
 * memory map from the EFI memory-map tag (17) when present, else from the
 * mmap tag (6), and the RSDP copies (tags 15 and 14).
 *
 * The block is untrusted input: a loader bug must give a clear message,
 * never a read outside the block.  So every offset is checked against
 * both total_size and what the caller can read before anything is read
 * there, every tag must be at least a tag header long, lie wholly inside
 * the block and start 8-byte aligned, the walk must meet an end tag of
 * size 8, and the memory-map entries are walked with their declared
 * stride, which must itself be sane.
 *
 * Pure: no hypervisor state, no printing; multiboot2_read() (at the end)
 * is the hypervisor's wrapper.
 */
#include <paddock/fmt.h>
#include <asm/multiboot2.h>

/* Unaligned-safe reads: a malformed stride may misalign an entry. */
static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

struct mb2_walk {
	const uint8_t *base;
	uint32_t total; /* total_size, already checked against `readable` */
	struct boot_info *out;
	char *why;
	size_t why_bytes;
	/* The first tag of each kind found, as an offset into the block. */
	uint32_t cmdline, loader, mmap, efi_mmap, acpi_old, acpi_new;
};

static int fail(struct mb2_walk *w, const char *what, uint32_t off,
		uint32_t type, uint32_t size)
{
	pd_snprintf(w->why, w->why_bytes,
		    "multiboot2: tag at offset %#x (type %u, size %u): %s "
		    "(total_size %u)",
		    off, type, size, what, w->total);
	return -1;
}

/* A NUL-terminated string inside a tag (3.6.5, 3.6.9). */
static int read_string(struct mb2_walk *w, uint32_t off, char *dst,
		       size_t dst_bytes, bool *truncated)
{
	uint32_t size = rd32(w->base + off + 4);
	const char *s = (const char *)w->base + off + sizeof(struct mb2_tag);
	size_t max = size - sizeof(struct mb2_tag), n = 0;

	while (n < max && s[n])
		n++;
	if (n == max)
		return fail(w, "its string has no terminating NUL", off,
			    rd32(w->base + off), size);
	if (truncated)
		*truncated = n + 1 > dst_bytes;
	if (n + 1 > dst_bytes)
		n = dst_bytes - 1;
	__builtin_memcpy(dst, s, n);
	dst[n] = 0;
	return 0;
}

/* 3.6.8: E820-typed entries of entry_size bytes each. */
static int read_mmap(struct mb2_walk *w, uint32_t off)
{
	const uint8_t *t = w->base + off;
	uint32_t size = rd32(t + 4), stride, n;

	if (size < sizeof(struct mb2_mmap_tag))
		return fail(w, "too short for a memory map tag", off, 6, size);
	stride = rd32(t + 8);
	if (stride < sizeof(struct mb2_mmap_entry) || stride % 8)
		return fail(w, "entry_size is below 24 or not a multiple of 8",
			    off, 6, size);
	n = (size - sizeof(struct mb2_mmap_tag)) / stride;
	w->out->map_source = MAP_E820;
	w->out->map_tag = MB2_TAG_MMAP;
	w->out->map_entries = n;
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = t + sizeof(struct mb2_mmap_tag) + i * stride;
		uint32_t type = rd32(e + 16);

		if (boot_add_range(w->out, rd64(e), rd64(e + 8),
				   e820_mem_kind(type), type))
			return fail(w, "an entry's base + length wraps", off, 6,
				    size);
	}
	return 0;
}

/* 3.6.19 and UEFI 2.10, 7.2: EFI descriptors of descriptor_size bytes. */
static int read_efi_mmap(struct mb2_walk *w, uint32_t off)
{
	const uint8_t *t = w->base + off;
	uint32_t size = rd32(t + 4), stride, n;

	if (size < sizeof(struct mb2_efi_mmap_tag))
		return fail(w, "too short for an EFI memory map tag", off, 17,
			    size);
	stride = rd32(t + 8);
	if (stride < sizeof(struct efi_memory_descriptor) || stride % 8)
		return fail(w,
			    "descriptor_size is below 40 or not a multiple "
			    "of 8",
			    off, 17, size);
	n = (size - sizeof(struct mb2_efi_mmap_tag)) / stride;
	w->out->map_source = MAP_EFI;
	w->out->map_tag = MB2_TAG_EFI_MMAP;
	w->out->map_entries = n;
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *d =
			t + sizeof(struct mb2_efi_mmap_tag) + i * stride;
		uint32_t type = rd32(d);
		uint64_t start = rd64(d + 8), pages = rd64(d + 24);
		uint64_t attr = rd64(d + 32);

		if (start % EFI_PAGE_SIZE)
			return fail(w,
				    "a descriptor's PhysicalStart is not 4 KiB "
				    "aligned",
				    off, 17, size);
		if (pages > (~0ull - start) / EFI_PAGE_SIZE)
			return fail(w, "a descriptor's range wraps", off, 17,
				    size);
		boot_add_range(w->out, start, pages * EFI_PAGE_SIZE,
			       efi_mem_kind(type, attr), type);
	}
	return 0;
}

/* 3.6.16, 3.6.17: the tag holds a copy of the RSDP, not its address. */
static int read_rsdp(struct mb2_walk *w, uint32_t off, uint8_t *dst,
		     unsigned need, unsigned cap, unsigned *got)
{
	uint32_t size = rd32(w->base + off + 4);
	uint32_t bytes = size - sizeof(struct mb2_tag);

	if (bytes < need)
		return fail(w, "too short for the RSDP copy it should hold",
			    off, rd32(w->base + off), size);
	*got = bytes < cap ? bytes : cap;
	__builtin_memcpy(dst, w->base + off + sizeof(struct mb2_tag), *got);
	return 0;
}

static void remember(uint32_t *slot, uint32_t off)
{
	if (!*slot) /* the first of its kind wins; offset 0 is never a tag */
		*slot = off;
}

/* 3.6.1, 3.6.2: the walk itself, checking the framing only. */
static int walk_tags(struct mb2_walk *w)
{
	uint32_t off = sizeof(struct mb2_info_header);

	for (;;) {
		uint32_t type, size;

		if (off > w->total - sizeof(struct mb2_tag)) {
			pd_snprintf(w->why, w->why_bytes,
				    "multiboot2: no end tag before total_size "
				    "%u (the walk reached offset %#x)",
				    w->total, off);
			return -1;
		}
		type = rd32(w->base + off);
		size = rd32(w->base + off + 4);
		if (size < sizeof(struct mb2_tag))
			return fail(w, "size is below the 8-byte tag header",
				    off, type, size);
		if (size > w->total - off)
			return fail(w, "it runs past total_size", off, type,
				    size);
		if (type == MB2_TAG_END)
			return size == sizeof(struct mb2_tag)
				       ? 0
				       : fail(w, "an end tag must be 8 bytes",
					      off, type, size);
		switch (type) {
		case MB2_TAG_CMDLINE:
			remember(&w->cmdline, off);
			break;
		case MB2_TAG_LOADER_NAME:
			remember(&w->loader, off);
			break;
		case MB2_TAG_MMAP:
			remember(&w->mmap, off);
			break;
		case MB2_TAG_EFI_MMAP:
			remember(&w->efi_mmap, off);
			break;
		case MB2_TAG_ACPI_OLD:
			remember(&w->acpi_old, off);
			break;
		case MB2_TAG_ACPI_NEW:
			remember(&w->acpi_new, off);
			break;
		case MB2_TAG_EFI_BS_LIVE:
			/* GRUB was not asked to keep them (boot.S's header
			 * has no tag 7): the map would not be final. */
			return fail(w,
				    "EFI boot services were left running; "
				    "Paddock needs them exited",
				    off, type, size);
		default:
			break;
		}
		/* 3.6.2: the next tag starts at the next 8-byte boundary. */
		off += (size + 7) & ~7u;
	}
}

/* The tags found, read in the order their meaning needs. */
static int read_tags(struct mb2_walk *w)
{
	struct boot_info *bi = w->out;

	if (w->cmdline &&
	    read_string(w, w->cmdline, bi->cmdline, sizeof(bi->cmdline),
			&bi->cmdline_truncated))
		return -1;
	if (w->loader &&
	    read_string(w, w->loader, bi->loader, sizeof(bi->loader), NULL))
		return -1;
	if (w->efi_mmap ? read_efi_mmap(w, w->efi_mmap)
	    : w->mmap	? read_mmap(w, w->mmap)
			: 0)
		return -1;
	if (!bi->map_entries) {
		pd_snprintf(w->why, w->why_bytes,
			    "multiboot2: no memory map (neither tag 17 nor "
			    "tag 6, or an empty one)");
		return -1;
	}
	if (w->acpi_new &&
	    read_rsdp(w, w->acpi_new, bi->rsdp_new, BOOT_RSDP_BYTES,
		      BOOT_RSDP_BYTES, &bi->rsdp_new_bytes))
		return -1;
	if (w->acpi_old &&
	    read_rsdp(w, w->acpi_old, bi->rsdp_old, sizeof(bi->rsdp_old),
		      sizeof(bi->rsdp_old), &bi->rsdp_old_bytes))
		return -1;
	return 0;
}

int mb2_parse(const void *info, uint64_t readable, struct boot_info *out,
	      char *why, size_t why_bytes)
{
	struct mb2_walk w = {
		.base = info, .out = out, .why = why, .why_bytes = why_bytes};

	__builtin_memset(out, 0, sizeof(*out));
	out->multiboot = 2;
	if ((uintptr_t)info % 8) {
		pd_snprintf(why, why_bytes,
			    "multiboot2: the information block at %p is not "
			    "8-byte aligned",
			    info);
		return -1;
	}
	if (readable <
	    sizeof(struct mb2_info_header) + sizeof(struct mb2_tag)) {
		pd_snprintf(why, why_bytes,
			    "multiboot2: only %lu bytes readable at the "
			    "information block",
			    (unsigned long)readable);
		return -1;
	}
	w.total = rd32(w.base);
	if (w.total < sizeof(struct mb2_info_header) + sizeof(struct mb2_tag) ||
	    w.total > readable || w.total > MB2_MAX_INFO_BYTES) {
		pd_snprintf(why, why_bytes,
			    "multiboot2: total_size %u is below 16, beyond the "
			    "%lu readable bytes or above %u",
			    w.total, (unsigned long)readable,
			    MB2_MAX_INFO_BYTES);
		return -1;
	}
	if (walk_tags(&w))
		return -1;
	return read_tags(&w);
}
