/* SPDX-License-Identifier: MIT */
/*
 * ACPI table discovery (layouts cited in asm/acpi.h).  Tables are read in
 * place through the physmap; every length is checked before a field is
 * read, and every table's checksum is verified, because firmware bugs are
 * common and a bad length must not walk us off the end.
 */
#include <asm/acpi.h>
#include <asm/bootinfo.h>
#include <asm/console.h>
#include <asm/madt.h>
#include <asm/paging.h>
#include <asm/pci.h>
#include <asm/string.h>
#include <asm/x86.h>

/* ACPI 6.4, 5.2.6, Table 5.4: the common header. */
struct acpi_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __attribute__((packed));

_Static_assert(sizeof(struct acpi_header) == 36, "ACPI 5.2.6");

/* ACPI 6.4, 5.2.5.3, Table 5.3: the RSDP. */
struct acpi_rsdp {
	char signature[8];
	uint8_t checksum;
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt;
	uint32_t length;
	uint64_t xsdt;
	uint8_t ext_checksum;
	uint8_t reserved[3];
} __attribute__((packed));

_Static_assert(sizeof(struct acpi_rsdp) == 36, "ACPI 5.2.5.3");

#define MADT_IOAPIC	    1  /* ACPI 5.2.12.3 */
#define MADT_LAPIC_OVERRIDE 5  /* 5.2.12.8 */
#define DMAR_TYPE_DRHD	    0  /* VT-d 8.3 */
#define DMAR_TYPE_RMRR	    1  /* VT-d 8.4 */
#define DMAR_HEADER_BYTES   48 /* VT-d 8.1, Table 8-1 */
#define MCFG_HEADER_BYTES   44 /* PCI FW 3.3, Table 4-3 */

static struct acpi_info info;

const struct acpi_info *acpi_get(void)
{
	return &info;
}

static bool checksum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += b[i];
	return sum == 0;
}

/* Longest table Paddock maps: the ones it reads are a few KiB. */
#define ACPI_MAX_TABLE_BYTES (16u << 20)

/** An RSDP, copied: from the loader (Multiboot2) or the BIOS areas. */
struct rsdp_copy {
	struct acpi_rsdp r;
	unsigned bytes; /* how many of its 36 bytes were given */
	const char *from;
};

static const struct acpi_rsdp *rsdp_scan(uint64_t lo, uint64_t hi)
{
	for (uint64_t a = lo; a + sizeof(struct acpi_rsdp) <= hi; a += 16) {
		const struct acpi_rsdp *r = phys_to_virt(a);

		if (!memcmp(r->signature, "RSD PTR ", 8) && checksum_ok(r, 20))
			return r;
	}
	return NULL;
}

/* ACPI 6.4, 5.2.5.1: the EBDA's first KiB, then 0xE0000..0xFFFFF. */
static bool rsdp_find(struct rsdp_copy *out)
{
	uint64_t ebda = (uint64_t) * (const uint16_t *)phys_to_virt(0x40e) << 4;
	const struct acpi_rsdp *r = NULL;

	if (ebda >= 0x80000 && ebda < 0xa0000)
		r = rsdp_scan(ebda, ebda + 1024);
	if (!r)
		r = rsdp_scan(0xe0000, 0x100000);
	if (!r)
		return false;
	out->r = *r;
	out->bytes = sizeof(*r);
	out->from = "the BIOS scan";
	return true;
}

/*
 * ACPI 6.4, 5.2.5.3: the signature and the checksum of the first 20
 * bytes make an RSDP of any revision.  A loader's copy that fails is
 * reported and not used.
 */
static bool rsdp_from_loader(const uint8_t *bytes, unsigned n, const char *from,
			     struct rsdp_copy *out)
{
	if (!n)
		return false;
	if (n < 20 || memcmp(bytes, "RSD PTR ", 8) || !checksum_ok(bytes, 20)) {
		hv_printf("acpi: the RSDP from %s has a bad signature or "
			  "checksum: not used\n",
			  from);
		return false;
	}
	memset(&out->r, 0, sizeof(out->r));
	memcpy(&out->r, bytes, n < sizeof(out->r) ? n : sizeof(out->r));
	out->bytes = n < sizeof(out->r) ? n : sizeof(out->r);
	out->from = from;
	return true;
}

