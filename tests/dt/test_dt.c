/* SPDX-License-Identifier: MIT */
/*
 * The device-tree reader (hypervisor/dt) on the host.  Real blobs: QEMU's
 * virt machine, dumped at test time (tests/dt/dt.mk), checked field by
 * field against the addresses QEMU 7.2's hw/arm/virt.c gives it; small
 * machines written by hand (tests/dt/, one .dts each) for the edge cases.  Bad
 * blobs: a corpus made here from a good one (every truncation, every
 * header field, every word of the structure block replaced, hand-built
 * structure blocks that break one rule each).  Each bad blob sits in a
 * heap buffer of exactly the size the reader is told, so that under
 * AddressSanitizer (build/host/asan/dt-test) a read past it is caught.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <paddock/dt_platform.h>
#include <paddock/fdt.h>

/* ------------------------------------------------------------------ */
/* Blobs. */

struct blob {
	uint8_t *b;
	size_t len;
};

static const char *blob_dir(void)
{
	const char *d = getenv("DT_BLOBS");

	return d ? d : "build/dt";
}

static struct blob load(const char *name)
{
	char path[512];
	struct blob r = {0};
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", blob_dir(), name);
	fp = fopen(path, "rb");
	if (!fp) {
		print_error("cannot open %s\n", path);
		return r;
	}
	fseek(fp, 0, SEEK_END);
	r.len = (size_t)ftell(fp);
	fseek(fp, 0, SEEK_SET);
	r.b = malloc(r.len ? r.len : 1);
	if (fread(r.b, 1, r.len, fp) != r.len)
		r.len = 0;
	fclose(fp);
	return r;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

enum {
	H_MAGIC,
	H_TOTALSIZE,
	H_OFF_STRUCT,
	H_OFF_STRINGS,
	H_OFF_RSVMAP,
	H_VERSION,
	H_LAST_COMP,
	H_BOOT_CPUID,
	H_SIZE_STRINGS,
	H_SIZE_STRUCT,
};

static uint32_t h(const uint8_t *b, unsigned i)
{
	return get32(b + 4 * i);
}

static void set_h(uint8_t *b, unsigned i, uint32_t v)
{
	put32(b + 4 * i, v);
}

/** A blob with totalsize cut to the end of its last block: QEMU pads
 * its DTB to 1 MiB, and the corpus wants every byte to matter. */
static struct blob load_packed(const char *name)
{
	struct blob b = load(name);
	uint32_t end = h(b.b, H_OFF_STRINGS) + h(b.b, H_SIZE_STRINGS);
	uint32_t st_end = h(b.b, H_OFF_STRUCT) + h(b.b, H_SIZE_STRUCT);

	if (st_end > end)
		end = st_end;
	if (end < b.len) {
		b.len = end;
		set_h(b.b, H_TOTALSIZE, end);
	}
	return b;
}

static unsigned checks_run;

/** fdt_check over a copy in a buffer of exactly `len` bytes (ASan sees
 * one byte past it).  On success also runs the platform reader and walks
 * every node and property, so the accessors meet the odd blob too. */
static int check_copy(const uint8_t *src, size_t len, struct fdt_err *err)
{
	uint8_t *buf = malloc(len ? len : 1);
	struct fdt f;
	int rc;

	memcpy(buf, src, len);
	rc = fdt_check(&f, buf, len, err);
	checks_run++;
	if (rc == 0) {
		static struct dt_platform p;
		struct fdt_err e2;
		uint32_t plen;

		dt_platform_read(&p, buf, len, &e2);
		for (int n = fdt_next_node(&f, -1); n >= 0;
		     n = fdt_next_node(&f, n)) {
			fdt_name(&f, n, NULL);
			fdt_parent(&f, n);
			fdt_getprop(&f, n, "reg", &plen);
			fdt_reg_count(&f, n);
		}
	} else {
		assert_true(rc < 0);
		assert_int_equal(err->code, rc);
		assert_true(strncmp(err->msg, "fdt: ", 5) == 0);
	}
	free(buf);
	return rc;
}

/** A copy of a blob relaid as header | rsvmap | strings | struct, with the
 * structure block cut to struct_len bytes and last in the buffer: a read
 * past its end is a read past the buffer. */
static struct blob struct_last(const struct blob *in, uint32_t struct_len)
{
	const uint8_t *b = in->b;
	uint32_t rsv = h(b, H_OFF_RSVMAP), str = h(b, H_OFF_STRINGS);
	uint32_t nstr = h(b, H_SIZE_STRINGS), st = h(b, H_OFF_STRUCT);
	uint32_t rsv_len = st - rsv; /* dtc puts the map right before */
	uint32_t off_rsv = 40, off_str = off_rsv + rsv_len;
	uint32_t off_st = (off_str + nstr + 3) & ~3u;
	struct blob r;

