/* SPDX-License-Identifier: MIT */
/* The generic IOMMU layer's test system: see fixture.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <paddock/iommu_glue.h>

#include "fixture.h"

#define ECAM_BUS (1u << 20) /* one bus's configuration space */

/* PCI Local Bus 3.0, 6.1 and PCIe Base 5.0, 7.5.3: the fields used. */
#define CFG_VENDOR	 0x00
#define CFG_COMMAND	 0x04
#define CFG_CLASS	 0x08
#define CFG_HEADER	 0x0c
#define CFG_BUSES	 0x18
#define CFG_CAP_PTR	 0x34
#define STATUS_CAPS	 (1u << 20)
#define CLASS_PCI_BRIDGE 0x06040000u
#define PCIE_CAP	 0x40

static struct world *cur;
static uint8_t *bus0, *bus5;

/* arch_phys_to_virt, arch_virt_to_phys, arch_dma_sync and
 * arch_log_prefix: tests/support/fake_arch.c. */

uint32_t arch_device_requester_id(uint32_t device)
{
	return pci_requester_id(device);
}

struct hv_system *hv_system(void)
{
	return &cur->sys;
}

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
	*cfg(bdf, CFG_HEADER) = 1u << 16; /* header type 1 */
	*cfg(bdf, CFG_BUSES) = (uint32_t)secondary << 16 | secondary << 8;
	*cfg(bdf, CFG_CAP_PTR) = PCIE_CAP;
	/* PCI Express capability, Device/Port Type 7 (bits 7:4). */
	*cfg(bdf, PCIE_CAP) = 0x10 | 0x7u << 20;
}

static int fake_pci(struct pci_inventory *inv)
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

	pci_scan(windows, 3, inv);
	return 0;
}

static int add_devices(struct fixture *f)
{
	struct pasid_mgr *m = &f->w.m;
	struct pasid_iommu *unit = iommu_get(0);

	f->cfg[1] = (struct domain_cfg){
		.name = "dom1", .devices = {DEV_A, DEV_B}, .ndevices = 2};
	f->cfg[2] = (struct domain_cfg){
		.name = "dom2", .devices = {DEV_C}, .ndevices = 1};
	if (pasid_device_add(m, DEV_A, 1, unit, &f->err) < 0 ||
	    pasid_device_add(m, DEV_B, 1, unit, &f->err) < 0 ||
	    pasid_device_add(m, DEV_C, 2, unit, &f->err) < 0)
		return -1;
	/* The sources faults carry: the alias, not the functions. */
	if (hv_source_add(&f->w.sys, ALIAS, 1) < 0 ||
	    hv_source_add(&f->w.sys, DEV_C, 2) < 0)
		return -1;
	return 0;
}

int fixture_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct world_cfg wc = {.bits = 10, .ndoms = 3, .quota = 16};
	struct iommu_unit_desc desc = {.reg_base = 0xfed90000,
				       .catch_all = true};

	if (!f || world_init(&f->w, &wc) < 0)
		return -1;
	cur = &f->w;
	*state = f;
	if (fake_pci(&f->inv) < 0)
		return -1;
	iommu_layer_init(&mock_driver_ops, 4);
	if (iommu_unit_add(&desc) < 0)
		return -1;
	return add_devices(f);
}

int fixture_teardown(void **state)
{
	struct fixture *f = *state;

	world_fini(&f->w);
	iommu_layer_reset();
	free(bus0);
	free(bus5);
	free(f);
	return 0;
}

struct mock_unit *fixture_unit(void)
{
	return mock_unit_get(0);
}

uint32_t fixture_bound_pasid(struct fixture *f, domid_t dom, uint32_t dev)
{
	struct pasid_bind_req req = {.device = dev,
				     .kind = PASID_ENTRY_SECOND_LEVEL,
				     .sl_root = hpa(0x200000)};
	uint32_t pasid;

	assert_int_equal(pasid_alloc(&f->w.m, dom, &pasid, &f->err), 0);
	assert_int_equal(pasid_bind(&f->w.m, dom, pasid, &req, &f->err), 0);
	return pasid;
}

void fixture_fault(const struct iommu_fault *fault)
{
	mock_unit_fault(fixture_unit(), fault);
	iommu_poll_faults();
}

/* STEER's arch part, as x86 does it: the layer's default PASID. */
int arch_test_steer(uint32_t bdf, uint32_t pasid)
{
	return iommu_set_rid_pasid(bdf, pasid);
}
