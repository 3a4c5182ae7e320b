/* SPDX-License-Identifier: MIT */
/*
 * The x86 boot information on the host: the Multiboot2 reader
 * (hypervisor/arch/x86_64/multiboot2.c) on good and malformed blocks, the
 * firmware memory types turned into what Paddock may use (bootinfo.c),
 * and the placement of the heap, the domain pool and the low page in real
 * firmware maps, with the check of those claims (memmap.c).
 *
 * Every block sits in a heap buffer of exactly the size the reader is
 * told it may read, so that under AddressSanitizer (build/host/asan/
 * x86-bootinfo) a read past it is caught; a bounded run of random
 * corruptions of a good block must never be one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <asm/bootinfo.h>
#include <asm/memmap.h>
#include <asm/multiboot2.h>

#define MIB (1ull << 20)

static struct boot_info bi;
static char why[256];

/* ------------------------------------------------------------------ */
/* Building Multiboot2 blocks (Multiboot2 Specification 2.0, 3.6). */

struct mb2_builder {
	uint8_t b[16384];
	uint32_t len;
};

static void put32(struct mb2_builder *m, uint32_t off, uint32_t v)
{
	memcpy(m->b + off, &v, 4);
}

static void start(struct mb2_builder *m)
{
	memset(m, 0, sizeof(*m));
	m->len = 8; /* total_size, reserved */
}

/* A tag of `size` bytes (payload copied), then padding to 8. */
static uint32_t tag(struct mb2_builder *m, uint32_t type, const void *payload,
		    uint32_t payload_bytes)
{
	uint32_t off = m->len;

	put32(m, off, type);
	put32(m, off + 4, 8 + payload_bytes);
	if (payload_bytes)
		memcpy(m->b + off + 8, payload, payload_bytes);
	m->len = (off + 8 + payload_bytes + 7) & ~7u;
	return off;
}

static void finish(struct mb2_builder *m)
{
	tag(m, MB2_TAG_END, NULL, 0);
	put32(m, 0, m->len);
}

/* 3.6.19: the EFI map tag's header, then descriptors of `stride` bytes. */
static void efi_map(struct mb2_builder *m, uint32_t stride,
		    const struct efi_memory_descriptor *d, unsigned n)
{
	uint8_t payload[8 + 64 * 48] = {0};

	memcpy(payload, &stride, 4);
	for (unsigned i = 0; i < n; i++)
		memcpy(payload + 8 + i * stride, &d[i], sizeof(d[i]));
	tag(m, MB2_TAG_EFI_MMAP, payload, 8 + n * stride);
}

static void e820_map(struct mb2_builder *m, const struct mb2_mmap_entry *e,
		     unsigned n)
{
	uint8_t payload[8 + 64 * 24] = {0};
	uint32_t stride = 24;

	memcpy(payload, &stride, 4);
	memcpy(payload + 8, e, n * sizeof(*e));
	tag(m, MB2_TAG_MMAP, payload, 8 + n * 24);
}

/* ACPI 6.4, 5.2.5.3: an RSDP of `revision`, checksums right. */
static void rsdp(uint8_t *r, unsigned bytes, uint8_t revision)
{
	uint8_t sum = 0;

	memset(r, 0, bytes);
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "BOCHS ", 6);
	r[15] = revision;
	for (unsigned i = 0; i < 20; i++)
		sum += r[i];
	r[8] = (uint8_t)-sum;
}