	r.len = off_st + struct_len;
	r.b = calloc(1, r.len);
	memcpy(r.b, b, 40);
	memcpy(r.b + off_rsv, b + rsv, rsv_len);
	memcpy(r.b + off_str, b + str, nstr);
	memcpy(r.b + off_st, b + st, struct_len);
	set_h(r.b, H_TOTALSIZE, (uint32_t)r.len);
	set_h(r.b, H_OFF_RSVMAP, off_rsv);
	set_h(r.b, H_OFF_STRINGS, off_str);
	set_h(r.b, H_OFF_STRUCT, off_st);
	set_h(r.b, H_SIZE_STRUCT, struct_len);
	return r;
}

/* ------------------------------------------------------------------ */
/* A structure-block builder for blobs dtc will not write. */

struct builder {
	uint8_t st[4096], str[256];
	uint32_t nst, nstr;
};

static void b_word(struct builder *w, uint32_t v)
{
	put32(w->st + w->nst, v);
	w->nst += 4;
}

static void b_begin(struct builder *w, const char *name)
{
	size_t n = strlen(name) + 1;

	b_word(w, FDT_BEGIN_NODE);
	memcpy(w->st + w->nst, name, n);
	w->nst += (uint32_t)((n + 3) & ~(size_t)3);
}

static void b_prop(struct builder *w, const char *name, const void *v,
		   uint32_t len)
{
	uint32_t nameoff = w->nstr;

	memcpy(w->str + w->nstr, name, strlen(name) + 1);
	w->nstr += (uint32_t)strlen(name) + 1;
	b_word(w, FDT_PROP);
	b_word(w, len);
	b_word(w, nameoff);
	memcpy(w->st + w->nst, v, len);
	w->nst += (len + 3) & ~3u;
}

/** header | empty rsvmap | strings | struct. */
static struct blob b_finish(const struct builder *w)
{
	struct blob r;
	uint32_t off_str = 56, off_st = (56 + w->nstr + 3) & ~3u;

