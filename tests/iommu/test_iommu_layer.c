/* SPDX-License-Identifier: MIT */
/*
 * The generic IOMMU layer (hypervisor/iommu/) and PCI enumeration
 * (hypervisor/pci/) against a mock driver (mock_driver.c) and a fake ECAM
 * space in host memory, inside the small test system of tests/support.
 *
 * The fake PCI topology (two segment-0 ECAM windows):
 *   00:03.0  an endpoint, domain 2's
 *   00:04.0  a PCIe-to-PCI bridge, secondary bus 5
 *   05:01.0, 05:02.0  two endpoints behind it, domain 1's: their DMA
 *            carries the bridge's alias 05:00.0
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <paddock/iommu_glue.h>
#include <paddock/iommu_layer.h>
#include <paddock/pci.h>

#include "check.h"
#include "mock_driver.h"

#define DEV_C	PCI_BDF(0, 3, 0)
#define BRIDGE	PCI_BDF(0, 4, 0)
#define DEV_A	PCI_BDF(5, 1, 0)
#define DEV_B	PCI_BDF(5, 2, 0)
#define ALIAS	PCI_BDF(5, 0, 0)
#define ECAM_BUS (1u << 20) /* one bus's configuration space */

/* PCI Local Bus 3.0, 6.1 and PCIe Base 5.0, 7.5.3: the fields used. */
#define CFG_VENDOR	0x00
#define CFG_COMMAND	0x04
#define CFG_CLASS	0x08
#define CFG_HEADER	0x0c
#define CFG_BUSES	0x18
#define CFG_CAP_PTR	0x34
#define STATUS_CAPS	(1u << 20)
#define CLASS_PCI_BRIDGE 0x06040000u
#define PCIE_CAP	0x40

/* ------------------------------------------------------------------ */
/* The arch hooks (paddock/iommu_glue.h) and the hypervisor's system.  */

const char arch_name[] = "test";
static struct world *cur;
static struct {
	unsigned calls;
	uint32_t source, pasid;
	bool pasid_valid;
	domid_t owner;
} test_fault_seen;

void *arch_phys_to_virt(uint64_t pa)
{
	return (void *)(uintptr_t)pa;
}

uint64_t arch_virt_to_phys(const void *va)
{
	return (uint64_t)(uintptr_t)va;
}

void arch_dma_flush(const void *va, size_t len)
{
	(void)va;
	(void)len;
}

uint32_t arch_device_requester_id(uint32_t device)
{
	return pci_requester_id(device);
}

struct hv_system *hv_system(void)
{
	return &cur->sys;
}

void test_dma_fault(uint32_t source, bool pasid_valid, uint32_t pasid,
		    domid_t owner)
{
	test_fault_seen.calls++;
	test_fault_seen.source = source;
	test_fault_seen.pasid_valid = pasid_valid;
	test_fault_seen.pasid = pasid;
	test_fault_seen.owner = owner;
}

/* ------------------------------------------------------------------ */
/* The fake configuration space.                                        */

static uint8_t *bus0, *bus5;

static uint32_t *cfg(uint32_t bdf, unsigned off)
{
	uint8_t *bus = (bdf >> 8) == 0 ? bus0 : bus5;

	return (uint32_t *)(bus + ((bdf & 0xff) << 12) + off);
}

static void endpoint(uint32_t bdf)
{
	*cfg(bdf, CFG_VENDOR) = 0x11e81234;
	*cfg(bdf, CFG_COMMAND) = PCI_COMMAND_MASTER | PCI_COMMAND_MEMORY;
	*cfg(bdf, CFG_CLASS) = 0x00ff0000;
	*cfg(bdf, CFG_HEADER) = 0;
}

