/* SPDX-License-Identifier: MIT */
/*
 * The EFI stub: what runs when UEFI firmware starts the Image as an EFI
 * application (boot.S, efi_entry.S), before the hypervisor proper.
 *
 * It says on the firmware's console what it found, refuses what Paddock
 * cannot run on (not EL2, no device tree), takes the command line from
 * the load options, copies the image to a 2 MiB-aligned address with room
 * for the heap after it (the place the Image entry expects, booting.rst),
 * records the ranges of the memory map the firmware keeps after
 * ExitBootServices() (struct efi_handoff), exits boot services and enters
 * the Image as QEMU -kernel or U-Boot booti would: MMU off, x0 = the tree.
 *
 * Runs in the firmware's world: MMU on, the firmware's stack, boot
 * services; the image relocated where the firmware loaded it.
 */
#include <paddock/fmt.h>
#include <paddock/fdt.h>
#include <paddock/mem.h>
#include <asm/efi.h>
#include <asm/mmu.h>
#include <config/config.h>
#include <stdarg.h>

extern char __image_start[], __image_end[], __data_file_end[];

/* UEFI 2.10, 4.6.1 Industry Standard Configuration Tables (and EBBR 2.1,
 * 2.4 "Devicetree"): the flattened device tree, ACPI 2.0+ RSDP, ACPI 1.0
 * RSDP. */
static const struct efi_guid dtb_table_guid = {
	0xb1b621d5,
	0xf19c,
	0x41a5,
	{0x83, 0x0b, 0xd9, 0x15, 0x2c, 0x69, 0xaa, 0xe0}};
static const struct efi_guid acpi20_table_guid = {
	0x8868e871,
	0xe4f1,
	0x11d3,
	{0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81}};
static const struct efi_guid acpi10_table_guid = {
	0xeb9d2d30,
	0x2d88,
	0x11d3,
	{0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d}};
/* UEFI 2.10, 13.4 EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID. */
static const struct efi_guid simple_fs_guid = {
	0x964e5b22,
	0x6459,
	0x11d2,
	{0x8e, 0x39, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b}};
/* UEFI 2.10, 9.1 EFI_LOADED_IMAGE_PROTOCOL_GUID. */
static const struct efi_guid loaded_image_guid = {
	0x5b1b31a1,
	0x9562,
	0x11d2,
	{0x8e, 0x3f, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b}};

#define FDT_MAGIC 0xd00dfeedu
/* The command-line file, in the image's own directory on its volume. */
#define CMDLINE_FILE	"paddock.cfg"
#define EBS_ATTEMPTS	8
#define MAP_SLACK_DESCS 8 /* the map grows when the pool it lives in does */

static struct efi_system_table *systab;

/** Prints on the firmware's console (ConOut), "\n" as CR LF. */
static void con_printf(const char *fmt, ...)
{
	char line[256];
	efi_char16_t wide[2 * sizeof(line)];
	size_t n = 0;
	va_list ap;

	va_start(ap, fmt);
	pd_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	for (const char *c = line; *c && n < sizeof(wide) / 2 - 3; c++) {
		if (*c == '\n')
			wide[n++] = '\r';
		wide[n++] = (uint8_t)*c;
	}
	wide[n] = 0;
	systab->con_out->output_string(systab->con_out, wide);
}

static bool guid_equal(const struct efi_guid *a, const struct efi_guid *b)
{
	const uint8_t *x = (const uint8_t *)a, *y = (const uint8_t *)b;

	for (size_t i = 0; i < sizeof(*a); i++) {
		if (x[i] != y[i])
			return false;
	}
	return true;
}

/** The firmware's configuration table named `guid`, or NULL. */
static void *config_table(const struct efi_guid *guid)
{
	for (uint64_t i = 0; i < systab->number_of_table_entries; i++) {
		if (guid_equal(&systab->configuration_table[i].vendor_guid,
			       guid))
			return systab->configuration_table[i].vendor_table;
	}
	return NULL;
}