	r.len = off_st + w->nst;
	r.b = calloc(1, r.len);
	set_h(r.b, H_MAGIC, FDT_MAGIC);
	set_h(r.b, H_TOTALSIZE, (uint32_t)r.len);
	set_h(r.b, H_OFF_STRUCT, off_st);
	set_h(r.b, H_OFF_STRINGS, off_str);
	set_h(r.b, H_OFF_RSVMAP, 40);
	set_h(r.b, H_VERSION, 17);
	set_h(r.b, H_LAST_COMP, 16);
	set_h(r.b, H_SIZE_STRINGS, w->nstr);
	set_h(r.b, H_SIZE_STRUCT, w->nst);
	memcpy(r.b + off_str, w->str, w->nstr);
	memcpy(r.b + off_st, w->st, w->nst);
	return r;
}

static int built_check(const struct builder *w, struct fdt_err *err)
{
	struct blob r = b_finish(w);
	int rc = check_copy(r.b, r.len, err);

	free(r.b);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The QEMU virt machine. */

static struct dt_platform plat;
static char printed[8192];
static size_t nprinted;

static void capture(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(printed + nprinted, sizeof(printed) - nprinted, fmt,
			  ap);
	va_end(ap);
	if (n > 0 && nprinted + (size_t)n < sizeof(printed))
		nprinted += (size_t)n;
}

static void read_ok(const char *name, struct blob *b)
{
	struct fdt_err err = {0};

	*b = load(name);
	assert_non_null(b->b);
	assert_true(b->len > 40);
	int rc = dt_platform_read(&plat, b->b, b->len, &err);

	if (rc)
		print_error("%s: %s\n", name, err.msg);
	assert_int_equal(rc, 0);
	nprinted = 0;
	printed[0] = '\0';
	dt_platform_print(&plat, capture);
}

static void virt_machine(void **state)
{
	struct blob b;
	uint32_t sid;
	unsigned smmu;

	(void)state;
	read_ok("virt.dtb", &b);
	assert_int_equal(plat.nmem, 1);
	assert_int_equal(plat.mem[0].base, 0x40000000);
	assert_int_equal(plat.mem[0].size, 512u << 20);
	assert_int_equal(plat.nreserved, 0);
	assert_int_equal(plat.uart.base, 0x09000000);
	assert_int_equal(plat.uart.size, 0x1000);
	assert_non_null(plat.stdout_path);
	assert_string_equal(plat.stdout_path, "/pl011@9000000");
	assert_null(plat.bootargs);
	assert_int_equal(plat.gic.dist.base, 0x08000000);
	assert_int_equal(plat.gic.dist.size, 0x10000);
	assert_int_equal(plat.gic.nredist, 1);
	assert_int_equal(plat.gic.redist[0].base, 0x080a0000);
	assert_int_equal(plat.gic.redist[0].size, 0xf60000);
	assert_true(plat.gic.has_its);
	assert_int_equal(plat.gic.its_base, 0x08080000);
	assert_int_equal(plat.gic.phandle, 0x8002);
	assert_int_equal(plat.timer_intid[DT_TIMER_SEC_PHYS], 29);
	assert_int_equal(plat.timer_intid[DT_TIMER_PHYS], 30);
	assert_int_equal(plat.timer_intid[DT_TIMER_VIRT], 27);
	assert_int_equal(plat.timer_intid[DT_TIMER_HYP_PHYS], 26);
	assert_int_equal(plat.psci.method, DT_PSCI_SMC);
	assert_int_equal(plat.psci.major, 1);
	assert_int_equal(plat.psci.minor, 0);

	assert_int_equal(plat.npci, 1);
	const struct dt_pci_host *pci = &plat.pci[0];

	assert_int_equal(pci->ecam.base, 0x4010000000ull);
	assert_int_equal(pci->ecam.size, 0x10000000);
	assert_int_equal(pci->bus_first, 0);
	assert_int_equal(pci->bus_last, 255);
	assert_true(pci->has_segment);
	assert_int_equal(pci->segment, 0);
	assert_int_equal(pci->nwindows, 3);
	assert_int_equal(pci->windows[0].space, DT_PCI_IO);
	assert_int_equal(pci->windows[0].pci, 0);
	assert_int_equal(pci->windows[0].cpu, 0x3eff0000);
	assert_int_equal(pci->windows[0].size, 0x10000);
	assert_int_equal(pci->windows[1].space, DT_PCI_MEM32);
	assert_int_equal(pci->windows[1].pci, 0x10000000);
	assert_int_equal(pci->windows[1].cpu, 0x10000000);
	assert_int_equal(pci->windows[1].size, 0x2eff0000);
	assert_false(pci->windows[1].prefetch);
	assert_int_equal(pci->windows[2].space, DT_PCI_MEM64);
	assert_int_equal(pci->windows[2].pci, 0x8000000000ull);
	assert_int_equal(pci->windows[2].cpu, 0x8000000000ull);
	assert_int_equal(pci->windows[2].size, 0x8000000000ull);
	assert_int_equal(pci->niommu_map, 1);
	assert_int_equal(pci->iommu_map[0].rid_base, 0);
	assert_int_equal(pci->iommu_map[0].length, 0x10000);
	assert_int_equal(pci->iommu_map_mask, 0xffffffffu);

	assert_int_equal(plat.nsmmu, 1);
	assert_int_equal(plat.smmu[0].reg.base, 0x09050000);
	assert_int_equal(plat.smmu[0].reg.size, 0x20000);
	assert_int_equal(pci->iommu_map[0].phandle, plat.smmu[0].phandle);
	assert_int_equal(plat.smmu[0].irq_eventq, 32 + 0x4a);
	assert_int_equal(plat.smmu[0].irq_priq, 32 + 0x4b);
	assert_int_equal(plat.smmu[0].irq_cmdq_sync, 32 + 0x4c);
	assert_int_equal(plat.smmu[0].irq_gerror, 32 + 0x4d);
	assert_int_equal(dt_pci_rid_to_sid(&plat, pci, 0x0108, &sid, &smmu), 0);
	assert_int_equal(sid, 0x108);
	assert_int_equal(smmu, 0);
	assert_int_equal(dt_pci_rid_to_sid(&plat, pci, 0xffff, &sid, &smmu), 0);
	assert_int_equal(sid, 0xffff);
	assert_int_equal(dt_pci_rid_to_sid(&plat, pci, 0x10000, &sid, &smmu),
			 -FDT_ENOTFOUND);

	assert_int_equal(plat.ncpus, 1);
	assert_int_equal(plat.cpus[0].mpidr, 0);
	assert_int_equal(plat.cpus[0].enable, DT_CPU_ENABLE_NONE);

	assert_non_null(strstr(printed, "dt: memory 40000000-5fffffff "
					"(512 MiB)\n"));
	assert_non_null(strstr(printed, "dt: gicv3 dist 8000000 redist 80a0000 "
					"(1 region)\n"));
	assert_non_null(strstr(printed, "dt: psci 1.0 via smc\n"));
	assert_non_null(strstr(printed, "dt: smmuv3 9050000 "));
	assert_non_null(strstr(printed, "dt: pci iommu-map rid 0-ffff -> "
					"sid 0 "));
	free(b.b);
}

/** The same machine with two CPUs and an edu device: enable-method psci
 * appears, nothing else moves. */
static void virt_smp_machine(void **state)
{
	struct blob b;

	(void)state;
	read_ok("virt-smp.dtb", &b);
	assert_int_equal(plat.ncpus, 2);
	assert_int_equal(plat.cpus[0].mpidr, 0);
	assert_int_equal(plat.cpus[1].mpidr, 1);
	assert_int_equal(plat.cpus[0].enable, DT_CPU_ENABLE_PSCI);
	assert_int_equal(plat.cpus[1].enable, DT_CPU_ENABLE_PSCI);
	assert_int_equal(plat.gic.dist.base, 0x08000000);
	assert_int_equal(plat.uart.base, 0x09000000);
	assert_int_equal(plat.pci[0].ecam.base, 0x4010000000ull);
	assert_int_equal(plat.mem[0].size, 1ull << 30);
	free(b.b);
}

/** The generic accessors on the virt blob. */
static void virt_accessors(void **state)
{
	struct blob b = load("virt.dtb");
	struct fdt f;
	struct fdt_err err;
	uint32_t len;
	size_t nlen;

	(void)state;
	assert_int_equal(fdt_check(&f, b.b, b.len, &err), 0);
	int cpu = fdt_path(&f, "/cpus/cpu@0", 11);

	assert_true(cpu > 0);
	assert_int_equal(fdt_path(&f, "/cpus/cpu", 9), cpu);
	assert_int_equal(fdt_path(&f, "/cpus/cpu@1", 11), -FDT_ENOTFOUND);
	assert_int_equal(fdt_path(&f, "cpus", 4), -FDT_ENOTFOUND);
	assert_int_equal(fdt_path(&f, "/", 1), 0);
	assert_string_equal(fdt_name(&f, cpu, &nlen), "cpu@0");
	assert_int_equal(nlen, 5);
	assert_int_equal(fdt_parent(&f, cpu), fdt_path(&f, "/cpus", 5));
	assert_int_equal(fdt_parent(&f, 0), -FDT_ENOTFOUND);
	int gic = fdt_find_phandle(&f, 0x8002);

	assert_true(gic > 0);
	assert_true(fdt_is_compatible(&f, gic, "arm,gic-v3"));
	assert_int_equal(fdt_find_compatible(&f, -1, "arm,gic-v3"), gic);
	assert_int_equal(fdt_find_compatible(&f, gic, "arm,gic-v3"),
			 -FDT_ENOTFOUND);
	assert_int_equal(fdt_find_phandle(&f, 0), -FDT_ENOTFOUND);
	const char *c =
		fdt_getprop(&f, fdt_path(&f, "/timer", 6), "compatible", &len);

	assert_non_null(c);
	assert_int_equal(fdt_stringlist_index(c, len, "arm,armv7-timer"), 1);
	assert_false(fdt_stringlist_contains(c, len, "arm,armv7"));
	assert_int_equal(fdt_reg_count(&f, gic), 2);
	/* Offsets that are no node are refused, not followed. */
	assert_null(fdt_getprop(&f, 4, "reg", &len));
	assert_null(fdt_getprop(&f, -3, "reg", &len));
	assert_int_equal(fdt_first_child(&f, 1 << 30), -FDT_ENOTFOUND);
	assert_int_equal(fdt_next_sibling(&f, 0), -FDT_ENOTFOUND);
	/* Every node is reached once, children then siblings. */
	unsigned all = 0;

	for (int n = fdt_next_node(&f, -1); n >= 0; n = fdt_next_node(&f, n))
		all++;
	assert_true(all > 20);
	free(b.b);
}

/* ------------------------------------------------------------------ */
/* Hand-written machines. */

static void edge_machine(void **state)
{
	struct blob b;
	uint32_t sid;
	unsigned smmu;

	(void)state;
	read_ok("edge.dtb", &b);
	assert_int_equal(plat.nmem, 3);
	assert_int_equal(plat.mem[0].base, 0x80000000);
	assert_int_equal(plat.mem[1].base, 0x880000000ull);
	assert_int_equal(plat.mem[1].size, 0x80000000);
	assert_int_equal(plat.mem[2].base, 0xc0000000);
	assert_int_equal(plat.nreserved, 2);
	assert_int_equal(plat.reserved[0].base, 0x80000000);
	assert_int_equal(plat.reserved[0].size, 0x10000);
	assert_int_equal(plat.reserved[1].base, 0x9f000000);
	assert_int_equal(plat.reserved[1].size, 0x200000);
	assert_int_equal(plat.bootargs_len, 31);
	assert_string_equal(plat.bootargs, "console=ttyAMA1 paddock.test=dt");
	assert_string_equal(plat.stdout_path, "serial1:115200n8");
	assert_int_equal(plat.uart.base, 0x1c0a0000); /* the alias's */
	assert_int_equal(plat.gic.nredist, 3);
	assert_int_equal(plat.gic.redist[1].base, 0x2f300000);
	assert_int_equal(plat.gic.redist[2].base, 0x1000000000ull);
	assert_int_equal(plat.gic.redist[2].size, 0x200000);
	assert_int_equal(plat.gic.its_base, 0x2f020000);
	assert_int_equal(plat.timer_intid[DT_TIMER_HYP_PHYS], 26);
	assert_int_equal(plat.psci.method, DT_PSCI_HVC);
	assert_int_equal(plat.psci.major, 0);
	assert_int_equal(plat.psci.minor, 2);
	assert_int_equal(plat.nsmmu, 2); /* the disabled one is left out */
	assert_int_equal(plat.smmu[0].irq_gerror, 32 + 69);
	assert_int_equal(plat.smmu[0].irq_eventq, 32 + 74);
	assert_int_equal(plat.smmu[0].irq_cmdq_sync, 4096 + 5);
	assert_int_equal(plat.smmu[0].irq_priq, DT_INTID_NONE);
	assert_int_equal(plat.smmu[1].irq_eventq, DT_INTID_NONE);

	const struct dt_pci_host *pci = &plat.pci[0];

	assert_int_equal(pci->segment, 3);
	assert_int_equal(pci->bus_first, 0x10);
	assert_int_equal(pci->bus_last, 0x1f);
	assert_int_equal(pci->nwindows, 3);
	assert_int_equal(pci->windows[2].space, DT_PCI_MEM64);
	assert_true(pci->windows[2].prefetch);
	assert_int_equal(pci->windows[2].size, 0x400000000ull);
	assert_int_equal(pci->iommu_map_mask, 0xfff8);
	/* 10:02.3 = 0x1013 -> masked 0x1010 -> smmu0, 0x100 + 0x10. */
	assert_int_equal(dt_pci_rid_to_sid(&plat, pci, 0x1013, &sid, &smmu), 0);
	assert_int_equal(sid, 0x110);
	assert_int_equal(smmu, 0);
	/* 0x1fff -> masked 0x1ff8 -> smmu1, 0x7f8. */
	assert_int_equal(dt_pci_rid_to_sid(&plat, pci, 0x1fff, &sid, &smmu), 0);
	assert_int_equal(sid, 0x7f8);
	assert_int_equal(smmu, 1);
	/* Bit 16 is masked off; 0x0fff matches no window. */
	assert_int_equal(dt_pci_rid_to_sid(&plat, pci, 0x11013, &sid, &smmu),
			 0);
	assert_int_equal(sid, 0x110);
	assert_int_equal(dt_pci_rid_to_sid(&plat, pci, 0x0fff, &sid, &smmu),
			 -FDT_ENOTFOUND);

	assert_int_equal(plat.ncpus, 2);
	assert_int_equal(plat.cpus[1].mpidr, 0x100000100ull);
	assert_int_equal(plat.cpus[0].enable, DT_CPU_ENABLE_PSCI);
	assert_int_equal(plat.cpus[1].enable, DT_CPU_ENABLE_SPIN_TABLE);

	assert_non_null(strstr(printed, "dt: reserved 9f000000-9f1fffff "
					"(2 MiB)\n"));
	assert_non_null(strstr(printed, "dt: gicv3 dist 2f000000 redist "
					"2f100000 (3 regions)\n"));
	assert_non_null(strstr(printed, "dt: psci 0.2 via hvc\n"));
	assert_non_null(strstr(printed, "dt: memory 880000000-8ffffffff "
					"(2 GiB)\n"));
	free(b.b);
}

/** The minimal machine reads; each variant fails with its own message. */
static void minimal_and_missing(void **state)
{
	static const struct {
		const char *file;
		int code;
		const char *msg;
	} cases[] = {
		{"minimal-NO_MEMORY.dtb", -FDT_EMISSING, "dt: no memory"},
		{"minimal-NO_UART.dtb", -FDT_EMISSING, "dt: no UART"},
		{"minimal-NO_GIC.dtb", -FDT_EMISSING, "dt: no GICv3"},
		{"minimal-NO_TIMER.dtb", -FDT_EMISSING,
		 "dt: no architected timer"},
		{"minimal-MANY_MEM.dtb", -FDT_ELIMIT,
		 "dt: more than 16 memory"},
		{"minimal-TRANSLATED.dtb", -FDT_EBADVALUE,
		 "dt: interrupt-controller@2f000000: parent bus@0 does not "
		 "map its children 1:1"},
		{"minimal-SHORT_TIMER.dtb", -FDT_EBADVALUE,
		 "dt: timer: 3 interrupts, need 4"},
	};
	struct blob b;

	(void)state;
	read_ok("minimal.dtb", &b);
	assert_int_equal(plat.gic.dist.base, 0x2f000000);
	assert_int_equal(plat.gic.redist[0].size, 0x200000);
	assert_int_equal(plat.psci.method, DT_PSCI_NONE);
	assert_int_equal(plat.npci + plat.nsmmu + plat.ncpus, 0);
	assert_non_null(strstr(printed, "dt: no psci\n"));
	free(b.b);
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fdt_err err = {0};

		b = load(cases[i].file);
		assert_non_null(b.b);
		int rc = dt_platform_read(&plat, b.b, b.len, &err);

		if (rc != cases[i].code ||
		    strncmp(err.msg, cases[i].msg, strlen(cases[i].msg)))
			print_error("%s: %d \"%s\"\n", cases[i].file, rc,
				    err.msg);
		assert_int_equal(rc, cases[i].code);
		assert_int_equal(err.code, rc);
		assert_memory_equal(err.msg, cases[i].msg,
				    strlen(cases[i].msg));
		free(b.b);
	}
}

/* ------------------------------------------------------------------ */
/* Malformed blobs. */

/** Every length short of the whole: with totalsize as it was (more than
 * the buffer), and with totalsize cut to match (blocks then run out). */
static void truncated_everywhere(void **state)
{
	struct blob b = load_packed("virt.dtb");
	struct fdt_err err;

	(void)state;
	for (size_t len = 0; len < b.len; len++) {
		assert_true(check_copy(b.b, len, &err) < 0);
		if (len >= 8) {
			uint8_t *c = malloc(len);

			memcpy(c, b.b, len);
			set_h(c, H_TOTALSIZE, (uint32_t)len);
			assert_true(check_copy(c, len, &err) < 0);
			free(c);
		}
	}
	/* totalsize one above the buffer: named as such. */
	assert_int_equal(check_copy(b.b, b.len - 1, &err), -FDT_EHEADER);
	assert_non_null(strstr(err.msg, "exceeds the"));
	assert_int_equal(check_copy(b.b, b.len, &err), 0);
	free(b.b);
}

/** The structure block cut at every length, last in its buffer; the
 * strings block cut at every length, last in its buffer (dtc's layout). */
static void blocks_cut_everywhere(void **state)
{
	struct blob b = load_packed("virt.dtb");
	struct fdt_err err;
	uint32_t nst = h(b.b, H_SIZE_STRUCT);

	(void)state;
	struct blob whole = struct_last(&b, nst);

	assert_int_equal(check_copy(whole.b, whole.len, &err), 0);
	free(whole.b);
	for (uint32_t n = 0; n < nst; n++) {
		struct blob cut = struct_last(&b, n);

		assert_true(check_copy(cut.b, cut.len, &err) < 0);
		free(cut.b);
	}
	uint32_t str = h(b.b, H_OFF_STRINGS), nstr = h(b.b, H_SIZE_STRINGS);

	assert_int_equal(str + nstr, b.len);
	for (uint32_t n = 0; n < nstr; n++) {
		uint8_t *c = malloc(str + n);

		memcpy(c, b.b, str + n);
		set_h(c, H_SIZE_STRINGS, n);
		set_h(c, H_TOTALSIZE, str + n);
		assert_true(check_copy(c, str + n, &err) < 0);
		free(c);
	}
	free(b.b);
}

/** Each header field given a bad value, and the message it earns. */
static void header_fields(void **state)
{
	struct blob b = load_packed("virt.dtb");
	uint32_t total = (uint32_t)b.len, st = h(b.b, H_OFF_STRUCT);
	uint32_t str = h(b.b, H_OFF_STRINGS), nst = h(b.b, H_SIZE_STRUCT);
	const struct {
		unsigned field;
		uint32_t value;
		int code;
		const char *msg;
	} cases[] = {
		{H_MAGIC, 0xedfe0dd0, -FDT_EBADMAGIC, "fdt: bad magic"},
		{H_MAGIC, 0, -FDT_EBADMAGIC, "fdt: bad magic"},
		{H_TOTALSIZE, total + 1, -FDT_EHEADER, "fdt: totalsize"},
		{H_TOTALSIZE, 0xffffffff, -FDT_EHEADER, "fdt: totalsize"},
		{H_TOTALSIZE, 39, -FDT_EHEADER, "fdt: totalsize"},
		{H_TOTALSIZE, total - 1, -FDT_EHEADER, "fdt: strings block"},
		{H_OFF_STRUCT, (total + 3) & ~3u, -FDT_EHEADER,
		 "fdt: structure block"},
		{H_OFF_STRUCT, 0xfffffffc, -FDT_EHEADER, "fdt: structure"},
		{H_OFF_STRUCT, st + 1, -FDT_EHEADER, "fdt: off_dt_struct"},
		{H_OFF_STRUCT, st + 2, -FDT_EHEADER, "fdt: off_dt_struct"},
		{H_OFF_STRUCT, 0, -FDT_EHEADER, "fdt: structure block"},
		{H_OFF_STRUCT, str, -FDT_EHEADER, "fdt: structure block"},
		{H_OFF_STRUCT, st + 8, -FDT_EHEADER, "fdt: structure block"},
		{H_SIZE_STRUCT, 0xffffffff, -FDT_EHEADER, "fdt: structure"},
		{H_SIZE_STRUCT, nst + 4, -FDT_EHEADER, "fdt: structure block"},
		{H_SIZE_STRUCT, 0, -FDT_ESTRUCT, "fdt: structure block ends"},
		{H_SIZE_STRUCT, 4, -FDT_ESTRUCT, "fdt: node name"},
		{H_OFF_STRINGS, total, -FDT_EHEADER, "fdt: strings block"},
		{H_OFF_STRINGS, 0xffffffff, -FDT_EHEADER, "fdt: strings"},
		{H_OFF_STRINGS, st, -FDT_EHEADER, "fdt: structure block"},
		{H_OFF_STRINGS, 8, -FDT_EHEADER, "fdt: strings block"},
		{H_SIZE_STRINGS, 0xffffffff, -FDT_EHEADER, "fdt: strings"},
		{H_SIZE_STRINGS, 0, -FDT_ESTRUCT, "fdt: property at offset"},
		{H_OFF_RSVMAP, 41, -FDT_EHEADER, "fdt: off_mem_rsvmap"},
		{H_OFF_RSVMAP, total, -FDT_EHEADER, "fdt: off_mem_rsvmap"},
		{H_OFF_RSVMAP, 0, -FDT_EHEADER, "fdt: off_mem_rsvmap"},
		{H_OFF_RSVMAP, st, -FDT_EHEADER, "fdt: memory reservation"},
		{H_OFF_RSVMAP, (total - 8) & ~7u, -FDT_EHEADER,
		 "fdt: memory reservation map"},
		{H_VERSION, 15, -FDT_EVERSION, "fdt: version 15"},
		{H_VERSION, 0, -FDT_EVERSION, "fdt: version 0"},
		{H_LAST_COMP, 18, -FDT_EVERSION, "fdt: version 17"},
	};
	struct fdt_err err;
	unsigned wrong = 0;

	(void)state;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t *c = malloc(b.len);

		memcpy(c, b.b, b.len);
		set_h(c, cases[i].field, cases[i].value);
		int rc = check_copy(c, b.len, &err);

		if (rc != cases[i].code ||
		    strncmp(err.msg, cases[i].msg, strlen(cases[i].msg))) {
			print_error("header case %u: %d \"%s\"\n", i, rc,
				    err.msg);
			wrong++;
		}
		free(c);
	}
	assert_int_equal(wrong, 0);
	/* A blob too short for a header, and none at all. */
	assert_int_equal(check_copy(b.b, 39, &err), -FDT_EHEADER);
	assert_int_equal(fdt_check(&(struct fdt){0}, NULL, 100, &err),
			 -FDT_EHEADER);
	/* Version 16 (no size_dt_struct) is read up to the strings. */
	uint8_t *c = malloc(b.len);