static void pcie_to_pci_bridge(uint32_t bdf, uint8_t secondary)
{
	*cfg(bdf, CFG_VENDOR) = 0x00018086;
	*cfg(bdf, CFG_COMMAND) = STATUS_CAPS;
	*cfg(bdf, CFG_CLASS) = CLASS_PCI_BRIDGE;
	*cfg(bdf, CFG_HEADER) = 1u << 16; /* type 1 */
	*cfg(bdf, CFG_BUSES) = (uint32_t)secondary << 16 | secondary << 8;
	*cfg(bdf, CFG_CAP_PTR) = PCIE_CAP;
	/* PCI Express capability, Device/Port Type 7 (bits 7:4). */
	*cfg(bdf, PCIE_CAP) = 0x10 | 0x7u << 20;
}

static struct pci_inventory inv;

static int fake_pci(void)
{
	bus0 = malloc(ECAM_BUS);
	bus5 = malloc(ECAM_BUS);
	if (!bus0 || !bus5)
		return -1;
	memset(bus0, 0xff, ECAM_BUS);
	memset(bus5, 0xff, ECAM_BUS);
	endpoint(DEV_C);
	pcie_to_pci_bridge(BRIDGE, 5);
	endpoint(DEV_A);
	endpoint(DEV_B);

	/* Bus 5's window starts at bus 5; the last is another segment's. */
	struct pci_ecam windows[] = {
		{.phys = (uintptr_t)bus0, .start_bus = 0, .end_bus = 0},
		{.phys = (uintptr_t)bus5, .start_bus = 5, .end_bus = 5},
		{.phys = 0x1000, .segment = 1, .start_bus = 0, .end_bus = 255},
	};

	pci_scan(windows, 3, &inv);
	return 0;
}

/* ------------------------------------------------------------------ */
/* A system of three domains over one mock unit serving every device.   */

struct fixture {
	struct world w;
	struct pasid_err err;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct world_cfg wc = {.bits = 10, .ndoms = 3, .quota = 16};
	struct iommu_unit_desc desc = {.reg_base = 0xfed90000,
				       .catch_all = true};

