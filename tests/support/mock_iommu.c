/* SPDX-License-Identifier: MIT */
/*
 * A recording mock of the manager's IOMMU interface.  It keeps the entries
 * a real driver would hold, checks the driver contract (blocking a present
 * entry never fails; nothing is cleared that was not installed) and logs
 * every call, so tests can check both the end state and the order.
 */
#include "support.h"

#include <stdio.h>
#include <string.h>

static struct mock_entry *find(struct mock_iommu *mi, uint32_t dev,
			       uint32_t pasid)
{
	for (unsigned i = 0; i < mi->hiwater; i++) {
		struct mock_entry *e = &mi->entries[i];

		if (e->present && e->device == dev && e->pasid == pasid)
			return e;
	}
	return NULL;
}

static void log_op(struct mock_iommu *mi, char op, uint32_t dev, uint32_t pasid,
		   int kind)
{
	struct mock_op *o = &mi->log[mi->nlog % MOCK_LOG];

	o->op = op;
	o->device = dev;
	o->pasid = pasid;
	o->kind = kind;
	mi->nlog++;
	if (mi->hook)
		mi->hook(mi->hook_ctx, mi, o);
}

static int mock_install(struct pasid_iommu *iommu, uint32_t dev, uint32_t pasid,
			const struct pasid_entry_cfg *cfg)
{
	struct mock_iommu *mi = (struct mock_iommu *)iommu;
	struct mock_entry *e = find(mi, dev, pasid);

	log_op(mi, 'I', dev, pasid, cfg->kind);
	if (pasid >> iommu->pasid_bits)
		return -22; /* XEN_EINVAL: wider than this unit translates */
	if (!e) {
		/* A new entry may need table memory: that can fail. */
		if (mi->fail_installs > 0 && --mi->fail_installs == 0)
			return -12; /* XEN_ENOMEM */
		for (unsigned i = 0; i < MOCK_MAX_ENTRIES && !e; i++)
			if (!mi->entries[i].present)
				e = &mi->entries[i];
		if (!e)
			return -28; /* XEN_ENOSPC */
		if ((unsigned)(e - mi->entries) >= mi->hiwater)
			mi->hiwater = (unsigned)(e - mi->entries) + 1;
		e->present = true;
		e->device = dev;
		e->pasid = pasid;
		mi->nentries++;
	}
	if (e->blocking)
		mi->blocks_pending--;
	e->blocking = false;
	e->cfg = *cfg;
	e->stale = true; /* until invalidated */
	return 0;
}

static int mock_install_locked(struct pasid_iommu *iommu, uint32_t dev,
			       uint32_t pasid,
			       const struct pasid_entry_cfg *cfg)
{
	struct mock_iommu *mi = (struct mock_iommu *)iommu;
	int rc;

	spin_lock(&mi->lock);
	rc = mock_install(iommu, dev, pasid, cfg);
	spin_unlock(&mi->lock);
	return rc;
}

static void mock_clear(struct pasid_iommu *iommu, uint32_t dev, uint32_t pasid)
{
	struct mock_iommu *mi = (struct mock_iommu *)iommu;
	struct mock_entry *e = find(mi, dev, pasid);

	log_op(mi, 'C', dev, pasid, -1);
	if (!e) {
		mi->contract_violations++;
		return;
	}
	if (e->blocking)
		mi->blocks_pending--;
	e->present = e->blocking = false;
	mi->nentries--;
	mi->cleared_stale++; /* counted until the invalidation comes */
}

static void mock_clear_locked(struct pasid_iommu *iommu, uint32_t dev,
			      uint32_t pasid)
{
	struct mock_iommu *mi = (struct mock_iommu *)iommu;

	spin_lock(&mi->lock);
	mock_clear(iommu, dev, pasid);
	spin_unlock(&mi->lock);
}

static void mock_invalidate(struct pasid_iommu *iommu, uint32_t dev,
			    uint32_t pasid, domid_t domain)
{
	struct mock_iommu *mi = (struct mock_iommu *)iommu;
	struct mock_entry *e;

	spin_lock(&mi->lock);
	e = find(mi, dev, pasid);
	log_op(mi, 'V', dev, pasid, -1);
	if (e)
		e->stale = false;
	else if (mi->cleared_stale)
		mi->cleared_stale--;
	mi->pending++;
	spin_unlock(&mi->lock);
}