	memcpy(c, b.b, b.len);
	set_h(c, H_VERSION, 16);
	set_h(c, H_SIZE_STRUCT, 0x12345);
	assert_int_equal(check_copy(c, b.len, &err), 0);
	free(c);
	free(b.b);
}

/** Every word of the structure block replaced by each of a few values
 * that mean something to a reader (tokens, lengths, offsets), in the
 * struct-last layout: an error or a well-formed reading, never a read
 * past the buffer (AddressSanitizer watches it). */
static void every_struct_word(void **state)
{
	static const uint32_t values[] = {
		0,	    FDT_BEGIN_NODE, FDT_END_NODE,
		FDT_PROP,   FDT_NOP,	    FDT_END,
		5,	    0x7fffffff,	    0xffffffff,
		0xfffffffc, 0x1000,	    0x00000101,
	};
	struct blob b = load_packed("virt.dtb");
	struct blob base = struct_last(&b, h(b.b, H_SIZE_STRUCT));
	uint32_t st = h(base.b, H_OFF_STRUCT);
	struct fdt_err err;
	unsigned refused = 0;

	(void)state;
	for (uint32_t o = st; o + 4 <= base.len; o += 4) {
		uint32_t keep = get32(base.b + o);

		for (unsigned v = 0; v < sizeof(values) / sizeof(values[0]);
		     v++) {
			if (values[v] == keep)
				continue;
			put32(base.b + o, values[v]);
			if (check_copy(base.b, base.len, &err) < 0)
				refused++;
		}
		put32(base.b + o, keep);
	}
	assert_true(refused > 0);
	/* The string bytes of the strings block all set to non-NUL: every
	 * name runs off its block. */
	uint32_t str = h(base.b, H_OFF_STRINGS);

	memset(base.b + str, 'x', h(base.b, H_SIZE_STRINGS));
	assert_int_equal(check_copy(base.b, base.len, &err), -FDT_ESTRUCT);
	assert_non_null(strstr(err.msg, "not terminated inside the strings"));
	free(base.b);
	free(b.b);
}