/* What GRUB 2.06 on OVMF gives, reduced: every kind of tag Paddock reads. */
static const struct efi_memory_descriptor ovmf_like[] = {
	{EFI_BOOT_SERVICES_CODE, 0, 0x0, 0, 1, 0xf},
	{EFI_CONVENTIONAL_MEMORY, 0, 0x1000, 0, 0x9f, 0xf},
	{EFI_CONVENTIONAL_MEMORY, 0, 0x100000, 0, 0x706, 0xf},
	{EFI_ACPI_MEMORY_NVS, 0, 0x806000, 0, 2, 0xf},
	{EFI_CONVENTIONAL_MEMORY, 0, 0x808000, 0, 8, 0xf},
	{EFI_ACPI_MEMORY_NVS, 0, 0x810000, 0, 0xf0, 0xf},
	{EFI_BOOT_SERVICES_DATA, 0, 0x900000, 0, 0xc00, 0xf},
	{EFI_CONVENTIONAL_MEMORY, 0, 0x1500000, 0, 0x1d5a0, 0xf},
	{EFI_RUNTIME_SERVICES_DATA, 0, 0x1eaa0000, 0, 0x102,
	 0xf | EFI_MEMORY_RUNTIME},
	{EFI_BOOT_SERVICES_DATA, 0, 0x1eba2000, 0, 0x94a, 0xf},
	{EFI_RUNTIME_SERVICES_CODE, 0, 0x1f4ec000, 0, 0x200,
	 0xf | EFI_MEMORY_RUNTIME},
	{EFI_RESERVED_MEMORY, 0, 0x1f6ec000, 0, 0x80, 0xf},
	{EFI_ACPI_RECLAIM_MEMORY, 0, 0x1f76c000, 0, 0x12, 0xf},
	{EFI_ACPI_MEMORY_NVS, 0, 0x1f77e000, 0, 0x80, 0xf},
	{EFI_BOOT_SERVICES_DATA, 0, 0x1f7fe000, 0, 0x6f6, 0xf},
	{EFI_RUNTIME_SERVICES_DATA, 0, 0x1fef4000, 0, 0x84,
	 0xf | EFI_MEMORY_RUNTIME},
	{EFI_ACPI_MEMORY_NVS, 0, 0x1ff78000, 0, 0x88, 0xf},
	{EFI_RESERVED_MEMORY, 0, 0xb0000000, 0, 0x10000, 0},
	{EFI_MEMORY_MAPPED_IO, 0, 0xffc00000, 0, 0x400, EFI_MEMORY_RUNTIME},
};

static const struct mb2_mmap_entry seabios_e820[] = {
	{0x0, 0x9fc00, 1, 0},
	{0x9fc00, 0x400, 2, 0},
	{0xf0000, 0x10000, 2, 0},
	{0x100000, 0x1fedf000, 1, 0},
	{0x1ffdf000, 0x21000, 2, 0},
	{0xb0000000, 0x10000000, 2, 0},
	{0xfed1c000, 0x4000, 2, 0},
	{0xfffc0000, 0x40000, 2, 0},
	{0xfd00000000, 0x300000000, 2, 0},
};

static void grub_like(struct mb2_builder *m)
{
	uint8_t r1[20], r2[36];

	start(m);
	tag(m, MB2_TAG_CMDLINE, "paddock.test=heap", 18);
	tag(m, MB2_TAG_LOADER_NAME, "GRUB 2.06-13+deb12u2", 21);
	tag(m, 4, "\x80\x02\0\0\0\0\0\0", 8); /* basic meminfo: skipped */
	e820_map(m, seabios_e820, 3);
	rsdp(r1, sizeof(r1), 0);
	tag(m, MB2_TAG_ACPI_OLD, r1, sizeof(r1));
	rsdp(r2, sizeof(r2), 2);
	tag(m, MB2_TAG_ACPI_NEW, r2, sizeof(r2));
	efi_map(m, 48, ovmf_like, ARRAY_SIZE(ovmf_like));
	finish(m);
}

/* The block in a buffer of exactly `readable` bytes, then parsed. */
static int parse_exact(const struct mb2_builder *m, uint32_t readable)
{
	uint8_t *buf = malloc(readable); /* 16-byte aligned, ASan-bounded */
	int rc;

	memcpy(buf, m->b, readable < sizeof(m->b) ? readable : sizeof(m->b));
	rc = mb2_parse(buf, readable, &bi, why, sizeof(why));
	free(buf);
	return rc;
}

static int parse(const struct mb2_builder *m)
{
	return parse_exact(m, m->len);
}

static void expect_refusal(const struct mb2_builder *m, const char *words)
{
	assert_int_equal(parse(m), -1);
	if (!strstr(why, words))
		fail_msg("message \"%s\" lacks \"%s\"", why, words);
}

/* ------------------------------------------------------------------ */
/* The reader on good blocks. */

