/* SPDX-License-Identifier: MIT */
/*
 * The generic IOMMU layer's test system: three domains of the small test
 * world (tests/support), one mock unit (mock_driver.c) serving every
 * device, and a fake ECAM space in host memory (two segment-0 windows):
 *   00:03.0  an endpoint, domain 2's
 *   00:04.0  a PCIe-to-PCI bridge, secondary bus 5
 *   05:01.0, 05:02.0  two endpoints behind it, domain 1's: their DMA
 *            carries the bridge's alias 05:00.0
 * It supplies the arch hooks (paddock/iommu_glue.h) and hv_system().
 */
#ifndef PADDOCK_TESTS_IOMMU_FIXTURE_H
#define PADDOCK_TESTS_IOMMU_FIXTURE_H

#include <paddock/iommu_layer.h>
#include <paddock/pci.h>
#include <config/config.h>

#include "mock_driver.h"
#include "world.h"

#define DEV_C  PCI_BDF(0, 3, 0)
#define BRIDGE PCI_BDF(0, 4, 0)
#define DEV_A  PCI_BDF(5, 1, 0)
#define DEV_B  PCI_BDF(5, 2, 0)
#define ALIAS  PCI_BDF(5, 0, 0)

struct fixture {
	struct world w;
	struct pasid_err err;
	struct pci_inventory inv;
	/* What the domains' configurations say (domain 0 has no device). */
	struct domain_cfg cfg[3];
};

/** cmocka setup and teardown: *state is the struct fixture. */
int fixture_setup(void **state);
int fixture_teardown(void **state);

/** The mock unit every device is served by. */
struct mock_unit *fixture_unit(void);
/** A PASID allocated for dom and bound second-level to dev. */
uint32_t fixture_bound_pasid(struct fixture *f, domid_t dom, uint32_t dev);
/** Queues a fault record on the unit and polls the faults. */
void fixture_fault(const struct iommu_fault *fault);

#endif