/** Properties whose length or name offset points out of their block. */
static void property_fields(void **state)
{
	struct fdt_err err;
	uint32_t cell = 0;

	(void)state;
	struct builder w = {0};

	b_begin(&w, "");
	b_prop(&w, "compatible", "x", 2);
	b_word(&w, FDT_END_NODE);
	b_word(&w, FDT_END);
	assert_int_equal(built_check(&w, &err), 0);

	const uint32_t lens[] = {0xffffffff, 0xfffffff0, 0x7fffffff, 0x100, 13};
	for (unsigned i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct builder v = w;

		put32(v.st + 12, lens[i]); /* root "" takes 8 bytes */
		assert_int_equal(built_check(&v, &err), -FDT_ESTRUCT);
		assert_non_null(strstr(err.msg, "fdt: property at offset 0x8 "
						"runs past the structure "
						"block"));
	}
	const uint32_t nameoffs[] = {11, 12, 0xffffffff, 0x80000000};
	for (unsigned i = 0; i < sizeof(nameoffs) / sizeof(nameoffs[0]); i++) {
		struct builder v = w;

		put32(v.st + 16, nameoffs[i]);
		assert_int_equal(built_check(&v, &err), -FDT_ESTRUCT);
		assert_non_null(strstr(err.msg, "outside the strings block"));
	}
	/* A property header cut short by the block's end. */
	struct builder v = {0};

	b_begin(&v, "");
	b_word(&v, FDT_PROP);
	b_word(&v, 0);
	assert_int_equal(built_check(&v, &err), -FDT_ESTRUCT);
	assert_non_null(strstr(err.msg, "property header at offset 0x8"));
	(void)cell;
}