static void grub_block_is_read(void **state)
{
	static struct mb2_builder m;

	(void)state;
	grub_like(&m);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(bi.multiboot, 2);
	assert_string_equal(bi.cmdline, "paddock.test=heap");
	assert_false(bi.cmdline_truncated);
	assert_string_equal(bi.loader, "GRUB 2.06-13+deb12u2");
	/* Tag 17 wins over tag 6, wherever it comes. */
	assert_int_equal(bi.map_source, MAP_EFI);
	assert_int_equal(bi.map_tag, MB2_TAG_EFI_MMAP);
	assert_int_equal(bi.map_entries, ARRAY_SIZE(ovmf_like));
	assert_int_equal(bi.nranges, ARRAY_SIZE(ovmf_like));
	assert_int_equal(bi.ranges[8].base, 0x1eaa0000);
	assert_int_equal(bi.ranges[8].length, 0x102000);
	assert_int_equal(bi.ranges[8].kind, MEM_FW_RUNTIME);
	assert_int_equal(bi.ranges[8].fw_type, EFI_RUNTIME_SERVICES_DATA);
	assert_int_equal(bi.ranges[0].kind, MEM_USABLE); /* BS code */
	assert_int_equal(bi.ranges[12].kind, MEM_ACPI_RECLAIM);
	assert_int_equal(bi.ranges[18].kind, MEM_MMIO);
	assert_int_equal(bi.rsdp_new_bytes, 36);
	assert_memory_equal(bi.rsdp_new, "RSD PTR ", 8);
	assert_int_equal(bi.rsdp_new[15], 2);
	assert_int_equal(bi.rsdp_old_bytes, 20);
}

static void e820_tag_when_no_efi_tag(void **state)
{
	static struct mb2_builder m;

	(void)state;
	start(&m);
	e820_map(&m, seabios_e820, ARRAY_SIZE(seabios_e820));
	finish(&m);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(bi.map_source, MAP_E820);
	assert_int_equal(bi.map_tag, MB2_TAG_MMAP);
	assert_int_equal(bi.nranges, ARRAY_SIZE(seabios_e820));
	assert_int_equal(bi.ranges[3].kind, MEM_USABLE);
	assert_int_equal(bi.ranges[1].kind, MEM_RESERVED);
	assert_int_equal(bi.rsdp_new_bytes, 0);
	assert_int_equal(bi.cmdline[0], 0);
}

static void long_cmdline_is_truncated_and_said(void **state)
{
	static struct mb2_builder m;
	char s[400];

	(void)state;
	memset(s, 'a', sizeof(s) - 1);
	s[sizeof(s) - 1] = 0;
	start(&m);
	tag(&m, MB2_TAG_CMDLINE, s, sizeof(s));
	e820_map(&m, seabios_e820, 1);
	finish(&m);
	assert_int_equal(parse(&m), 0);
	assert_true(bi.cmdline_truncated);
	assert_int_equal(strlen(bi.cmdline), BOOT_CMDLINE_BYTES - 1);
}

/* ------------------------------------------------------------------ */
/* The reader on malformed blocks: one rule broken each. */

static void framing_errors_are_refused(void **state)
{
	static struct mb2_builder m;

	(void)state;
	/* total_size below the fixed part and an end tag */
	start(&m);
	finish(&m);
	put32(&m, 0, 12);
	expect_refusal(&m, "total_size 12");
	/* total_size beyond what may be read */
	grub_like(&m);
	put32(&m, 0, m.len + 8);
	expect_refusal(&m, "beyond the");
	put32(&m, 0, 0xffffffff);
	expect_refusal(&m, "total_size 4294967295");
	/* a tag shorter than its own header */
	start(&m);
	tag(&m, MB2_TAG_CMDLINE, "x", 2);
	finish(&m);
	put32(&m, 12, 4);
	expect_refusal(&m, "below the 8-byte tag header");
	/* a tag that runs past total_size */
	grub_like(&m);
	put32(&m, 12, 0x1000);
	expect_refusal(&m, "runs past total_size");
	put32(&m, 12, 0xfffffff9); /* offset + size would wrap */
	expect_refusal(&m, "runs past total_size");
	/* no end tag: the tags fill the block to total_size */
	start(&m);
	e820_map(&m, seabios_e820, 2);
	put32(&m, 0, m.len);
	expect_refusal(&m, "no end tag");
	/* an end tag of the wrong size */
	start(&m);
	e820_map(&m, seabios_e820, 2);
	finish(&m);
	put32(&m, m.len - 4, 16);
	put32(&m, 0, m.len + 8);
	m.len += 8;
	expect_refusal(&m, "end tag must be 8 bytes");
}