/* A block() completes at the next wait, as the contract allows: until
 * then the entry reads stale. */
static void mock_block(struct pasid_iommu *iommu, uint32_t dev, uint32_t pasid,
		       domid_t domain)
{
	struct mock_iommu *mi = (struct mock_iommu *)iommu;
	struct mock_entry *e;

	spin_lock(&mi->lock);
	e = find(mi, dev, pasid);
	log_op(mi, 'B', dev, pasid, PASID_ENTRY_BLOCKED);
	if (!e) {
		mi->contract_violations++; /* the manager blocks only bindings
					    */
	} else {
		e->cfg = (struct pasid_entry_cfg){.kind = PASID_ENTRY_BLOCKED,
						  .domain = domain};
		e->stale = e->blocking = true;
		mi->blocks_pending++;
		mi->pending++;
	}
	spin_unlock(&mi->lock);
}

static void mock_wait(struct pasid_iommu *iommu)
{
	struct mock_iommu *mi = (struct mock_iommu *)iommu;

	spin_lock(&mi->lock);
	for (unsigned i = 0; mi->blocks_pending && i < mi->hiwater; i++) {
		struct mock_entry *e = &mi->entries[i];

		if (e->present && e->blocking) {
			e->stale = e->blocking = false;
			mi->blocks_pending--;
		}
	}
	log_op(mi, 'W', 0, 0, -1);
	mi->pending = 0;
	spin_unlock(&mi->lock);
}

/* Every operation under the mock's own lock, as a real driver's. */
static const struct pasid_iommu_ops mock_ops = {
	.install = mock_install_locked,
	.clear = mock_clear_locked,
	.invalidate = mock_invalidate,
	.wait = mock_wait,
	.block = mock_block,
};

void mock_iommu_init(struct mock_iommu *mi, const char *name)
{
	memset(mi, 0, sizeof(*mi));
	spin_init(&mi->lock);
	mi->iommu.ops = &mock_ops;
	mi->iommu.name = name;
	mi->iommu.pasid_bits = 20;
}

const struct mock_entry *mock_entry(struct mock_iommu *mi, uint32_t dev,
				    uint32_t pasid)
{
	return find(mi, dev, pasid);
}

struct match_ctx {
	struct mock_iommu *mi;
	unsigned matched;
	int bad;
	char *why;
	size_t why_len;
};

static void match_binding(void *ctx, uint32_t dev, uint32_t pasid,
			  enum pasid_entry_kind kind, bool parked)
{
	struct match_ctx *c = ctx;
	const struct mock_entry *e = find(c->mi, dev, pasid);
	enum pasid_entry_kind want = parked ? PASID_ENTRY_BLOCKED : kind;

	if (!e || e->device != dev)
		return; /* another IOMMU's device */
	c->matched++;
	if (e->cfg.kind != want || e->stale) {
		c->bad++;
		snprintf(c->why, c->why_len,
			 "device %#x PASID %u: entry kind %d%s, manager "
			 "expects %d",
			 dev, pasid, e->cfg.kind, e->stale ? " (stale)" : "",
			 want);
	}
}

int mock_iommu_matches(struct mock_iommu *mi, struct pasid_mgr *m, char *why,
		       size_t why_len)
{
	struct match_ctx c = {mi, 0, 0, why, why_len};

	pasid_for_each_binding(m, match_binding, &c);
	if (c.bad)
		return -1;
	if (c.matched != mi->nentries) {
		snprintf(why, why_len,
			 "IOMMU %s holds %u entries, the manager %u bindings",
			 mi->iommu.name, mi->nentries, c.matched);
		return -1;
	}
	if (mi->pending) {
		snprintf(why, why_len, "IOMMU %s: %u invalidations not waited",
			 mi->iommu.name, mi->pending);
		return -1;
	}
	if (mi->contract_violations) {
		snprintf(why, why_len, "IOMMU %s: %u clears of absent entries",
			 mi->iommu.name, mi->contract_violations);
		return -1;
	}
	return 0;
}