/*
 * A table's header, then the whole table, mapped (paging_map_phys(): the
 * physmap below 4 GiB, read-only 2 MiB pages added above), its length
 * bounded and its checksum verified before any field is read.
 */
static const struct acpi_header *table_at(uint64_t phys)
{
	const struct acpi_header *h;

	if (!phys || !paging_map_phys(phys, sizeof(*h), false))
		return NULL;
	h = phys_to_virt(phys);
	if (h->length < sizeof(*h) || h->length > ACPI_MAX_TABLE_BYTES ||
	    !paging_map_phys(phys, h->length, false) ||
	    !checksum_ok(h, h->length))
		return NULL;
	return h;
}

/* A root table: valid, and with the signature its RSDP field promises. */
static const struct acpi_header *root_at(uint64_t phys, const char *sig)
{
	const struct acpi_header *h = table_at(phys);

	if (!h || memcmp(h->signature, sig, 4)) {
		hv_printf("acpi: %s at %lx: unreadable, bad length, checksum "
			  "or signature\n",
			  sig, phys);
		return NULL;
	}
	return h;
}

/* CPUs: enabled or online-capable local APIC and x2APIC entries (the
 * list Paddock starts is madt_cpus()'s, asm/madt.h). */
static bool madt_cpu_usable(const uint8_t *p)
{
	const uint8_t all = MADT_CPU_ENABLED | MADT_CPU_ONLINE_CAPABLE;

	return (p[0] == MADT_TYPE_LAPIC && p[1] >= 8 && (p[4] & all)) ||
	       (p[0] == MADT_TYPE_X2APIC && p[1] >= 16 && (p[8] & all));
}

static void parse_madt(const struct acpi_header *h)
{
	const uint8_t *p = (const uint8_t *)h + MADT_HEADER_BYTES, *end;

	if (h->length < MADT_HEADER_BYTES)
		return;
	info.madt = (const uint8_t *)h;
	info.madt_len = h->length;
	info.lapic_phys = *(const uint32_t *)((const uint8_t *)h + 36);
	end = (const uint8_t *)h + h->length;
	while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
		if (madt_cpu_usable(p))
			info.ncpus++;
		else if (p[0] == MADT_IOAPIC)
			info.nioapics++;
		else if (p[0] == MADT_LAPIC_OVERRIDE && p[1] >= 12)
			info.lapic_phys = *(const uint64_t *)(p + 4);
		p += p[1];
	}
	hv_printf("acpi: MADT: %u CPUs, %u I/O APICs, local APIC at %lx\n",
		  info.ncpus, info.nioapics, info.lapic_phys);
}

static void parse_mcfg(const struct acpi_header *h)
{
	const uint8_t *p = (const uint8_t *)h + MCFG_HEADER_BYTES;
	const uint8_t *end = (const uint8_t *)h + h->length;

	for (; p + 16 <= end; p += 16) {
		uint64_t base = *(const uint64_t *)p;
		uint16_t seg = *(const uint16_t *)(p + 8);

		hv_printf("acpi: MCFG: segment %u buses %02x-%02x ECAM at "
			  "%lx\n",
			  seg, p[10], p[11], base);
		if (seg == 0 && !info.have_ecam) {
			info.have_ecam = true;
			info.ecam_phys = base;
			info.ecam_start_bus = p[10];
			info.ecam_end_bus = p[11];
		}
	}
}

/* VT-d 8.3.1, Table 8-10: device scopes from p to end. */
static unsigned parse_scopes(const uint8_t *p, const uint8_t *end,
			     struct dmar_scope *out, unsigned max)
{
	unsigned n = 0;

	while (p + 6 <= end && p[1] >= 6 && p + p[1] <= end) {
		if (n < max) {
			struct dmar_scope *s = &out[n++];
			unsigned hops = (p[1] - 6) / 2;

			s->type = p[0];
			s->enumeration_id = p[4];
			s->start_bus = p[5];
			s->npath = hops < ACPI_MAX_PATH ? hops : ACPI_MAX_PATH;
			for (unsigned i = 0; i < s->npath; i++) {
				s->path[i].dev = p[6 + 2 * i];
				s->path[i].fn = p[7 + 2 * i];
			}
		}
		p += p[1];
	}
	return n;
}