static void misaligned_block_is_refused(void **state)
{
	static struct mb2_builder m;
	uint8_t *buf;

	(void)state;
	grub_like(&m);
	buf = malloc(m.len + 8);
	memcpy(buf + 4, m.b, m.len);
	assert_int_equal(mb2_parse(buf + 4, m.len, &bi, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "not 8-byte aligned"));
	free(buf);
}

static void tag_contents_errors_are_refused(void **state)
{
	static struct mb2_builder m;
	struct efi_memory_descriptor d = ovmf_like[2];
	uint8_t r2[36];

	(void)state;
	/* a command line without its NUL */
	start(&m);
	tag(&m, MB2_TAG_CMDLINE, "abcdefgh", 8);
	e820_map(&m, seabios_e820, 1);
	finish(&m);
	expect_refusal(&m, "no terminating NUL");
	/* EFI descriptors: stride too small, not a multiple of 8 */
	start(&m);
	efi_map(&m, 32, ovmf_like, 2);
	finish(&m);
	expect_refusal(&m, "descriptor_size");
	start(&m);
	efi_map(&m, 44, ovmf_like, 2);
	finish(&m);
	expect_refusal(&m, "descriptor_size");
	/* a descriptor whose pages wrap, one not 4 KiB aligned */
	d.number_of_pages = 1ull << 60;
	start(&m);
	efi_map(&m, 48, &d, 1);
	finish(&m);
	expect_refusal(&m, "wraps");
	d = ovmf_like[2];
	d.physical_start += 0x800;
	start(&m);
	efi_map(&m, 48, &d, 1);
	finish(&m);
	expect_refusal(&m, "not 4 KiB aligned");
	/* an E820 tag with entry_size 0 (a division by zero waiting) */
	start(&m);
	e820_map(&m, seabios_e820, 2);
	finish(&m);
	put32(&m, 16, 0);
	expect_refusal(&m, "entry_size");
	/* an RSDP tag too short for its RSDP */
	rsdp(r2, sizeof(r2), 2);
	start(&m);
	e820_map(&m, seabios_e820, 2);
	tag(&m, MB2_TAG_ACPI_NEW, r2, 20);
	finish(&m);
	expect_refusal(&m, "too short for the RSDP");
	/* boot services left running: the map would not be final */
	start(&m);
	efi_map(&m, 48, ovmf_like, 3);
	tag(&m, MB2_TAG_EFI_BS_LIVE, NULL, 0);
	finish(&m);
	expect_refusal(&m, "boot services were left running");
	/* no memory map at all */
	start(&m);
	tag(&m, MB2_TAG_CMDLINE, "x", 2);
	finish(&m);
	expect_refusal(&m, "no memory map");
}

/*
 * Random corruption of a good block: each run flips a few bytes (often
 * in a size field) and tells the reader a random readable length.  The
 * reader may accept or refuse; under ASan it must never read outside.
 */
static void random_corruptions_stay_inside(void **state)
{
	static struct mb2_builder good, m;
	unsigned refused = 0;

	(void)state;
	srand(11);
	grub_like(&good);
	for (unsigned run = 0; run < 20000; run++) {
		uint32_t readable = 16 + (uint32_t)rand() % (good.len - 15);

		m = good;
		for (unsigned k = 0; k < 1 + (unsigned)rand() % 4; k++) {
			uint32_t at = (uint32_t)rand() % good.len;

			if (rand() % 2)
				at &= ~3u; /* a whole field */
			m.b[at] = (uint8_t)rand();
		}
		if (rand() % 4 == 0)
			put32(&m, 0, readable);
		refused += parse_exact(&m, readable & ~7u) != 0;
	}
	assert_true(refused > 0);
}

/* ------------------------------------------------------------------ */
/* Firmware types (UEFI 2.10, 7.2; ACPI 6.4, Table 15.1). */

