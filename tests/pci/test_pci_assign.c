/* SPDX-License-Identifier: MIT */
/*
 * pci_assign() (hypervisor/pci/pci_assign.c) and pci_scan() after it,
 * against the configuration space model of fake_ecam.h laid out as QEMU's
 * Arm virt machine with the test devices of the x86 board
 * (config/platforms/qemu-x86_64.mk), booted without firmware:
 *   00:00.0 host bridge   00:01.0 root port -> 01:00.0 edu
 *   00:02.0 PCIe-to-PCI bridge -> 02:01.0, 02:02.0 edu
 *   00:03.0 root port -> 03:00.0 edu
 * The windows are virt's (its device tree's pcie ranges): ECAM at
 * 0x4010000000, 32-bit memory PCI 0x10000000 = CPU 0x10000000, size
 * 0x2eff0000, 64-bit memory 0x8000000000 (512 GiB).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <paddock/fmt.h>
#include <paddock/hypercall.h>
#include <paddock/pci.h>

#include "fake_ecam.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define ECAM_BASE 0x4010000000ull
#define MIB	  (1ull << 20)

static const struct pci_mem_window virt_mmio32 = {
	.cpu = 0x10000000, .pci = 0x10000000, .size = 0x2eff0000};
static const struct pci_mem_window virt_mmio64 = {
	.cpu = 0x8000000000, .pci = 0x8000000000, .size = 0x8000000000};
static struct pci_ecam ecam = {.phys = ECAM_BASE, .end_bus = 0xff};
static struct fake_qemu q;

static char hv_log[16384];
static size_t hv_log_len;

/* The hypervisor's log, kept for the tests to read. */
void hv_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = pd_vsnprintf(hv_log + hv_log_len, sizeof(hv_log) - hv_log_len, fmt,
			 ap);
	va_end(ap);
	if (n > 0)
		hv_log_len += (size_t)n;
	if (hv_log_len >= sizeof(hv_log))
		hv_log_len = sizeof(hv_log) - 1;
	if (getenv("PADDOCK_TEST_VERBOSE"))
		fputs(hv_log + hv_log_len - (n > 0 ? (size_t)n : 0), stdout);
}

static void assert_logged(const char *line)
{
	if (!strstr(hv_log, line))
		fail_msg("not in the log: \"%s\"\nlog:\n%s", line, hv_log);
}

static int setup(void **state)
{
	hv_log_len = 0;
	hv_log[0] = '\0';
	ecam.end_bus = 0xff;
	fake_ecam_reset(ECAM_BASE, 0);
	fake_qemu_topology(&q);
	return 0;
}

static uint32_t bdf_of(int idx)
{
	uint32_t bdf = 0;

	assert_true(fake_bdf(idx, &bdf));
	return bdf;
}

static uint32_t reg(int idx, unsigned off)
{
	return fake_get(idx)->cfg[off / 4];
}

static uint16_t command(int idx)
{
	return (uint16_t)reg(idx, PCI_COMMAND);
}

/* A bridge's memory window [base, limit], or false when closed. */
static bool mem_window(int idx, uint64_t *base, uint64_t *limit)
{
	uint32_t v = reg(idx, 0x20);

	*base = (uint64_t)(v & 0xfff0) << 16;
	*limit = ((uint64_t)(v >> 16 & 0xfff0) << 16) | 0xfffff;
	return *base <= *limit;
}

static bool pref_window(int idx, uint64_t *base, uint64_t *limit)
{
	uint32_t v = reg(idx, 0x24);

	*base = (uint64_t)(v & 0xfff0) << 16 | (uint64_t)reg(idx, 0x28) << 32;
	*limit = ((uint64_t)(v >> 16 & 0xfff0) << 16) | 0xfffff |
		 (uint64_t)reg(idx, 0x2c) << 32;
	return *base <= *limit;
}

static bool inside(uint64_t a, uint64_t size, uint64_t base, uint64_t limit)
{
	return a >= base && a + size - 1 <= limit;
}