static unsigned current_el(void)
{
	uint64_t el;

	__asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
	return (el >> 2) & 3;
}

/** UCS-2 to ASCII, as much as fits; anything outside ASCII becomes '?'. */
static void narrow(char *dst, size_t size, const efi_char16_t *src,
		   size_t units)
{
	size_t n = 0;

	for (size_t i = 0; src && i < units && src[i] && n + 1 < size; i++)
		dst[n++] = src[i] < 0x80 ? (char)src[i] : '?';
	dst[n] = '\0';
}

/*
 * The load options as a command line, if they are UCS-2 text: the UEFI
 * shell passes the whole line it ran (the image's own path first), a boot
 * entry its optional data (efibootmgr -u).  Anything else is not a
 * command line: edk2's boot manager, for one, passes a GUID of its own to
 * the entries it makes up, such as the removable-media path's.
 */
static bool cmdline_from_load_options(const struct efi_loaded_image *li,
				      struct efi_handoff *h)
{
	const efi_char16_t *opt = li->load_options;
	size_t units = li->load_options_size / 2;

	if (!opt || !units || !opt[0])
		return false;
	for (size_t i = 0; i < units && opt[i]; i++) {
		if ((opt[i] < 0x20 || opt[i] > 0x7e) && opt[i] != '\t')
			return false;
	}
	narrow(h->cmdline, sizeof(h->cmdline), opt, units);
	return true;
}

/*
 * The path of the command-line file: the directory of the image's file
 * path (its media file-path nodes, 10.3.5.4, joined) and CMDLINE_FILE.
 * False if the image was not loaded from a file.
 */
static bool cmdline_file_path(const struct efi_loaded_image *li,
			      efi_char16_t *path, size_t units)
{
	const struct efi_device_path *node = li->file_path;
	size_t n = 0, dir_end = 0;
	bool from_file = false;

	while (node && node->type != EFI_DEVICE_PATH_END) {
		size_t len = node->length[0] | node->length[1] << 8;
		const efi_char16_t *name = (const void *)(node + 1);

		if (len < sizeof(*node))
			return false;
		if (node->type == EFI_DEVICE_PATH_MEDIA &&
		    node->subtype == EFI_DEVICE_PATH_FILEPATH) {
			from_file = true;
			for (size_t i = 0; i < (len - sizeof(*node)) / 2 &&
					   name[i] && n + 1 < units;
			     i++) {
				path[n++] = name[i];
				if (name[i] == '\\')
					dir_end = n;
			}
		}
		node = (const void *)((const uint8_t *)node + len);
	}
	if (!from_file)
		return false;
	n = dir_end;
	for (const char *c = CMDLINE_FILE; *c && n + 1 < units; c++)
		path[n++] = (uint8_t)*c;
	path[n] = 0;
	return true;
}

/* The first line of the file that is neither empty nor a # comment. */
static void first_line(char *dst, size_t size, const char *text, size_t len)
{
	size_t i = 0, n = 0;

	while (i < len) {
		size_t end = i;

		while (end < len && text[end] != '\n' && text[end] != '\r')
			end++;
		if (end > i && text[i] != '#') {
			while (i < end && n + 1 < size)
				dst[n++] = text[i++];
			break;
		}
		i = end + 1;
	}
	dst[n] = '\0';
}

/*
 * The command line from CMDLINE_FILE beside the image, read with the
 * file system the image itself came from (UEFI 2.10, 13.4, 13.5): what a
 * boot entry without options, such as the removable-media path
 * \EFI\BOOT\BOOTAA64.EFI, needs.  Xen's EFI loader reads its xen.cfg the
 * same way.
 */
static bool cmdline_from_file(const struct efi_loaded_image *li,
			      struct efi_handoff *h, char *name, size_t size)
{
	struct efi_boot_services *bs = systab->boot_services;
	struct efi_simple_file_system *fs;
	struct efi_file *root, *file;
	efi_char16_t path[128];
	char text[sizeof(h->cmdline)];
	uint64_t len = sizeof(text);
	efi_status_t st;