static void efi_types_are_converted_conservatively(void **state)
{
	static const struct {
		uint32_t type;
		uint64_t attr;
		enum mem_kind kind;
	} cases[] = {
		{EFI_RESERVED_MEMORY, 0, MEM_RESERVED},
		{EFI_LOADER_CODE, 0xf, MEM_USABLE},
		{EFI_LOADER_DATA, 0xf, MEM_USABLE},
		{EFI_BOOT_SERVICES_CODE, 0xf, MEM_USABLE},
		{EFI_BOOT_SERVICES_DATA, 0xf, MEM_USABLE},
		{EFI_RUNTIME_SERVICES_CODE, 0xf | EFI_MEMORY_RUNTIME,
		 MEM_FW_RUNTIME},
		{EFI_RUNTIME_SERVICES_DATA, 0xf | EFI_MEMORY_RUNTIME,
		 MEM_FW_RUNTIME},
		/* even without the attribute a firmware should have set */
		{EFI_RUNTIME_SERVICES_DATA, 0xf, MEM_FW_RUNTIME},
		{EFI_CONVENTIONAL_MEMORY, 0xf, MEM_USABLE},
		{EFI_UNUSABLE_MEMORY, 0xf, MEM_BAD},
		{EFI_ACPI_RECLAIM_MEMORY, 0xf, MEM_ACPI_RECLAIM},
		{EFI_ACPI_MEMORY_NVS, 0xf, MEM_ACPI_NVS},
		{EFI_MEMORY_MAPPED_IO, EFI_MEMORY_RUNTIME, MEM_MMIO},
		{EFI_MEMORY_MAPPED_IO_PORT_SPACE, 0, MEM_MMIO},
		{EFI_PAL_CODE, 0xf, MEM_FW_RUNTIME},
		{EFI_PERSISTENT_MEMORY, 0xf, MEM_PERSISTENT},
		{EFI_UNACCEPTED_MEMORY, 0xf, MEM_RESERVED},
		{16, 0xf, MEM_RESERVED},
		{0x70000000, 0xf, MEM_RESERVED}, /* OEM */
		{0x80000000, 0xf, MEM_RESERVED}, /* OS vendor */
		/* free types the firmware still needs, or not general RAM */
		{EFI_CONVENTIONAL_MEMORY, 0xf | EFI_MEMORY_RUNTIME,
		 MEM_FW_RUNTIME},
		{EFI_BOOT_SERVICES_DATA, 0xf | EFI_MEMORY_RUNTIME,
		 MEM_FW_RUNTIME},
		{EFI_CONVENTIONAL_MEMORY, 0xf | EFI_MEMORY_SP, MEM_RESERVED},
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		if (efi_mem_kind(cases[i].type, cases[i].attr) != cases[i].kind)
			fail_msg("EFI type %#x attribute %#llx: kind %d, want "
				 "%d",
				 cases[i].type,
				 (unsigned long long)cases[i].attr,
				 efi_mem_kind(cases[i].type, cases[i].attr),
				 cases[i].kind);
	}
}

static void e820_types_are_converted_conservatively(void **state)
{
	(void)state;
	assert_int_equal(e820_mem_kind(1), MEM_USABLE);
	assert_int_equal(e820_mem_kind(2), MEM_RESERVED);
	assert_int_equal(e820_mem_kind(3), MEM_ACPI_RECLAIM);
	assert_int_equal(e820_mem_kind(4), MEM_ACPI_NVS);
	assert_int_equal(e820_mem_kind(5), MEM_BAD);
	assert_int_equal(e820_mem_kind(6), MEM_RESERVED);
	assert_int_equal(e820_mem_kind(7), MEM_PERSISTENT);
	assert_int_equal(e820_mem_kind(12), MEM_RESERVED);
	assert_int_equal(e820_mem_kind(0), MEM_RESERVED);
}

/* ------------------------------------------------------------------ */
/* Placement (memmap.c). */

static const struct memmap_request hv_request = {
	.image_lo = 0x100000,
	.image_hi = 0x16e000,
	.heap_bytes = 64 * MIB,
	.limit = 1ull << 32,
};

static void load_efi(const struct efi_memory_descriptor *d, unsigned n)
{
	memset(&bi, 0, sizeof(bi));
	bi.map_source = MAP_EFI;
	for (unsigned i = 0; i < n; i++)
		boot_add_range(
			&bi, d[i].physical_start, d[i].number_of_pages * 4096,
			efi_mem_kind(d[i].type, d[i].attribute), d[i].type);
}