/* Every placed BAR: naturally aligned, inside a host window, disjoint. */
static void assert_bars_sane(const struct pci_mem_window *w32,
			     const struct pci_mem_window *w64)
{
	struct {
		uint64_t a, size;
	} seen[FAKE_MAX_FN * 6];
	unsigned n = 0;

	for (unsigned i = 0; i < fake_count(); i++) {
		for (unsigned b = 0; b < 6; b++) {
			uint64_t size = fake_get((int)i)->bar_size[b];
			uint64_t a = fake_bar_addr((int)i, b);

			if (!size || (fake_get((int)i)->bar_flags[b] & 1) || !a)
				continue;
			assert_int_equal(a & (size - 1), 0);
			assert_true(inside(a, size, w32->pci,
					   w32->pci + w32->size - 1) ||
				    (w64 && inside(a, size, w64->pci,
						   w64->pci + w64->size - 1)));
			for (unsigned k = 0; k < n; k++)
				assert_true(a + size <= seen[k].a ||
					    seen[k].a + seen[k].size <= a);
			seen[n].a = a;
			seen[n++].size = size;
		}
	}
}

/* Every placed BAR below a bridge lies in that bridge's window. */
static void assert_windows_cover(void)
{
	for (unsigned i = 0; i < fake_count(); i++) {
		const struct fake_fn *f = fake_get((int)i);

		for (unsigned b = 0; b < 6; b++) {
			uint64_t a = fake_bar_addr((int)i, b), base, limit;
			uint64_t size = f->bar_size[b];
			bool in_pref = false;

			if (!size || (f->bar_flags[b] & 1) || !a)
				continue;
			for (int up = f->parent; up != FAKE_ROOT;
			     up = fake_get(up)->parent) {
				bool in_mem = mem_window(up, &base, &limit) &&
					      inside(a, size, base, limit);

				in_pref = pref_window(up, &base, &limit) &&
					  inside(a, size, base, limit);
				assert_true(in_mem || in_pref);
			}
		}
	}
}

static void assign_virt(void)
{
	assert_true(pci_needs_assign(&ecam));
	assert_int_equal(pci_assign(&ecam, &virt_mmio32, &virt_mmio64), 0);
	assert_int_equal(fake_conflicts(), 0);
}

/* ------------------------------------------------------------------ */

static void buses_numbered_depth_first(void **state)
{
	assign_virt();
	/* primary, secondary, subordinate (PCI-to-PCI Bridge 1.2, 3.2.5). */
	assert_int_equal(reg(q.rp1, 0x18) & 0xffffff, 0x010100);
	assert_int_equal(reg(q.pbr, 0x18) & 0xffffff, 0x020200);
	assert_int_equal(reg(q.rp2, 0x18) & 0xffffff, 0x030300);
	assert_int_equal(bdf_of(q.edu1), PCI_BDF(1, 0, 0));
	assert_int_equal(bdf_of(q.edu2a), PCI_BDF(2, 1, 0));
	assert_int_equal(bdf_of(q.edu2b), PCI_BDF(2, 2, 0));
	assert_int_equal(bdf_of(q.edu3), PCI_BDF(3, 0, 0));
	assert_logged("pci: 00:02.0 bridge: buses 02-02\n");
	assert_logged("pci: assigned buses 00-03, 0 left disabled\n");
	assert_false(pci_needs_assign(&ecam));
}

static void nested_bridge_subordinate_covers_below(void **state)
{
	int rp, pbr, edu, rp2, edu2;

	fake_ecam_reset(ECAM_BASE, 0);
	rp = fake_add(FAKE_ROOT, 1, 0, FAKE_ROOT_PORT);
	pbr = fake_add(rp, 0, 0, FAKE_PCIE_PCI_BRIDGE);
	edu = fake_add(pbr, 3, 0, FAKE_EDU);
	rp2 = fake_add(FAKE_ROOT, 2, 0, FAKE_ROOT_PORT);
	edu2 = fake_add(rp2, 0, 0, FAKE_EDU);
	assert_int_equal(pci_assign(&ecam, &virt_mmio32, NULL), 0);
	assert_int_equal(reg(rp, 0x18) & 0xffffff, 0x020100);
	assert_int_equal(reg(pbr, 0x18) & 0xffffff, 0x020201);
	assert_int_equal(reg(rp2, 0x18) & 0xffffff, 0x030300);
	assert_int_equal(bdf_of(edu), PCI_BDF(2, 3, 0));
	assert_int_equal(bdf_of(edu2), PCI_BDF(3, 0, 0));
	assert_int_equal(fake_conflicts(), 0);
	assert_bars_sane(&virt_mmio32, NULL);
	assert_windows_cover();
}

