/* SPDX-License-Identifier: MIT */
/* A mock IOMMU driver: see mock_driver.h. */
#include "mock_driver.h"

#include <string.h>

static struct mock_unit units[MOCK_UNITS];
static unsigned nunits;
bool mock_fail_init, mock_fail_enable;
unsigned mock_fl_levels;

static int fl_tables(hpaddr_t dma_root, unsigned levels, hpaddr_t *fl_root)
{
	mock_fl_levels = levels;
	*fl_root = hpa(dma_root.v + 0x1000);
	return 0;
}

static void fl_free(hpaddr_t fl_root)
{
	(void)fl_root;
}

static const struct iommu_fl_ops fl_ops = {
	.build = fl_tables,
	.free = fl_free,
};

struct mock_unit *mock_unit_of(struct pasid_iommu *unit)
{
	return (struct mock_unit *)unit;
}

struct mock_unit *mock_unit_get(unsigned i)
{
	return i < nunits ? &units[i] : NULL;
}

static bool has_rid(const uint32_t *rids, unsigned n, uint32_t rid)
{
	for (unsigned i = 0; i < n; i++) {
		if (rids[i] == rid)
			return true;
	}
	return false;
}

bool mock_unit_quiesced(const struct mock_unit *mu, uint32_t rid)
{
	return has_rid(mu->quiesced, mu->nquiesced, rid);
}

static int drv_install(struct pasid_iommu *unit, uint32_t rid, uint32_t pasid,
		       const struct pasid_entry_cfg *cfg)
{
	struct mock_unit *mu = mock_unit_of(unit);
	int rc;

	if (mock_unit_quiesced(mu, rid))
		return -1; /* like VT-d: a quiesced device takes no entry */
	rc = mu->inner->install(unit, rid, pasid, cfg);
	/* A directory per requester ID, kept until the unit goes. */
	if (rc == 0 && !has_rid(mu->dir_rids, mu->ndirs, rid) &&
	    mu->ndirs < MOCK_RIDS)
		mu->dir_rids[mu->ndirs++] = rid;
	return rc;
}

static void drv_clear(struct pasid_iommu *unit, uint32_t rid, uint32_t pasid)
{
	mock_unit_of(unit)->inner->clear(unit, rid, pasid);
}

static void drv_invalidate(struct pasid_iommu *unit, uint32_t rid,
			   uint32_t pasid, domid_t domain)
{
	mock_unit_of(unit)->inner->invalidate(unit, rid, pasid, domain);
}

static void drv_wait(struct pasid_iommu *unit)
{
	mock_unit_of(unit)->inner->wait(unit);
}

static void drv_block(struct pasid_iommu *unit, uint32_t rid, uint32_t pasid,
		      domid_t domain)
{
	mock_unit_of(unit)->inner->block(unit, rid, pasid, domain);
}

static const struct pasid_iommu_ops drv_pasid_ops = {
	.install = drv_install,
	.clear = drv_clear,
	.invalidate = drv_invalidate,
	.wait = drv_wait,
	.block = drv_block,
};

static struct pasid_iommu *unit_init(const struct iommu_unit_desc *desc)
{
	struct mock_unit *mu;

	(void)desc;
	if (mock_fail_init || nunits == MOCK_UNITS) {
		mock_fail_init = false;
		return NULL;
	}
	mu = &units[nunits++];
	memset(mu, 0, sizeof(*mu));
	mock_iommu_init(&mu->mi, "mockunit");
	mu->inner = mu->mi.iommu.ops;
	return &mu->mi.iommu;
}

static void unit_fini(struct pasid_iommu *unit)
{
	(void)unit;
	if (nunits)
		nunits--;
}

static int enable(struct pasid_iommu *unit)
{
	if (mock_fail_enable) {
		mock_fail_enable = false;
		nunits--; /* its slot is the next unit's */
		return -1;
	}
	mock_unit_of(unit)->enabled = true;
	return 0;
}

static int set_default_pasid(struct pasid_iommu *unit, uint32_t rid,
			     uint32_t pasid)
{
	struct mock_unit *mu = mock_unit_of(unit);

	for (unsigned i = 0; i < mu->ndefaults; i++) {
		if (mu->default_rid[i] == rid) {
			mu->default_pasid[i] = pasid;
			return 0;
		}
	}
	if (mu->ndefaults == MOCK_RIDS)
		return -1;
	mu->default_rid[mu->ndefaults] = rid;
	mu->default_pasid[mu->ndefaults++] = pasid;
	return 0;
}

static int get_default_pasid(struct pasid_iommu *unit, uint32_t rid,
			     uint32_t *pasid)
{
	struct mock_unit *mu = mock_unit_of(unit);

	if (mock_unit_quiesced(mu, rid))
		return -1;
	*pasid = 0;
	for (unsigned i = 0; i < mu->ndefaults; i++) {
		if (mu->default_rid[i] == rid)
			*pasid = mu->default_pasid[i];
	}
	return 0;
}

static int quiesce(struct pasid_iommu *unit, uint32_t rid)
{
	struct mock_unit *mu = mock_unit_of(unit);

	if (mu->nquiesced == MOCK_RIDS)
		return -1;
	mu->quiesced[mu->nquiesced++] = rid;
	return 0;
}

void mock_unit_fault(struct mock_unit *mu, const struct iommu_fault *f)
{
	if (mu->nfaults < MOCK_FAULTS)
		mu->faults[mu->nfaults++] = *f;
}

static unsigned fault_drain(struct pasid_iommu *unit, iommu_fault_sink sink,
			    void *ctx)
{
	struct mock_unit *mu = mock_unit_of(unit);
	unsigned n = mu->nfaults;

	for (unsigned i = 0; i < n; i++)
		sink(ctx, &mu->faults[i]);
	mu->nfaults = 0;
	return n;
}

/* Leaves of 64 entries, as VT-d's (9.6): distinct (ID, PASID / 64). */
static uint64_t leaves_of(const struct mock_iommu *mi)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < mi->hiwater; i++) {
		const struct mock_entry *e = &mi->entries[i];
		bool first = e->present;

		for (unsigned k = 0; k < i && first; k++) {
			const struct mock_entry *o = &mi->entries[k];

			first = !(o->present && o->device == e->device &&
				  o->pasid / 64 == e->pasid / 64);
		}
		n += first;
	}
	return n;
}

static void counters(const struct pasid_iommu *unit,
		     struct iommu_table_counters *out)
{
	const struct mock_unit *mu = (const struct mock_unit *)unit;

	out->dir_pages = mu->ndirs;
	out->leaves = leaves_of(&mu->mi);
	out->entries = mu->mi.nentries;
}

const struct iommu_driver_ops mock_driver_ops = {
	.unit_init = unit_init,
	.unit_fini = unit_fini,
	.pasid = &drv_pasid_ops,
	.enable = enable,
	.set_default_pasid = set_default_pasid,
	.get_default_pasid = get_default_pasid,
	.quiesce = quiesce,
	.first_level = &fl_ops,
	.fault_drain = fault_drain,
	.counters = counters,
	.interrupt_window = MOCK_IRQ_WINDOW,
};
