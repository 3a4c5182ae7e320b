/* SPDX-License-Identifier: MIT */
/*
 * Host test of config_validate() (config/validate.c): each refusal the
 * boot check must make, each with the domain and field named in the
 * message, and the shipped systems accepted.  Plain asserts of our own so
 * that every case is counted; ends with "N passed, N failed".
 */
#include <stdio.h>
#include <string.h>

#include <config/config.h>

static int passed, failed;

/* A q35-like inventory: two groups of one function, one group of three
 * functions behind a PCIe-to-PCI bridge. */
static const struct cfg_device q35_devices[] = {
	{PD_BDF(0, 1, 0), 1}, {PD_BDF(0, 2, 0), 2}, {PD_BDF(1, 0, 0), 4},
	{PD_BDF(0, 4, 0), 5}, {PD_BDF(2, 1, 0), 5}, {PD_BDF(2, 2, 0), 5},
};

static const char *const images[] = {"x86-selftest", "pasid-basic"};

static const struct platform_cfg plat = {
	.name = "test",
	.pasid_bits_cap = 20,
	.heap_bytes = 64 * CFG_MIB,
};

static struct cfg_inventory inventory(void)
{
	struct cfg_inventory inv = {
		.devices = q35_devices,
		.ndevices = sizeof(q35_devices) / sizeof(q35_devices[0]),
		.pool_bytes = 64 * CFG_MIB,
		.mem_align = 2 * CFG_MIB,
		.pasid_bits = 20,
		.images = images,
		.nimages = 2,
	};
	return inv;
}

static struct domain_cfg dom(const char *name)
{
	struct domain_cfg d = {
		.name = name,
		.image = "x86-selftest",
		.mem_bytes = 4 * CFG_MIB,
		.pasid_quota = 4,
	};
	return d;
}

/* Validates doms; expects `want` errors, the first containing each of
 * the NULL-terminated needles. */
static void expect(const char *test, const struct domain_cfg *doms, unsigned n,
		   unsigned want, const char *const *needles)
{
	struct system_cfg sys = {.name = "t", .domains = doms, .ndomains = n};
	struct cfg_inventory inv = inventory();
	struct cfg_report r;
	unsigned got = config_validate(&plat, &sys, &inv, &r);
	int ok = got == want;

	for (unsigned i = 0; ok && needles && needles[i]; i++)
		ok = got > 0 && strstr(r.errors[0], needles[i]) != NULL;
	printf("%s %s", ok ? "PASS" : "FAIL", test);
	if (got)
		printf(": \"%s\"", r.errors[0]);
	if (!ok)
		printf(" (expected %u errors, got %u)", want, got);
	printf("\n");
	if (ok)
		passed++;
	else
		failed++;
}

#define NEEDLES(...) ((const char *const[]){__VA_ARGS__, NULL})

static void test_valid(void)
{
	struct domain_cfg d[3] = {dom("a"), dom("b"), dom("c")};

	d[0].pasid_range = (struct cfg_pasid_range){0x100, 0x1ff};
	d[1].pasid_range = (struct cfg_pasid_range){0x200, 0x2ff};
	d[0].devices[0] = PD_BDF(0, 1, 0);
	d[0].ndevices = 1;
	d[1].devices[0] = PD_BDF(2, 1, 0);
	d[1].devices[1] = PD_BDF(2, 2, 0);
	d[1].devices[2] = PD_BDF(0, 4, 0);
	d[1].ndevices = 3;
	d[2].privileged = true;
	expect("valid_system", d, 3, 0, NULL);
}

static void test_pasid_ranges(void)
{
	struct domain_cfg d[2] = {dom("alpha"), dom("beta")};

	d[0].pasid_range = (struct cfg_pasid_range){0x100, 0x1ff};
	d[1].pasid_range = (struct cfg_pasid_range){0x1f0, 0x2ff};
	expect("overlapping_ranges", d, 2, 1,
	       NEEDLES("domain beta", ".pasid_range", "overlaps", "alpha"));
	d[1].pasid_range = (struct cfg_pasid_range){0x1ff, 0x1ff};
	d[1].pasid_quota = 1;
	expect("overlap_single_pasid", d, 2, 1,
	       NEEDLES("domain beta", "overlaps"));
	d[1].pasid_quota = 4;
	d[1].pasid_range = (struct cfg_pasid_range){0x200, 0x201};
	expect("quota_above_range", d, 2, 1,
	       NEEDLES("domain beta", ".pasid_quota 4", "[512, 513]"));
	d[1].pasid_range = (struct cfg_pasid_range){0x300, 0x2ff};
	expect("range_reversed", d, 2, 1,
	       NEEDLES("domain beta", ".pasid_range"));
	d[1].pasid_range = (struct cfg_pasid_range){0x300, 1u << 20};
	expect("range_beyond_space", d, 2, 1,
	       NEEDLES("domain beta", ".pasid_range", "1048575"));
	d[1].pasid_range = (struct cfg_pasid_range){0, 5};
	expect("range_includes_pasid_0", d, 2, 1,
	       NEEDLES("domain beta", ".pasid_range"));
	d[1].pasid_range = (struct cfg_pasid_range){0, 0};
	d[1].pasid_quota = 1u << 20;
	expect("quota_above_space", d, 2, 1,
	       NEEDLES("domain beta", ".pasid_quota"));
}