static void load_e820(const struct mb2_mmap_entry *e, unsigned n)
{
	memset(&bi, 0, sizeof(bi));
	bi.map_source = MAP_E820;
	for (unsigned i = 0; i < n; i++)
		boot_add_range(&bi, e[i].base_addr, e[i].length,
			       e820_mem_kind(e[i].type), e[i].type);
}

static bool hits_unusable(uint64_t lo, uint64_t hi)
{
	for (unsigned i = 0; i < bi.nranges; i++) {
		const struct mem_range *r = &bi.ranges[i];

		if (r->kind != MEM_USABLE && lo < r->base + r->length &&
		    r->base < hi)
			return true;
	}
	return false;
}

/*
 * OVMF's map: ACPI NVS at 0x806000 lies where the heap went before
 * (right after the image); runtime services data lies inside what was
 * the pool's RAM range.  Neither may be touched.
 */
static void ovmf_layout_avoids_firmware_memory(void **state)
{
	struct memmap m = {.bi = &bi};
	struct memmap_layout l;

	(void)state;
	load_efi(ovmf_like, ARRAY_SIZE(ovmf_like));
	assert_int_equal(memmap_layout(&m, &hv_request, &l, why, sizeof(why)),
			 0);
	assert_int_equal(l.heap_lo, 0xa00000);
	assert_int_equal(l.heap_hi, 0x4a00000);
	assert_int_equal(l.pool_lo, 0x4a00000);
	assert_int_equal(l.pool_hi, 0x1ea00000);
	assert_int_equal(l.low_page, 0x9f000);
	assert_false(hits_unusable(l.heap_lo, l.heap_hi));
	assert_false(hits_unusable(l.pool_lo, l.pool_hi));
	assert_false(hits_unusable(l.low_page, l.low_page + 4096));
}

/* SeaBIOS's E820 map: the layout Paddock always had under -kernel. */
static void seabios_layout_is_unchanged(void **state)
{
	struct memmap m = {.bi = &bi};
	struct memmap_layout l;

	(void)state;
	load_e820(seabios_e820, ARRAY_SIZE(seabios_e820));
	assert_int_equal(memmap_layout(&m, &hv_request, &l, why, sizeof(why)),
			 0);
	assert_int_equal(l.heap_lo, 0x200000);
	assert_int_equal(l.pool_lo, 0x4200000);
	assert_int_equal(l.pool_hi, 0x1fe00000);
	assert_int_equal(l.low_page, 0x9e000); /* 0x9f000 is cut by 9fc00 */
}

/* Overlapping entries: the non-usable one wins, for every placement. */
static void overlaps_in_the_map_count_as_unusable(void **state)
{
	static const struct mb2_mmap_entry e[] = {
		{0x1000, 0x9f000, 1, 0},
		{0x100000, 0x3ff00000, 1, 0},
		{0x2000000, 0x1000, 2, 0}, /* inside the big range */
		{0x9e000, 0x2000, 2, 0},   /* over the top low pages */
	};
	struct memmap m = {.bi = &bi};
	struct memmap_layout l;

	(void)state;
	load_e820(e, ARRAY_SIZE(e));
	assert_int_equal(memmap_layout(&m, &hv_request, &l, why, sizeof(why)),
			 0);
	assert_int_equal(l.low_page, 0x9d000);
	assert_int_equal(l.heap_lo, 0x2200000); /* not over 0x2000000 */
	assert_false(hits_unusable(l.pool_lo, l.pool_hi));
	assert_int_equal(l.pool_hi, 0x40000000);
}

/* No usable page below 1 MiB (page 0 never counts): no low page. */
static void no_low_page_without_low_ram(void **state)
{
	static const struct mb2_mmap_entry e[] = {
		{0x0, 0x1000, 1, 0}, /* page 0 only */
		{0x100000, 0x1ff00000, 1, 0},
	};
	struct memmap m = {.bi = &bi};
	struct memmap_layout l;

	(void)state;
	load_e820(e, ARRAY_SIZE(e));
	assert_int_equal(memmap_layout(&m, &hv_request, &l, why, sizeof(why)),
			 0);
	assert_int_equal(l.low_page, 0);
}