static void print_scopes(const struct dmar_scope *s, unsigned n)
{
	static const char *const names[] = {"?",      "endpoint", "bridge",
					    "ioapic", "hpet",	  "acpi"};

	for (unsigned i = 0; i < n; i++) {
		const struct dmar_scope *sc = &s[i];
		unsigned last = sc->npath ? sc->npath - 1 : 0;

		hv_printf("acpi:     scope %s %02x:%02x.%x (%u hops, id %u)\n",
			  sc->type < 6 ? names[sc->type] : "?", sc->start_bus,
			  sc->npath ? sc->path[last].dev : 0,
			  sc->npath ? sc->path[last].fn : 0, sc->npath,
			  sc->enumeration_id);
	}
}

static void parse_drhd(const uint8_t *p, unsigned len)
{
	struct dmar_drhd *u;

	if (len < 16 || info.ndrhd == ACPI_MAX_DRHD)
		return;
	u = &info.drhd[info.ndrhd++];
	u->include_pci_all = p[4] & 1;
	u->segment = *(const uint16_t *)(p + 6);
	u->reg_base = *(const uint64_t *)(p + 8);
	u->nscopes = parse_scopes(p + 16, p + len, u->scopes, ACPI_MAX_SCOPES);
	hv_printf("acpi: DMAR: DRHD %u registers at %lx, segment %u%s\n",
		  info.ndrhd - 1, u->reg_base, u->segment,
		  u->include_pci_all ? ", INCLUDE_PCI_ALL" : "");
	print_scopes(u->scopes, u->nscopes);
}

static void parse_rmrr(const uint8_t *p, unsigned len)
{
	struct dmar_rmrr *r;

	if (len < 24 || info.nrmrr == ACPI_MAX_RMRR)
		return;
	r = &info.rmrr[info.nrmrr++];
	r->segment = *(const uint16_t *)(p + 6);
	r->base = *(const uint64_t *)(p + 8);
	r->limit = *(const uint64_t *)(p + 16);
	r->nscopes = parse_scopes(p + 24, p + len, r->scopes, ACPI_MAX_SCOPES);
	hv_printf("acpi: DMAR: RMRR %lx-%lx\n", r->base, r->limit);
	print_scopes(r->scopes, r->nscopes);
}

static void parse_dmar(const struct acpi_header *h)
{
	const uint8_t *p = (const uint8_t *)h + DMAR_HEADER_BYTES;
	const uint8_t *end = (const uint8_t *)h + h->length;

	if (h->length < DMAR_HEADER_BYTES)
		return;
	info.have_dmar = true;
	info.dmar_haw = ((const uint8_t *)h)[36];
	info.dmar_flags = ((const uint8_t *)h)[37];
	hv_printf("acpi: DMAR: host address width %u, flags %x\n",
		  info.dmar_haw + 1, info.dmar_flags);
	while (p + 4 <= end) {
		uint16_t type = *(const uint16_t *)p;
		uint16_t len = *(const uint16_t *)(p + 2);

		if (len < 4 || p + len > end)
			break;
		if (type == DMAR_TYPE_DRHD)
			parse_drhd(p, len);
		else if (type == DMAR_TYPE_RMRR)
			parse_rmrr(p, len);
		p += len;
	}
}

static void parse_table(uint64_t phys)
{
	const struct acpi_header *h = table_at(phys);

	if (!h) {
		hv_printf(
			"acpi: table at %lx: unreadable (in the domain pool or "
			"beyond 512 GiB), bad length or checksum\n",
			phys);
		return;
	}
	char sig[5] = {h->signature[0], h->signature[1], h->signature[2],
		       h->signature[3], 0};

	hv_printf("acpi: %s at %lx, %u bytes\n", sig, phys, h->length);
	if (!memcmp(h->signature, "APIC", 4))
		parse_madt(h);
	else if (!memcmp(h->signature, "MCFG", 4))
		parse_mcfg(h);
	else if (!memcmp(h->signature, "DMAR", 4))
		parse_dmar(h);
}

/*
 * ACPI 6.4, 5.2.5.3: an RSDP of revision 2 or more has a length (36 so
 * far) and an extended checksum over it, and the XSDT's 64-bit address;
 * take the XSDT only when all of that holds and the XSDT itself is valid.
 */