static void test_devices(void)
{
	struct domain_cfg d[2] = {dom("net"), dom("store")};

	d[0].devices[0] = PD_BDF(0, 1, 0);
	d[0].ndevices = 1;
	d[1].devices[0] = PD_BDF(0, 1, 0);
	d[1].ndevices = 1;
	expect("device_assigned_twice", d, 2, 1,
	       NEEDLES("domain store", ".devices[0]", "00:01.0",
		       "already assigned to domain net"));
	d[1].devices[0] = PD_BDF(0, 2, 0);
	d[1].devices[1] = PD_BDF(0, 2, 0);
	d[1].ndevices = 2;
	expect("device_twice_in_one_domain", d, 2, 1,
	       NEEDLES("domain store", ".devices[1]", "00:02.0"));
	d[1].devices[0] = PD_BDF(0, 9, 0);
	d[1].devices[1] = 0;
	d[1].ndevices = 1;
	expect("unknown_device", d, 2, 1,
	       NEEDLES("domain store", ".devices[0]", "00:09.0",
		       "no such device"));
	d[0].devices[0] = PD_BDF(2, 1, 0);
	d[1].devices[0] = PD_BDF(2, 2, 0);
	expect("isolation_group_split", d, 2, 1,
	       NEEDLES("domain store", "02:02.0", "isolation group 5",
		       "domain net", "02:01.0"));
	d[1].ndevices = 0;
	expect("device_beyond_ndevices", d, 2, 1,
	       NEEDLES("domain store", ".devices[0] 02:02.0 is beyond "
				       ".ndevices 0"));
	d[1].ndevices = CFG_MAX_DEVICES + 1;
	expect("too_many_devices", d, 2, 1,
	       NEEDLES("domain store", ".ndevices"));
}

static void test_memory(void)
{
	struct domain_cfg d[3] = {dom("big"), dom("bigger"), dom("small")};

	d[0].mem_bytes = 40 * CFG_MIB;
	d[1].mem_bytes = 30 * CFG_MIB;
	expect("memory_does_not_fit", d, 3, 1,
	       NEEDLES("domain bigger", ".mem_bytes 30 MiB", "does not fit"));
	d[2].mem_bytes = 26 * CFG_MIB;
	expect("memory_rest_checked_after_refusal", d, 3, 2,
	       NEEDLES("domain bigger", "does not fit"));
	d[1].mem_bytes = 24 * CFG_MIB - 4096;
	expect("memory_fits_exactly", d, 2, 0, NULL);
	d[1].mem_bytes = 5000;
	expect("memory_not_page_multiple", d, 2, 1,
	       NEEDLES("domain bigger", ".mem_bytes 5000"));
	d[1].mem_bytes = ~0ull - 4095;
	expect("memory_huge_no_wrap", d, 2, 1,
	       NEEDLES("domain bigger", "does not fit"));
}

static void test_names_and_images(void)
{
	struct domain_cfg d[2] = {dom("same"), dom("same")};

	expect("duplicate_name", d, 2, 1,
	       NEEDLES("domain same", ".name is used twice"));
	d[1].name = "other";
	d[1].image = "missing-guest";
	expect("unknown_image", d, 2, 1,
	       NEEDLES("domain other", ".image 'missing-guest'"));
	d[1].image = "pasid-basic";
	d[1].name = "";
	expect("empty_name", d, 2, 1, NEEDLES("domain 1", ".name is empty"));
	expect("no_domains", d, 0, 1, NEEDLES(".ndomains 0"));
}