static void bars_aligned_inside_disjoint(void **state)
{
	int edus[] = {q.edu1, q.edu2a, q.edu2b, q.edu3};

	assign_virt();
	assert_bars_sane(&virt_mmio32, &virt_mmio64);
	for (unsigned i = 0; i < ARRAY_SIZE(edus); i++) {
		uint64_t base, size;

		assert_true(pci_bar0(bdf_of(edus[i]), &base, &size));
		assert_int_equal(size, MIB);
		assert_true(inside(base, size, 0x10000000, 0x3efeffff));
	}
	/* The bridges' own BARs too: the root port's and the 64-bit one. */
	assert_int_not_equal(fake_bar_addr(q.rp1, 0), 0);
	assert_int_not_equal(fake_bar_addr(q.pbr, 0), 0);
	assert_logged("pci: 01:00.0 BAR0 ");
	assert_logged(" (1 MiB, 32-bit)\n");
	assert_logged(" (256 bytes, 64-bit)\n");
}

static void bridge_windows_cover_children(void **state)
{
	uint64_t base, limit, base2, limit2;

	assign_virt();
	assert_windows_cover();
	/* Siblings' windows are disjoint. */
	assert_true(mem_window(q.rp1, &base, &limit));
	assert_true(mem_window(q.rp2, &base2, &limit2));
	assert_true(limit < base2 || limit2 < base);
	/* The PCIe-to-PCI bridge's reset window [0, 1 MiB) is gone. */
	assert_true(mem_window(q.pbr, &base, &limit));
	assert_true(base >= 0x10000000);
	/* Nothing prefetchable here: those windows closed, I/O too. */
	assert_false(pref_window(q.rp1, &base, &limit));
	assert_true((reg(q.pbr, 0x1c) & 0xf0) > (reg(q.pbr, 0x1c) >> 8 & 0xf0));
}