	if (!cmdline_file_path(li, path, sizeof(path) / 2) ||
	    bs->handle_protocol(li->device_handle, &simple_fs_guid,
				(void **)&fs) != EFI_SUCCESS ||
	    fs->open_volume(fs, &root) != EFI_SUCCESS)
		return false;
	narrow(name, size, path, sizeof(path) / 2);
	st = root->open(root, &file, path, EFI_FILE_MODE_READ, 0);
	if (st == EFI_SUCCESS) {
		st = file->read(file, &len, text);
		file->close(file);
	}
	root->close(root);
	if (st != EFI_SUCCESS)
		return false;
	first_line(h->cmdline, sizeof(h->cmdline), text, len);
	return true;
}

/** The command line: the load options, else the file beside the image. */
static void take_cmdline(efi_handle_t image, struct efi_handoff *h)
{
	struct efi_loaded_image *li;
	char name[128];

	if (systab->boot_services->handle_protocol(image, &loaded_image_guid,
						   (void **)&li) != EFI_SUCCESS)
		return;
	if (cmdline_from_load_options(li, h))
		con_printf("Paddock EFI stub: command line from the load "
			   "options: %s\n",
			   h->cmdline);
	else if (cmdline_from_file(li, h, name, sizeof(name)))
		con_printf("Paddock EFI stub: command line from %s: %s\n", name,
			   h->cmdline);
}

/** The memory map, in a pool buffer grown as needed. */
struct memmap {
	struct efi_memory_descriptor *desc;
	uint64_t size, capacity, key, desc_size;
};

static const struct efi_memory_descriptor *memmap_at(const struct memmap *m,
						     uint64_t i)
{
	return (const void *)((const char *)m->desc + i * m->desc_size);
}

static uint64_t memmap_count(const struct memmap *m)
{
	return m->desc_size ? m->size / m->desc_size : 0;
}

/* UEFI 2.10, 7.2 GetMemoryMap(): EFI_BUFFER_TOO_SMALL says how big the map
 * is now; allocating the buffer may add a descriptor, hence the slack. */
static efi_status_t memmap_get(struct memmap *m)
{
	struct efi_boot_services *bs = systab->boot_services;
	efi_status_t st;
	uint32_t version;

	for (;;) {
		m->size = m->capacity;
		st = bs->get_memory_map(&m->size, m->desc, &m->key,
					&m->desc_size, &version);
		if (st != EFI_BUFFER_TOO_SMALL)
			return st;
		if (m->desc)
			bs->free_pool(m->desc);
		m->capacity = m->size + MAP_SLACK_DESCS * m->desc_size;
		st = bs->allocate_pool(EFI_LOADER_DATA, m->capacity,
				       (void **)&m->desc);
		if (st != EFI_SUCCESS) {
			m->desc = NULL;
			m->capacity = 0;
			return st;
		}
	}
}

/*
 * Memory the hypervisor may use once boot services are gone (UEFI 2.10,
 * 7.2, "Memory Type Usage after ExitBootServices()"): the loader's own and
 * boot services' allocations, and free memory.  Everything else stays the
 * firmware's: runtime services, ACPI tables and NVS, reserved, unusable,
 * MMIO, persistent memory, memory not yet accepted.
 */
static bool usable_after_exit(uint32_t type)
{
	return type == EFI_LOADER_CODE || type == EFI_LOADER_DATA ||
	       type == EFI_BOOT_SERVICES_CODE ||
	       type == EFI_BOOT_SERVICES_DATA ||
	       type == EFI_CONVENTIONAL_MEMORY;
}

/*
 * Adds [base, base + size) to the table, kept sorted by address; a range
 * right after one of the same type extends it.  A full table folds the
 * range into its nearest neighbour, the gap between them too: reserving
 * more than the firmware keeps is safe, less is not.
 */