static void expect_cpus(const char *test, const struct domain_cfg *doms,
			unsigned n, unsigned ncpus, unsigned want,
			const char *needle)
{
	struct system_cfg sys = {.name = "t", .domains = doms, .ndomains = n};
	struct cfg_inventory inv = inventory();
	struct cfg_report r;
	unsigned got;
	int ok;

	inv.ncpus = ncpus;
	got = config_validate(&plat, &sys, &inv, &r);
	ok = got == want && (!needle || (got && strstr(r.errors[0], needle)));
	printf("%s %s%s%s\n", ok ? "PASS" : "FAIL", test, got ? ": " : "",
	       got ? r.errors[0] : "");
	if (ok)
		passed++;
	else
		failed++;
}

static void test_cpus(void)
{
	struct domain_cfg d[3] = {dom("a"), dom("b"), dom("c")};

	d[1].cpu = 3;
	d[2].cpu = CFG_CPU_ANY;
	expect_cpus("cpu_exists", d, 3, 4, 0, NULL);
	expect_cpus("cpu_beyond_machine", d, 3, 2, 1,
		    "domain b: .cpu 3 does not exist: the machine has 2 CPUs");
	expect_cpus("cpu_unknown_count_is_boot_cpu_only", d, 3, 0, 1,
		    "has 1 CPUs (0-0)");
	d[1].cpu = -2;
	expect_cpus("cpu_negative", d, 3, 4, 1, ".cpu -2 does not exist");
}

static void test_many_errors_all_counted(void)
{
	struct domain_cfg d[CFG_MAX_DOMAINS];

	for (unsigned i = 0; i < CFG_MAX_DOMAINS; i++) {
		d[i] = dom("x");
		d[i].pasid_range = (struct cfg_pasid_range){1, 2};
		d[i].pasid_quota = 2;
		d[i].mem_bytes = 2 * CFG_MIB;
	}
	/* 31 duplicate names + 31 overlaps; pool holds all 32 x 2 MiB. */
	expect("errors_beyond_report_capacity", d, CFG_MAX_DOMAINS, 62,
	       NEEDLES(".name is used twice"));
}

/*
 * The systems of the board's arch (config/systems/ and
 * config/systems/x86_64/), each linked under its own name
 * (tests/config/config.mk renames system_config), against the machine of
 * config/platforms/qemu-x86_64.mk.  x86-badconfig must fail, once per
 * domain.
 */
static const struct cfg_device qemu_devices[] = {
	{PD_BDF(0, 0, 0), 0},  {PD_BDF(0, 1, 0), 1},  {PD_BDF(0, 2, 0), 2},
	{PD_BDF(0, 3, 0), 3},  {PD_BDF(1, 0, 0), 4},  {PD_BDF(0, 4, 0), 5},
	{PD_BDF(2, 1, 0), 5},  {PD_BDF(2, 2, 0), 5},  {PD_BDF(0, 5, 0), 6},
	{PD_BDF(3, 0, 0), 7},  {PD_BDF(0, 31, 0), 8}, {PD_BDF(0, 31, 2), 8},
	{PD_BDF(0, 31, 3), 8},
};

static void check_system(const struct system_cfg *sys)
{
	struct cfg_inventory inv = {
		.devices = qemu_devices,
		.ndevices = sizeof(qemu_devices) / sizeof(qemu_devices[0]),
		.pool_bytes = 444 * CFG_MIB, /* the board's -m 512M */
		.mem_align = 2 * CFG_MIB,
		.pasid_bits = 20,
		.ncpus = 4, /* the board's -smp 4 */
	};
	struct cfg_report r;
	bool bad = !strcmp(sys->name, "x86-badconfig");
	unsigned got = config_validate(&plat, sys, &inv, &r);
	int ok = bad ? got == sys->ndomains - 1 : got == 0;

	printf("%s system_%s: %u errors%s%s\n", ok ? "PASS" : "FAIL", sys->name,
	       got, got ? ", first: " : "", got ? r.errors[0] : "");
	if (ok)
		passed++;
	else
		failed++;
}

#ifndef CFG_SYSTEMS
#define CFG_SYSTEMS
#endif
#define X(id) extern const struct system_cfg id;
CFG_SYSTEMS
#undef X

static void test_shipped_systems(void)
{
#define X(id) check_system(&id);
	CFG_SYSTEMS
#undef X
}

int main(void)
{
	test_valid();
	test_pasid_ranges();
	test_devices();
	test_memory();
	test_names_and_images();
	test_many_errors_all_counted();
	test_cpus();
	test_shipped_systems();
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
