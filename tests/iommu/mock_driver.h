/* SPDX-License-Identifier: MIT */
/*
 * A mock IOMMU driver for the generic IOMMU layer's host tests: each unit
 * is the recording mock of tests/support (its entries keyed by requester
 * ID), plus what the layer asks of a driver beyond the manager's ops.
 */
#ifndef PADDOCK_TESTS_MOCK_DRIVER_H
#define PADDOCK_TESTS_MOCK_DRIVER_H

#include <paddock/iommu_layer.h>

#include "support.h"

#define MOCK_UNITS	2
#define MOCK_RIDS	16
#define MOCK_FAULTS	16
#define MOCK_IRQ_WINDOW 0xfee00000ull

struct mock_unit {
	struct mock_iommu mi; /* first: its struct pasid_iommu is the unit */
	const struct pasid_iommu_ops *inner; /* the recording mock's */
	uint32_t dir_rids[MOCK_RIDS];	     /* IDs given a PASID directory */
	unsigned ndirs;
	uint32_t default_rid[MOCK_RIDS], default_pasid[MOCK_RIDS];
	unsigned ndefaults;
	uint32_t quiesced[MOCK_RIDS];
	unsigned nquiesced;
	struct iommu_fault faults[MOCK_FAULTS]; /* pending, oldest first */
	unsigned nfaults;
	bool enabled;
};

extern const struct iommu_driver_ops mock_driver_ops;
/** The next unit_init() fails; the one after's enable() does. */
extern bool mock_fail_init, mock_fail_enable;
/** Levels the last fl_tables() call was asked for. */
extern unsigned mock_fl_levels;

struct mock_unit *mock_unit_of(struct pasid_iommu *unit);
/** The i-th unit brought up (and not finished). */
struct mock_unit *mock_unit_get(unsigned i);
/** Queues a fault record for the unit's next drain. */
void mock_unit_fault(struct mock_unit *mu, const struct iommu_fault *f);
bool mock_unit_quiesced(const struct mock_unit *mu, uint32_t rid);

#endif