static void keep_range(struct efi_handoff *h, uint64_t base, uint64_t size,
		       uint32_t type)
{
	unsigned pos = 0;

	while (pos < h->nkept && h->kept[pos].base < base)
		pos++;
	if (pos > 0) {
		struct efi_kept_range *prev = &h->kept[pos - 1];

		if (prev->type == type && prev->base + prev->size == base) {
			prev->size += size;
			return;
		}
	}
	if (h->nkept == EFI_HANDOFF_MAX_RANGES) {
		struct efi_kept_range *r = &h->kept[pos ? pos - 1 : 0];
		uint64_t lo = r->base < base ? r->base : base;
		uint64_t hi = r->base + r->size > base + size
				      ? r->base + r->size
				      : base + size;

		r->base = lo;
		r->size = hi - lo;
		h->kept_merged++;
		return;
	}
	for (unsigned i = h->nkept; i > pos; i--)
		h->kept[i] = h->kept[i - 1];
	h->kept[pos] = (struct efi_kept_range){base, size, type, 0};
	h->nkept++;
}

static void record_kept_ranges(const struct memmap *m, struct efi_handoff *h)
{
	h->nkept = 0;
	h->kept_merged = 0;
	for (uint64_t i = 0; i < memmap_count(m); i++) {
		const struct efi_memory_descriptor *d = memmap_at(m, i);

		if (!usable_after_exit(d->type))
			keep_range(h, d->physical_start,
				   d->number_of_pages * EFI_PAGE_SIZE, d->type);
	}
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/*
 * Where the image goes: the lowest 2 MiB-aligned address of free memory
 * with room for the image, its .bss and the heap that setup.c puts right
 * after it, so that the domain pool, above, gets the most.  The firmware
 * is asked for exactly that range (UEFI 2.10, 7.2 AllocatePages(),
 * AllocateAddress), as loader data, which is the hypervisor's after
 * ExitBootServices().  0 if there is no such place.
 */
static uint64_t place_image(const struct memmap *m)
{
	struct efi_boot_services *bs = systab->boot_services;
	uint64_t span =
		align_up((uint64_t)(__image_end - __image_start), BLOCK_2M) +
		platform_config.heap_bytes;
	uint64_t best = 0;

	for (uint64_t i = 0; i < memmap_count(m); i++) {
		const struct efi_memory_descriptor *d = memmap_at(m, i);
		uint64_t lo = align_up(d->physical_start, BLOCK_2M);
		uint64_t hi =
			d->physical_start + d->number_of_pages * EFI_PAGE_SIZE;

		if (d->type == EFI_CONVENTIONAL_MEMORY && lo + span <= hi &&
		    (!best || lo < best))
			best = lo;
	}
	if (best &&
	    bs->allocate_pages(EFI_ALLOCATE_ADDRESS, EFI_LOADER_DATA,
			       span / EFI_PAGE_SIZE, &best) != EFI_SUCCESS)
		best = 0;
	return best;
}

/* UEFI 2.10, 4.2: the revision is major << 16 | minor, 2.70 as 70. */
static void print_banner(const struct efi_handoff *h, uint64_t dtb)
{
	con_printf("Paddock EFI stub: firmware %s rev %x (UEFI %u.%02u) at "
		   "EL2, device tree from the EFI configuration table at "
		   "%lx\n",
		   h->firmware_vendor, h->firmware_revision,
		   h->uefi_revision >> 16, h->uefi_revision & 0xffff, dtb);
}

/*
 * Refuses what Paddock cannot run on, on the console: not at EL2 (it is a
 * hypervisor; QEMU needs virtualization=on), or no device tree (Paddock
 * reads the machine from one; ACPI-only firmware is not supported).
 */
static efi_status_t check_machine(const void *dtb)
{
	unsigned el = current_el();

	if (el != 2) {
		con_printf("Paddock EFI stub: entered at EL%u; Paddock runs at "
			   "EL2 only (QEMU: -machine virtualization=on): not "
			   "starting\n",
			   el);
		return EFI_UNSUPPORTED;
	}
	if (!dtb) {
		bool acpi = config_table(&acpi20_table_guid) ||
			    config_table(&acpi10_table_guid);

		con_printf("Paddock EFI stub: no device tree in the EFI "
			   "configuration table%s; Paddock reads the machine "
			   "from a device tree only: not starting\n",
			   acpi ? " (the firmware publishes ACPI tables only; "
				  "QEMU virt: acpi=off)"
				: "");
		return EFI_UNSUPPORTED;
	}
	if (fdt_be32(dtb) != FDT_MAGIC) {
		con_printf("Paddock EFI stub: the device tree at %lx has no "
			   "FDT magic: not starting\n",
			   (uint64_t)(uintptr_t)dtb);
		return EFI_UNSUPPORTED;
	}
	return EFI_SUCCESS;
}

/*
 * UEFI 2.10, 7.4 ExitBootServices(): the map key must be the latest
 * map's; if the map changed in between the call fails with
 * EFI_INVALID_PARAMETER and the map is read again (only memory services
 * may be called then, so nothing is printed).  The kept ranges are
 * recorded from the very map whose key is accepted.
 */
static efi_status_t exit_boot_services(efi_handle_t image, struct memmap *m,
				       struct efi_handoff *h)
{
	struct efi_boot_services *bs = systab->boot_services;
	efi_status_t st = EFI_INVALID_PARAMETER;

	for (unsigned i = 0; i < EBS_ATTEMPTS && st == EFI_INVALID_PARAMETER;
	     i++) {
		st = memmap_get(m);
		if (st != EFI_SUCCESS)
			return st;
		record_kept_ranges(m, h);
		st = bs->exit_boot_services(image, m->key);
	}
	return st;
}

efi_status_t efi_main(efi_handle_t image, struct efi_system_table *st)
{
	struct efi_handoff *h = &efi_handoff;
	const void *dtb;
	struct memmap map = {0};
	uint64_t dest, dtb_bytes;
	efi_status_t status;

	systab = st;
	dtb = config_table(&dtb_table_guid);
	status = check_machine(dtb);
	if (status != EFI_SUCCESS)
		return status;
	dtb_bytes = fdt_be32((const uint8_t *)dtb + 4); /* totalsize */

	*h = (struct efi_handoff){.magic = EFI_HANDOFF_MAGIC,
				  .firmware_revision = st->firmware_revision,
				  .uefi_revision = st->hdr.revision,
				  .dtb = (uint64_t)(uintptr_t)dtb};
	narrow(h->firmware_vendor, sizeof(h->firmware_vendor),
	       st->firmware_vendor, sizeof(h->firmware_vendor));
	print_banner(h, h->dtb);
	take_cmdline(image, h);

	status = memmap_get(&map);
	dest = status == EFI_SUCCESS ? place_image(&map) : 0;
	if (!dest) {
		con_printf("Paddock EFI stub: no free 2 MiB-aligned memory for "
			   "the image and its heap: not starting\n");
		return EFI_OUT_OF_RESOURCES;
	}
	con_printf("Paddock EFI stub: image to %lx, exiting boot services\n",
		   dest);

	status = exit_boot_services(image, &map, h);
	if (status != EFI_SUCCESS) {
		/* Boot services may be half gone: the console too. */
		con_printf("Paddock EFI stub: ExitBootServices failed "
			   "(status %lx)\n",
			   status);
		return status;
	}
	/* UEFI 2.10, 7.4: a successful ExitBootServices() clears the system
	 * table's boot services and consoles (in runtime memory, still
	 * readable): the hypervisor reports it, so a run that skipped it
	 * shows. */
	h->boot_services_gone = !st->boot_services && !st->con_out;
	/* From here on, the firmware is gone but for its runtime services:
	 * only memory is touched.  The hand-off goes with the copy. */
	pd_memcpy((void *)(uintptr_t)dest, __image_start,
		  (size_t)(__data_file_end - __image_start));
	efi_enter_image(dest, (uint64_t)(__image_end - __image_start), h->dtb,
			dtb_bytes);
}