/* Unsorted: the walk goes by boundaries, not by the order given. */
static void unsorted_map_gives_the_same_layout(void **state)
{
	struct efi_memory_descriptor rev[ARRAY_SIZE(ovmf_like)];
	struct memmap m = {.bi = &bi};
	struct memmap_layout l;

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(ovmf_like); i++)
		rev[i] = ovmf_like[ARRAY_SIZE(ovmf_like) - 1 - i];
	load_efi(rev, ARRAY_SIZE(rev));
	assert_int_equal(memmap_layout(&m, &hv_request, &l, why, sizeof(why)),
			 0);
	assert_int_equal(l.heap_lo, 0xa00000);
	assert_int_equal(l.pool_hi, 0x1ea00000);
	assert_int_equal(l.low_page, 0x9f000);
}

/* The check, on claims made wrongly on purpose. */
static void check_names_the_firmware_memory_a_claim_hits(void **state)
{
	struct memmap m = {.bi = &bi};

	(void)state;
	load_efi(ovmf_like, ARRAY_SIZE(ovmf_like));
	m.claims[m.nclaims++] =
		(struct mem_claim){0x1e000000, 0x1f000000, "domain pool"};
	assert_int_equal(memmap_check(&m, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "domain pool 1e000000-1effffff overlaps "
				    "firmware runtime memory 1eaa0000-1eba1fff "
				    "(EFI RT data)"));
	m.nclaims = 0;
	m.claims[m.nclaims++] = (struct mem_claim){0x400000, 0x4400000, "heap"};
	assert_int_equal(memmap_check(&m, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "ACPI NVS memory 806000-807fff"));
	/* not covered: a hole between entries */
	m.nclaims = 0;
	m.claims[m.nclaims++] = (struct mem_claim){0xa0000, 0x101000, "x"};
	assert_int_equal(memmap_check(&m, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "a0000 is in no usable entry"));
	/* two claims over each other */
	m.nclaims = 0;
	m.claims[m.nclaims++] = (struct mem_claim){0x2000000, 0x3000000, "a"};
	m.claims[m.nclaims++] = (struct mem_claim){0x2fff000, 0x4000000, "b"};
	assert_int_equal(memmap_check(&m, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "b 2fff000-3ffffff overlaps a"));
	/* claiming refuses what is not free */
	m.nclaims = 0;
	assert_int_equal(memmap_claim(&m, 0x9f000, 0xa1000, "y"), -1);
	assert_int_equal(memmap_claim(&m, 0x9f000, 0xa0000, "y"), 0);
	assert_int_equal(memmap_claim(&m, 0x9f000, 0xa0000, "z"), -1);
}

/* Too small a machine: the refusal says what did not fit. */
static void no_room_for_the_heap_is_said(void **state)
{
	static const struct mb2_mmap_entry e[] = {
		{0x100000, 0x2000000, 1, 0},
	};
	struct memmap m = {.bi = &bi};
	struct memmap_layout l;

	(void)state;
	load_e820(e, ARRAY_SIZE(e));
	assert_int_equal(memmap_layout(&m, &hv_request, &l, why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "no free 64 MiB for the heap"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grub_block_is_read),
		cmocka_unit_test(e820_tag_when_no_efi_tag),
		cmocka_unit_test(long_cmdline_is_truncated_and_said),
		cmocka_unit_test(framing_errors_are_refused),
		cmocka_unit_test(misaligned_block_is_refused),
		cmocka_unit_test(tag_contents_errors_are_refused),
		cmocka_unit_test(random_corruptions_stay_inside),
		cmocka_unit_test(efi_types_are_converted_conservatively),
		cmocka_unit_test(e820_types_are_converted_conservatively),
		cmocka_unit_test(ovmf_layout_avoids_firmware_memory),
		cmocka_unit_test(seabios_layout_is_unchanged),
		cmocka_unit_test(overlaps_in_the_map_count_as_unusable),
		cmocka_unit_test(no_low_page_without_low_ram),
		cmocka_unit_test(unsorted_map_gives_the_same_layout),
		cmocka_unit_test(check_names_the_firmware_memory_a_claim_hits),
		cmocka_unit_test(no_room_for_the_heap_is_said),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	printf("%d passed, %d failed\n",
	       (int)(sizeof(tests) / sizeof(tests[0])) - failed, failed);
	return failed != 0;
}