/** Structure blocks that break one rule each. */
static void structure_rules(void **state)
{
	struct fdt_err err;
	struct builder w;

	(void)state;
	/* An unterminated node name running to the block's end. */
	memset(&w, 0, sizeof(w));
	b_word(&w, FDT_BEGIN_NODE);
	memset(w.st + 4, 'n', 12);
	w.nst = 16;
	assert_int_equal(built_check(&w, &err), -FDT_ESTRUCT);
	assert_non_null(strstr(err.msg, "node name at offset 0x4 is not "
					"terminated"));

	/* No FDT_END. */
	memset(&w, 0, sizeof(w));
	b_begin(&w, "");
	b_word(&w, FDT_END_NODE);
	assert_int_equal(built_check(&w, &err), -FDT_ESTRUCT);
	assert_non_null(strstr(err.msg, "without FDT_END"));

	/* FDT_END inside the root. */
	memset(&w, 0, sizeof(w));
	b_begin(&w, "");
	b_word(&w, FDT_END);
	assert_int_equal(built_check(&w, &err), -FDT_ESTRUCT);
	assert_non_null(strstr(err.msg, "inside an open node"));

	/* A bad token. */
	memset(&w, 0, sizeof(w));
	b_begin(&w, "");
	b_word(&w, 7);
	assert_int_equal(built_check(&w, &err), -FDT_ESTRUCT);
	assert_non_null(strstr(err.msg, "unknown token 0x7 at offset 0x8"));

	/* A second root after the first. */
	memset(&w, 0, sizeof(w));
	b_begin(&w, "");
	b_word(&w, FDT_END_NODE);
	b_begin(&w, "again");
	b_word(&w, FDT_END_NODE);
	b_word(&w, FDT_END);
	assert_int_equal(built_check(&w, &err), -FDT_ESTRUCT);
	assert_non_null(strstr(err.msg, "after the root's end"));

	/* A stray FDT_END_NODE, a property outside any node, a property
	 * after a subnode, a first token that is no node. */
	memset(&w, 0, sizeof(w));
	b_begin(&w, "");
	b_word(&w, FDT_END_NODE);
	b_word(&w, FDT_END_NODE);
	b_word(&w, FDT_END);
	assert_int_equal(built_check(&w, &err), -FDT_ESTRUCT);
	assert_non_null(strstr(err.msg, "closes no node"));

	memset(&w, 0, sizeof(w));
	b_begin(&w, "");
	b_word(&w, FDT_END_NODE);
	b_prop(&w, "late", "", 0);
	b_word(&w, FDT_END);
	assert_int_equal(built_check(&w, &err), -FDT_ESTRUCT);
	assert_non_null(strstr(err.msg, "outside any node"));

	memset(&w, 0, sizeof(w));
	b_begin(&w, "");
	b_begin(&w, "child");
	b_word(&w, FDT_END_NODE);
	b_prop(&w, "late", "", 0);
	b_word(&w, FDT_END_NODE);
	b_word(&w, FDT_END);
	assert_int_equal(built_check(&w, &err), -FDT_ESTRUCT);
	assert_non_null(strstr(err.msg, "follows a subnode"));

	memset(&w, 0, sizeof(w));
	b_word(&w, FDT_NOP);
	b_begin(&w, "");
	b_word(&w, FDT_END_NODE);
	b_word(&w, FDT_END);
	assert_int_equal(built_check(&w, &err), -FDT_ESTRUCT);
	assert_non_null(strstr(err.msg, "does not start with the root"));

	/* NOPs anywhere else, and padding after FDT_END, are fine. */
	memset(&w, 0, sizeof(w));
	b_begin(&w, "");
	b_word(&w, FDT_NOP);
	b_begin(&w, "a");
	b_word(&w, FDT_NOP);
	b_word(&w, FDT_END_NODE);
	b_word(&w, FDT_END_NODE);
	b_word(&w, FDT_NOP);
	b_word(&w, FDT_END);
	b_word(&w, 0);
	assert_int_equal(built_check(&w, &err), 0);
}