static void bridges_forward_endpoints_do_not_master(void **state)
{
	int bridges[] = {q.rp1, q.pbr, q.rp2};
	int edus[] = {q.edu1, q.edu2a, q.edu2b, q.edu3};

	fake_get(q.edu1)->cfg[1] |= PCI_COMMAND_MASTER; /* left on before */
	assign_virt();
	for (unsigned i = 0; i < ARRAY_SIZE(bridges); i++)
		assert_int_equal(command(bridges[i]) & 0x7,
				 PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	for (unsigned i = 0; i < ARRAY_SIZE(edus); i++)
		assert_int_equal(command(edus[i]) & 0x7, PCI_COMMAND_MEMORY);
}

static void scan_after_assign_finds_devices_and_groups(void **state)
{
	struct pci_inventory inv;
	uint32_t group[8];

	assign_virt();
	pci_scan(&ecam, 1, &inv);
	assert_int_equal(inv.ndevices, 8);
	for (unsigned i = 0; i < 8; i++)
		group[i] = inv.devices[i].group;
	assert_int_equal(inv.devices[2].bdf, PCI_BDF(1, 0, 0));
	assert_int_equal(inv.devices[4].bdf, PCI_BDF(2, 1, 0));
	assert_int_equal(inv.devices[5].bdf, PCI_BDF(2, 2, 0));
	assert_int_equal(inv.devices[7].bdf, PCI_BDF(3, 0, 0));
	/* Behind the PCIe-to-PCI bridge: one group with it, its alias. */
	assert_int_equal(group[4], group[3]);
	assert_int_equal(group[5], group[3]);
	assert_int_equal(pci_requester_id(PCI_BDF(2, 1, 0)), PCI_BDF(2, 0, 0));
	/* Behind root ports: each edu alone. */
	assert_int_not_equal(group[2], group[1]);
	assert_int_not_equal(group[7], group[6]);
	assert_int_not_equal(group[2], group[7]);
	assert_int_not_equal(group[2], group[4]);
	assert_int_equal(inv.ngroups, 6);
}

static void prefetchable_64_bit_goes_to_the_64_bit_window(void **state)
{
	int rp, dev;
	uint64_t base, limit, a;

	fake_ecam_reset(ECAM_BASE, 0);
	rp = fake_add(FAKE_ROOT, 1, 0, FAKE_ROOT_PORT);
	dev = fake_add(rp, 0, 0, FAKE_PLAIN);
	fake_bar(dev, 0, 0x20, 0x1);	       /* I/O */
	fake_bar(dev, 1, 0x1000, 0);	       /* 32-bit */
	fake_bar(dev, 4, 16 * MIB, 0x4 | 0x8); /* 64-bit prefetchable */
	assert_int_equal(pci_assign(&ecam, &virt_mmio32, &virt_mmio64), 0);
	a = fake_bar_addr(dev, 4);
	assert_true(inside(a, 16 * MIB, 0x8000000000, 0xffffffffff));
	assert_true(pref_window(rp, &base, &limit));
	assert_true(inside(a, 16 * MIB, base, limit));
	assert_true(
		inside(fake_bar_addr(dev, 1), 0x1000, 0x10000000, 0x3efeffff));
	/* The I/O BAR is left as it was and I/O decoding stays off. */
	assert_int_equal(reg(dev, 0x10), 1);
	assert_int_equal(command(dev) & 0x1, 0);
	assert_windows_cover();
	assert_logged(" (16 MiB, 64-bit prefetchable)\n");

	/* Without a 64-bit window it goes in the 32-bit one. */
	fake_ecam_reset(ECAM_BASE, 0);
	rp = fake_add(FAKE_ROOT, 1, 0, FAKE_ROOT_PORT);
	dev = fake_add(rp, 0, 0, FAKE_PLAIN);
	fake_bar(dev, 4, 16 * MIB, 0x4 | 0x8);
	assert_int_equal(pci_assign(&ecam, &virt_mmio32, NULL), 0);
	a = fake_bar_addr(dev, 4);
	assert_true(inside(a, 16 * MIB, 0x10000000, 0x3efeffff));
	assert_false(pref_window(rp, &base, &limit));
	assert_windows_cover();
}

static void window_too_small_leaves_the_device_disabled(void **state)
{
	/* 6 MiB: everything but the last edu (at 0x10600000) fits. */
	struct pci_mem_window small = {
		.cpu = 0x10000000, .pci = 0x10000000, .size = 6 * MIB};
	uint64_t base, limit;

	assert_int_equal(pci_assign(&ecam, &small, NULL), 1);
	assert_logged("pci: 03:00.0 BAR0 (1 MiB) does not fit the 32-bit "
		      "window 10000000-105fffff\n");
	assert_logged("pci: 03:00.0 left disabled\n");
	assert_int_equal(fake_bar_addr(q.edu3, 0), 0);
	assert_int_equal(command(q.edu3) & PCI_COMMAND_MEMORY, 0);
	assert_false(mem_window(q.rp2, &base, &limit));
	assert_bars_sane(&small, NULL);
	assert_windows_cover();

	/* A BAR bigger than the whole window: refused, not wrapped. */
	setup(NULL);
	fake_bar(q.edu1, 0, 1ull << 30, 0);
	assert_int_equal(pci_assign(&ecam, &virt_mmio32, NULL), 1);
	assert_logged("pci: 01:00.0 BAR0 (1 GiB) does not fit");
	assert_bars_sane(&virt_mmio32, NULL);
}

static void window_at_the_top_of_the_address_space(void **state)
{
	/* A 64-bit window ending at 2^64 - 1 MiB: sizes near the end must
	 * not wrap past it. */
	struct pci_mem_window top = {.cpu = 0xfffffffff0000000ull,
				     .pci = 0xfffffffff0000000ull,
				     .size = 0xff00000};
	int rp, dev;

	fake_ecam_reset(ECAM_BASE, 0);
	rp = fake_add(FAKE_ROOT, 1, 0, FAKE_ROOT_PORT);
	dev = fake_add(rp, 0, 0, FAKE_PLAIN);
	fake_bar(dev, 0, 1ull << 28, 0x4 | 0x8); /* 256 MiB: too big */
	fake_bar(dev, 2, 1ull << 20, 0x4 | 0x8);
	assert_int_equal(pci_assign(&ecam, &virt_mmio32, &top), 1);
	assert_logged("pci: 01:00.0 BAR0 (256 MiB) does not fit the 64-bit "
		      "window fffffffff0000000-ffffffffffefffff\n");
	assert_true(inside(fake_bar_addr(dev, 2), 1ull << 20, top.pci,
			   top.pci + top.size - 1));
}

static void too_many_buses_leaves_the_bridge_disabled(void **state)
{
	struct pci_inventory inv;

	ecam.end_bus = 2;
	assert_int_equal(pci_assign(&ecam, &virt_mmio32, &virt_mmio64), 1);
	assert_logged("pci: 00:03.0 bridge: no bus number left (the ECAM "
		      "window has buses 00-02); left disabled\n");
	assert_int_equal(reg(q.rp2, 0x18) & 0xffffff, 0);
	assert_int_equal(command(q.rp2) & 0x7, 0);
	assert_false(fake_bdf(q.edu3, &(uint32_t){0}));
	pci_scan(&ecam, 1, &inv);
	assert_int_equal(inv.ndevices, 7);
}

static void bus_to_cpu_through_the_window_offset(void **state)
{
	/* CPU 0x30000000 reaches PCI 0x10000000. */
	struct pci_mem_window shifted = {
		.cpu = 0x30000000, .pci = 0x10000000, .size = 0x10000000};
	uint64_t bus_addr, cpu, size;

	assert_int_equal(pci_assign(&ecam, &shifted, NULL), 0);
	bus_addr = fake_bar_addr(q.edu1, 0);
	assert_true(pci_bar0(PCI_BDF(1, 0, 0), &cpu, &size));
	assert_int_equal(cpu, bus_addr + 0x20000000);
	assert_logged(" = CPU 3");
	/* Outside every window: no CPU address. */
	assert_false(pci_bus_to_cpu(0x20000000, 0x1000, &cpu));
	assert_false(pci_bus_to_cpu(0x1ffff000, 0x2000, &cpu));
	/* No window registered (x86): identity. */
	pci_set_mem_windows(NULL, 0);
	assert_true(pci_bus_to_cpu(0x12345000, 0x1000, &cpu));
	assert_int_equal(cpu, 0x12345000);
}

static void stale_bus_numbers_are_replaced(void **state)
{
	/* A later sibling claiming bus 1 must not shadow the first's. */
	fake_get(q.rp2)->cfg[0x18 / 4] = 0x010100;
	assign_virt();
	assert_int_equal(bdf_of(q.edu1), PCI_BDF(1, 0, 0));
	assert_int_equal(bdf_of(q.edu3), PCI_BDF(3, 0, 0));
}

static void unusable_arguments_are_refused(void **state)
{
	struct pci_mem_window high = {
		.cpu = 0x100000000, .pci = 0x100000000, .size = MIB};
	struct pci_mem_window wraps = {.cpu = 0x10000000,
				       .pci = 0xfffffffffff00000ull,
				       .size = 2 * MIB};
	struct pci_ecam other = ecam;

	assert_int_equal(pci_assign(&ecam, NULL, NULL), -1);
	assert_int_equal(pci_assign(&ecam, &high, NULL), -1);
	assert_int_equal(pci_assign(&ecam, &virt_mmio32, &wraps), -1);
	other.segment = 1;
	assert_int_equal(pci_assign(&other, &virt_mmio32, NULL), -1);
	/* Nothing was touched. */
	assert_int_equal(reg(q.rp1, 0x18), 0);
	assert_int_equal(fake_bar_addr(q.edu1, 0), 0);
}

static void firmware_assigned_is_detected(void **state)
{
	int dev;

	assert_true(pci_needs_assign(&ecam));
	assign_virt();
	assert_false(pci_needs_assign(&ecam));
	/* No bridge: whether anything on the bus decodes. */
	fake_ecam_reset(ECAM_BASE, 0);
	dev = fake_add(FAKE_ROOT, 1, 0, FAKE_EDU);
	assert_true(pci_needs_assign(&ecam));
	fake_get(dev)->cfg[1] |= PCI_COMMAND_MEMORY;
	assert_false(pci_needs_assign(&ecam));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(buses_numbered_depth_first, setup),
		cmocka_unit_test_setup(nested_bridge_subordinate_covers_below,
				       setup),
		cmocka_unit_test_setup(bars_aligned_inside_disjoint, setup),
		cmocka_unit_test_setup(bridge_windows_cover_children, setup),
		cmocka_unit_test_setup(bridges_forward_endpoints_do_not_master,
				       setup),
		cmocka_unit_test_setup(
			scan_after_assign_finds_devices_and_groups, setup),
		cmocka_unit_test_setup(
			prefetchable_64_bit_goes_to_the_64_bit_window, setup),
		cmocka_unit_test_setup(
			window_too_small_leaves_the_device_disabled, setup),
		cmocka_unit_test_setup(window_at_the_top_of_the_address_space,
				       setup),
		cmocka_unit_test_setup(
			too_many_buses_leaves_the_bridge_disabled, setup),
		cmocka_unit_test_setup(bus_to_cpu_through_the_window_offset,
				       setup),
		cmocka_unit_test_setup(stale_bus_numbers_are_replaced, setup),
		cmocka_unit_test_setup(unusable_arguments_are_refused, setup),
		cmocka_unit_test_setup(firmware_assigned_is_detected, setup),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	printf("%d passed, %d failed\n", (int)ARRAY_SIZE(tests) - failed,
	       failed);
	return failed != 0;
}