static bool xsdt_usable(const struct rsdp_copy *c)
{
	const struct acpi_rsdp *r = &c->r;

	return r->revision >= 2 && c->bytes >= sizeof(*r) &&
	       r->length >= sizeof(*r) && r->length <= c->bytes &&
	       checksum_ok(r, r->length) && r->xsdt;
}

/* ACPI 6.4, 5.2.8: the XSDT's 64-bit entries (else 5.2.7, RSDT's 32). */
static void walk_root(const struct rsdp_copy *c)
{
	const struct acpi_rsdp *r = &c->r;
	const struct acpi_header *root = NULL;
	bool x = xsdt_usable(c);
	unsigned width;

	if (x)
		root = root_at(r->xsdt, "XSDT");
	if (!root) {
		x = false;
		root = r->rsdt ? root_at(r->rsdt, "RSDT") : NULL;
	}
	if (!root)
		return;
	info.root_name = x ? "XSDT" : "RSDT";
	width = x ? 8 : 4;
	hv_printf("acpi: RSDP rev %u, %s at %lx\n", r->revision,
		  x ? "XSDT" : "RSDT", virt_to_phys(root));
	for (unsigned off = sizeof(*root); off + width <= root->length;
	     off += width) {
		const uint8_t *e = (const uint8_t *)root + off;
		uint64_t phys;

		if (x)
			memcpy(&phys, e, 8); /* XSDT entries are 4-aligned */
		else
			phys = *(const uint32_t *)e;
		parse_table(phys);
	}
}

/*
 * The RSDP: the loader's ACPI 2.0+ copy (Multiboot2 tag 15), else its
 * ACPI 1.0 copy (tag 14), else the BIOS areas, where a UEFI machine has
 * none.
 */
static bool rsdp_choose(const struct boot_info *bi, struct rsdp_copy *c)
{
	return rsdp_from_loader(bi->rsdp_new, bi->rsdp_new_bytes,
				"multiboot2 tag 15", c) ||
	       rsdp_from_loader(bi->rsdp_old, bi->rsdp_old_bytes,
				"multiboot2 tag 14", c) ||
	       rsdp_find(c);
}

void acpi_init(const struct boot_info *bi, struct acpi_info *out)
{
	struct rsdp_copy c;
	char oem[7] = {0};

	memset(&info, 0, sizeof(info));
	info.lapic_phys = rdmsr(MSR_APIC_BASE) & PTE_ADDR;
	info.rsdp_from = "nowhere";
	info.root_name = "no root table";
	if (rsdp_choose(bi, &c)) {
		info.rsdp_from = c.from;
		info.acpi_revision = c.r.revision;
		memcpy(oem, c.r.oem_id, sizeof(c.r.oem_id));
		hv_printf("acpi: RSDP from %s, revision %u, OEM %s\n", c.from,
			  c.r.revision, oem);
		walk_root(&c);
	} else {
		hv_printf("acpi: no RSDP: APIC from its MSR, no ECAM, no "
			  "DMAR\n");
	}
	*out = info;
}

int acpi_dmar_add_rmrr(const struct dmar_rmrr *r)
{
	if (info.nrmrr == ACPI_MAX_RMRR)
		return -1;
	info.rmrr[info.nrmrr++] = *r;
	hv_printf("acpi: DMAR: RMRR %lx-%lx added (test)\n", r->base, r->limit);
	print_scopes(r->scopes, r->nscopes);
	return 0;
}

/* The scope's last hop names the function (VT-d 8.3.1.1; bridges on the
 * path are assumed to keep firmware's bus numbers). */
bool dmar_scope_matches(const struct dmar_scope *s, uint32_t bdf)
{
	uint32_t bus = s->start_bus;

	if (!s->npath)
		return false;
	for (unsigned i = 0; i + 1 < s->npath; i++) {
		uint32_t br = PCI_BDF(bus, s->path[i].dev, s->path[i].fn);

		bus = pci_secondary_bus(br);
	}
	uint32_t target = PCI_BDF(bus, s->path[s->npath - 1].dev,
				  s->path[s->npath - 1].fn);

	if (s->type == DMAR_SCOPE_PCI_ENDPOINT)
		return target == bdf;
	if (s->type == DMAR_SCOPE_PCI_SUBHIERARCHY) {
		uint32_t b = bdf >> 8;

		return target == bdf || (b >= pci_secondary_bus(target) &&
					 b <= pci_subordinate_bus(target));
	}
	return false;
}
