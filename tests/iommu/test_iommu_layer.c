/* SPDX-License-Identifier: MIT */
/*
 * The generic IOMMU layer (hypervisor/iommu/) and PCI enumeration
 * (hypervisor/pci/) against the mock driver and the fake ECAM space of
 * fixture.h: accounting per requester ID, fault routing, quiescing, unit
 * scopes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <paddock/selftest.h>

#include "check.h"
#include "fixture.h"

/* What the test-only hook was last told (hypervisor/test/testop.c's
 * WATCH counts these in test images). */
static struct {
	unsigned calls;
	uint32_t source, pasid;
	bool pasid_valid;
	domid_t owner;
} test_fault_seen;

void test_dma_fault(uint32_t source, bool pasid_valid, uint32_t pasid,
		    domid_t owner)
{
	test_fault_seen.calls++;
	test_fault_seen.source = source;
	test_fault_seen.pasid_valid = pasid_valid;
	test_fault_seen.pasid = pasid;
	test_fault_seen.owner = owner;
}

static int setup(void **state)
{
	memset(&test_fault_seen, 0, sizeof(test_fault_seen));
	return fixture_setup(state);
}

static int teardown(void **state)
{
	return fixture_teardown(state);
}

/* ------------------------------------------------------------------ */

static void scan_finds_groups_and_the_bridge_alias(void **state)
{
	struct fixture *f = *state;
	const struct pci_inventory *inv = &f->inv;

	assert_int_equal(inv->ndevices, 4);
	/* 00:03.0 alone; the bridge and both functions behind it as one. */
	assert_int_equal(inv->ngroups, 2);
	assert_int_equal(inv->devices[1].bdf, BRIDGE);
	assert_int_equal(inv->devices[2].group, inv->devices[1].group);
	assert_int_equal(inv->devices[3].group, inv->devices[1].group);
	assert_int_equal(pci_requester_id(DEV_A), ALIAS);
	assert_int_equal(pci_requester_id(DEV_B), ALIAS);
	assert_int_equal(pci_requester_id(DEV_C), DEV_C);
	assert_int_equal(pci_requester_id(BRIDGE), BRIDGE);
	/* No window covers bus 7, nor another segment's buses. */
	assert_int_equal(pci_read32(PCI_BDF(7, 0, 0), 0), 0xffffffff);
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
	uint32_t p1 = fixture_bound_pasid(f, 1, DEV_A),
		 p2 = fixture_bound_pasid(f, 1, DEV_B);

	iommu_device_tables(DEV_A, &a);
	iommu_device_tables(DEV_B, &b);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_int_equal(a.dir_pages, 1);
	assert_int_equal(a.pages, 2); /* the directory and one leaf */
	assert_int_equal(a.entries, 2);
	assert_int_equal(a.binds, 2);
	assert_int_equal(fixture_unit()->mi.nentries, 2);

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
	uint32_t p = fixture_bound_pasid(f, 1, DEV_A);
	struct iommu_fault fault = {.source = ALIAS,
				    .pasid_valid = true,
				    .pasid = p,
				    .addr = 0x7000,
				    .reason = 0x5,
				    .write = true};
	struct domain *d1 = f->w.doms[1], *d2 = f->w.doms[2];

	fixture_fault(&fault);
	assert_int_equal(d1->fault_count, 1);
	assert_int_equal(d1->fault_ring[0].pasid, p);
	assert_int_equal(d1->fault_ring[0].device, ALIAS);
	assert_int_equal(d1->fault_ring[0].address, 0x7000);
	assert_int_equal(test_fault_seen.calls, 1);
	assert_int_equal(test_fault_seen.owner, 1);
	assert_true(test_fault_seen.pasid_valid);

	/* Domain 2's device carrying domain 1's PASID: domain 2's fault. */
	fault.source = DEV_C;
	fixture_fault(&fault);
	assert_int_equal(d1->fault_count, 1);
	assert_int_equal(d2->fault_count, 1);
	assert_int_equal(test_fault_seen.owner, 2);
}

/* A request without PASID took the device's default PASID's entry. */
static void fault_without_pasid_is_the_default_pasids(void **state)
{
	struct fixture *f = *state;
	uint32_t p = fixture_bound_pasid(f, 1, DEV_B);
	struct iommu_fault fault = {.source = ALIAS, .addr = 0x9000};
	struct domain *d1 = f->w.doms[1];

	assert_int_equal(iommu_set_rid_pasid(DEV_B, p), 0);
	assert_int_equal(fixture_unit()->default_rid[0], ALIAS);
	fixture_fault(&fault);
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

	fixture_fault(&fault);
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
	struct iommu_fault fault = {
		.source = PCI_BDF(9, 0, 0), .pasid_valid = true, .pasid = 1};

	fixture_fault(&fault);
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
	assert_true(mock_unit_quiesced(fixture_unit(), ALIAS));
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
	assert_int_equal(iommu_get(1)->pasid_bits,
			 mock_unit_get(1)->mi.iommu.pasid_bits);
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