	if (!f || world_init(&f->w, &wc) < 0)
		return -1;
	cur = &f->w;
	memset(&test_fault_seen, 0, sizeof(test_fault_seen));
	if (fake_pci() < 0)
		return -1;
	iommu_layer_init(&mock_driver_ops, 4);
	if (iommu_unit_add(&desc) < 0)
		return -1;
	if (pasid_device_add(&f->w.m, DEV_A, 1, iommu_get(0), &f->err) < 0 ||
	    pasid_device_add(&f->w.m, DEV_B, 1, iommu_get(0), &f->err) < 0 ||
	    pasid_device_add(&f->w.m, DEV_C, 2, iommu_get(0), &f->err) < 0 ||
	    hv_source_add(&f->w.sys, ALIAS, 1) < 0 ||
	    hv_source_add(&f->w.sys, DEV_C, 2) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	world_fini(&f->w);
	iommu_layer_reset();
	free(bus0);
	free(bus5);
	free(f);
	return 0;
}

static struct mock_unit *unit0(void)
{
	return mock_unit_get(0);
}

static uint32_t bound_pasid(struct fixture *f, domid_t dom, uint32_t dev)
{
	struct pasid_bind_req req = {.device = dev,
				     .kind = PASID_ENTRY_SECOND_LEVEL,
				     .sl_root = hpa(0x200000)};
	uint32_t pasid;

	assert_int_equal(pasid_alloc(&f->w.m, dom, &pasid, &f->err), 0);
	assert_int_equal(pasid_bind(&f->w.m, dom, pasid, &req, &f->err), 0);
	return pasid;
}

static void poll_fault(const struct iommu_fault *fault)
{
	mock_unit_fault(unit0(), fault);
	iommu_poll_faults();
}

/* ------------------------------------------------------------------ */

static void scan_finds_groups_and_the_bridge_alias(void **state)
{
	(void)state;
	assert_int_equal(inv.ndevices, 4);
	/* 00:03.0 alone; the bridge and both functions behind it as one. */
	assert_int_equal(inv.ngroups, 2);
	assert_int_equal(inv.devices[1].bdf, BRIDGE);
	assert_int_equal(inv.devices[2].group, inv.devices[1].group);
	assert_int_equal(inv.devices[3].group, inv.devices[1].group);
	assert_int_equal(pci_requester_id(DEV_A), ALIAS);
	assert_int_equal(pci_requester_id(DEV_B), ALIAS);
	assert_int_equal(pci_requester_id(DEV_C), DEV_C);
	assert_int_equal(pci_requester_id(BRIDGE), BRIDGE);
	/* No window covers bus 7, nor another segment's buses. */
	assert_int_equal(pci_read32(PCI_BDF(7, 0, 0), CFG_VENDOR), 0xffffffff);
}

/*
 * Issue 7: the tables hang off the requester ID, so two functions that
 * share an alias share one directory and its leaves, counted once; a
 * leaf one function's install made and the other's clear freed leaves
 * neither below zero.
 */
static void tables_counted_once_per_requester_id(void **state)
{
	struct fixture *f = *state;
	struct iommu_table_figures a, b, peak;
	uint32_t p1 = bound_pasid(f, 1, DEV_A), p2 = bound_pasid(f, 1, DEV_B);

	iommu_device_tables(DEV_A, &a);
	iommu_device_tables(DEV_B, &b);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_int_equal(a.dir_pages, 1);
	assert_int_equal(a.pages, 2); /* the directory and one leaf */
	assert_int_equal(a.entries, 2);
	assert_int_equal(a.binds, 2);
	assert_int_equal(unit0()->mi.nentries, 2);

	assert_int_equal(pasid_unbind(&f->w.m, 1, p1, DEV_A, &f->err), 0);
	assert_int_equal(pasid_unbind(&f->w.m, 1, p2, DEV_B, &f->err), 0);
	iommu_device_tables(DEV_A, &a);
	assert_int_equal(a.entries, 0);
	assert_int_equal(a.pages, 1); /* the directory stays */
	assert_int_equal(a.leaves_peak, 1);
	iommu_table_peak(&peak);
	assert_int_equal(peak.pages, 2);
	assert_int_equal(peak.entries, 2);
	assert_int_equal(peak.min_pages, 2);
	/* Another requester ID's tables are its own. */
	iommu_device_tables(DEV_C, &b);
	assert_int_equal(b.pages, 0);
}

static void fault_with_pasid_routed_by_source(void **state)
{
	struct fixture *f = *state;
	uint32_t p = bound_pasid(f, 1, DEV_A);
	struct iommu_fault fault = {.source = ALIAS,
				    .pasid_valid = true,
				    .pasid = p,
				    .addr = 0x7000,
				    .reason = 0x5,
				    .write = true};
	struct domain *d1 = f->w.doms[1], *d2 = f->w.doms[2];

	poll_fault(&fault);
	assert_int_equal(d1->fault_count, 1);
	assert_int_equal(d1->fault_ring[0].pasid, p);
	assert_int_equal(d1->fault_ring[0].device, ALIAS);
	assert_int_equal(d1->fault_ring[0].address, 0x7000);
	assert_int_equal(test_fault_seen.calls, 1);
	assert_int_equal(test_fault_seen.owner, 1);
	assert_true(test_fault_seen.pasid_valid);

	/* Domain 2's device carrying domain 1's PASID: domain 2's fault. */
	fault.source = DEV_C;
	poll_fault(&fault);
	assert_int_equal(d1->fault_count, 1);
	assert_int_equal(d2->fault_count, 1);
	assert_int_equal(test_fault_seen.owner, 2);
}

/* A request without PASID took the device's default PASID's entry. */
static void fault_without_pasid_is_the_default_pasids(void **state)
{
	struct fixture *f = *state;
	uint32_t p = bound_pasid(f, 1, DEV_B);
	struct iommu_fault fault = {.source = ALIAS, .addr = 0x9000};
	struct domain *d1 = f->w.doms[1];

	assert_int_equal(iommu_set_rid_pasid(DEV_B, p), 0);
	assert_int_equal(unit0()->default_rid[0], ALIAS);
	poll_fault(&fault);
	assert_int_equal(d1->fault_count, 1);
	assert_int_equal(d1->fault_ring[0].pasid, p);
	assert_int_equal(test_fault_seen.pasid, p);
	assert_true(test_fault_seen.pasid_valid);
}

static void interrupt_fault_charged_to_the_device_owner(void **state)
{
	struct fixture *f = *state;
	struct iommu_fault fault = {.source = DEV_C,
				    .reason = 0x22,
				    .interrupt = true,
				    .irq_index = 3};
	struct domain *d2 = f->w.doms[2];

	poll_fault(&fault);
	assert_int_equal(d2->fault_count, 1);
	assert_int_equal(d2->fault_ring[0].address, MOCK_IRQ_WINDOW);
	assert_int_equal(d2->fault_ring[0].pasid, 0);
	assert_int_equal(d2->fault_ring[0].device, DEV_C);
	assert_true(d2->fault_ring[0].write);
	/* Not a DMA fault: the test op's WATCH never sees it. */
	assert_int_equal(test_fault_seen.calls, 0);
}

static void fault_of_no_domains_device_charged_to_the_hypervisor(void **state)
{
	struct fixture *f = *state;
	struct iommu_fault fault = {.source = PCI_BDF(9, 0, 0),
				    .pasid_valid = true,
				    .pasid = 1};

	poll_fault(&fault);
	for (unsigned i = 0; i < f->w.ndoms; i++)
		assert_int_equal(f->w.doms[i]->fault_count, 0);
	assert_int_equal(test_fault_seen.owner, DOMID_HYPERVISOR);
}

static void quiesce_turns_bus_mastering_off_and_calls_the_driver(void **state)
{
	(void)state;
	assert_false(iommu_device_blocked(DEV_A));
	iommu_quiesce_device(DEV_A);
	assert_int_equal(pci_command(DEV_A),
			 PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE);
	assert_true(mock_unit_quiesced(unit0(), ALIAS));
	assert_true(iommu_device_blocked(DEV_A));
	/* 00:03.0 is left alone. */
	assert_int_equal(pci_command(DEV_C),
			 PCI_COMMAND_MASTER | PCI_COMMAND_MEMORY);
	assert_false(iommu_device_blocked(DEV_C));
}

static bool serves_c(const void *scope, uint32_t device)
{
	(void)scope;
	return device == DEV_C;
}

/* VT-d 8.3: a unit whose scope names the device, else the catch-all. */
static void device_served_by_its_scope_else_the_catch_all(void **state)
{
	struct iommu_unit_desc scoped = {.serves = serves_c};

	(void)state;
	mock_fail_init = true;
	assert_int_equal(iommu_unit_add(&scoped), -1);
	mock_fail_enable = true;
	assert_int_equal(iommu_unit_add(&scoped), -1);
	assert_int_equal(iommu_count(), 1);
	assert_int_equal(iommu_unit_add(&scoped), 0);
	assert_int_equal(iommu_count(), 2);
	assert_ptr_equal(iommu_for_device(DEV_C), iommu_get(1));
	assert_ptr_equal(iommu_for_device(DEV_A), iommu_get(0));
	assert_int_equal(iommu_get(1)->pasid_bits, mock_unit_get(1)->mi.iommu.pasid_bits);
	assert_true(mock_unit_get(1)->enabled);
}

static void first_level_tables_as_deep_as_the_domains(void **state)
{
	uint64_t fl = 0;

	(void)state;
	assert_int_equal(iommu_fl_tables(0x200000, &fl), 0);
	assert_int_equal(fl, 0x201000);
	assert_int_equal(mock_fl_levels, 4);
	iommu_fl_free(fl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(scan_finds_groups_and_the_bridge_alias),
		T(tables_counted_once_per_requester_id),
		T(fault_with_pasid_routed_by_source),
		T(fault_without_pasid_is_the_default_pasids),
		T(interrupt_fault_charged_to_the_device_owner),
		T(fault_of_no_domains_device_charged_to_the_hypervisor),
		T(quiesce_turns_bus_mastering_off_and_calls_the_driver),
		T(device_served_by_its_scope_else_the_catch_all),
		T(first_level_tables_as_deep_as_the_domains),
#undef T
	};

	RUN_TESTS(tests);
}