/** Nesting up to FDT_MAX_DEPTH reads, one deeper is refused. */
static void nesting_depth(void **state)
{
	struct fdt_err err;

	(void)state;
	for (unsigned depth = FDT_MAX_DEPTH; depth <= FDT_MAX_DEPTH + 1;
	     depth++) {
		struct builder w = {0};

		for (unsigned i = 0; i < depth; i++)
			b_begin(&w, i ? "n" : "");
		for (unsigned i = 0; i < depth; i++)
			b_word(&w, FDT_END_NODE);
		b_word(&w, FDT_END);
		int rc = built_check(&w, &err);

		if (depth == FDT_MAX_DEPTH) {
			assert_int_equal(rc, 0);
			/* And the deepest node's parent is found. */
			struct blob r = b_finish(&w);
			struct fdt f;

			assert_int_equal(fdt_check(&f, r.b, r.len, NULL), 0);
			int n = 0, prev = -1;

			while (fdt_first_child(&f, n) >= 0) {
				prev = n;
				n = fdt_first_child(&f, n);
			}
			assert_int_equal(fdt_parent(&f, n), prev);
			free(r.b);
		} else {
			assert_int_equal(rc, -FDT_EDEPTH);
			assert_non_null(strstr(err.msg, "nested deeper"));
		}
	}
}

