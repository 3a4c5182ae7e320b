/* SPDX-License-Identifier: MIT */
/*
 * PASID-table memory per requester ID, for the summary and `make bench`:
 * what each install or clear changed in its unit's counters (directories,
 * PASID-table leaves, present entries) is put down to the requester ID
 * the named device's DMA carries.  The tables hang off that ID's context
 * entry (VT-d 9.4; SMMUv3 stream table entry), so functions behind one
 * PCIe-to-PCI bridge share them: counted per named device, one page would
 * be counted once for each function, and a leaf one function's install
 * made and another's clear freed would drive the first up and the second
 * below zero.
 *
 * The table below is shared by every unit, and installs run on several
 * CPUs at once: table_lock guards it (a leaf lock, taken under a view's
 * acct_lock or alone; docs/design.md, "Lock order").
 */
#include <paddock/iommu_glue.h>

#include "internal.h"

#define ACCT_DEVICES 64

static struct dev_acct {
	uint32_t rid;
	const struct pasid_iommu *unit;
	unsigned dir_pages; /* its PASID directory (grows with its PASIDs) */
	unsigned leaves, leaves_peak;
	unsigned entries, binds;
} acct[ACCT_DEVICES];
static unsigned nacct;
/* The largest PASID-table footprint seen, and what it held then. */
static struct iommu_table_figures peak;
static struct spinlock table_lock = SPINLOCK_INIT;

void iommu_account_reset(void)
{
	spin_lock(&table_lock);
	nacct = 0;
	peak = (struct iommu_table_figures){0};
	spin_unlock(&table_lock);
}

static struct dev_acct *acct_of(const struct pasid_iommu *unit, uint32_t rid)
{
	for (unsigned i = 0; i < nacct; i++) {
		if (acct[i].rid == rid && acct[i].unit == unit)
			return &acct[i];
	}
	if (nacct == ACCT_DEVICES)
		return NULL;
	acct[nacct] = (struct dev_acct){.rid = rid, .unit = unit};
	return &acct[nacct++];
}

/* The format's minimum: per device with entries, one directory page and
 * a 64-entry leaf per 64 entries (VT-d 9.5, 9.6). */
static void note_peak(void)
{
	struct iommu_table_figures f = {0};

	for (unsigned i = 0; i < nacct; i++) {
		f.pages += acct[i].dir_pages + acct[i].leaves;
		f.entries += acct[i].entries;
		if (acct[i].entries)
			f.min_pages += 1 + (acct[i].entries + 63) / 64;
	}
	if (f.pages > peak.pages ||
	    (f.pages == peak.pages && f.entries >= peak.entries))
		peak = f;
}

void iommu_account(struct unit_view_locked vl, uint32_t rid,
		   const struct iommu_table_counters *before, bool bind)
{
	struct pasid_iommu *unit = view_held(vl)->unit;
	struct iommu_table_counters now = {0};
	struct dev_acct *a;

	if (iommu_driver->counters)
		iommu_driver->counters(unit, &now);
	spin_lock(&table_lock);
	a = acct_of(unit, rid);
	if (!a) {
		spin_unlock(&table_lock);
		return;
	}
	a->dir_pages += (unsigned)(now.dir_pages - before->dir_pages);
	a->leaves += (unsigned)(now.leaves - before->leaves);
	a->entries += (unsigned)(now.entries - before->entries);
	a->binds += bind;
	if (a->leaves > a->leaves_peak)
		a->leaves_peak = a->leaves;
	note_peak();
	spin_unlock(&table_lock);
}

void iommu_device_tables(uint32_t bdf, struct iommu_table_figures *out)
{
	struct pasid_iommu *iommu = iommu_for_device(bdf);
	const struct pasid_iommu *unit =
		iommu ? iommu_view_of(iommu)->unit : NULL;
	uint32_t rid = arch_device_requester_id(bdf);

	*out = (struct iommu_table_figures){0};
	spin_lock(&table_lock);
	for (unsigned i = 0; i < nacct; i++) {
		if (acct[i].rid != rid || acct[i].unit != unit)
			continue;
		out->pages = acct[i].dir_pages + acct[i].leaves;
		out->dir_pages = acct[i].dir_pages;
		out->leaves_peak = acct[i].leaves_peak;
		out->entries = acct[i].entries;
		out->binds = acct[i].binds;
	}
	spin_unlock(&table_lock);
}

void iommu_table_peak(struct iommu_table_figures *out)
{
	spin_lock(&table_lock);
	*out = peak;
	spin_unlock(&table_lock);
}