/** The memory reservation map without its terminating entry. */
static void rsvmap_unterminated(void **state)
{
	struct builder w = {0};
	struct fdt_err err;

	(void)state;
	b_begin(&w, "");
	b_word(&w, FDT_END_NODE);
	b_word(&w, FDT_END);
	struct blob r = b_finish(&w);

	/* Map at 40, then strings at 56 and struct: make the map's entry
	 * non-zero so that it runs on through the blob. */
	memset(r.b + 40, 0xff, 16);
	assert_true(check_copy(r.b, r.len, &err) < 0);
	/* Entries reaching into the structure block: refused too. */
	put32(r.b + 40, 0);
	assert_true(check_copy(r.b, r.len, &err) < 0);
	free(r.b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(virt_machine),
		cmocka_unit_test(virt_smp_machine),
		cmocka_unit_test(virt_accessors),
		cmocka_unit_test(edge_machine),
		cmocka_unit_test(minimal_and_missing),
		cmocka_unit_test(truncated_everywhere),
		cmocka_unit_test(blocks_cut_everywhere),
		cmocka_unit_test(header_fields),
		cmocka_unit_test(every_struct_word),
		cmocka_unit_test(property_fields),
		cmocka_unit_test(structure_rules),
		cmocka_unit_test(nesting_depth),
		cmocka_unit_test(rsvmap_unterminated),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	printf("dt: %u blobs checked\n", checks_run);
	printf("%d passed, %d failed\n",
	       (int)(sizeof(tests) / sizeof(tests[0])) - failed, failed);
	return failed != 0;
}
