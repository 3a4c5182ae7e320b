/* SPDX-License-Identifier: MIT */
/*
 * PASID-table entries (VT-d 4.x, 9.6): install, clear, invalidate and
 * wait, the driver's struct pasid_iommu_ops.  Entries are built by the
 * pure builders in vtd_entry.c and committed in a safe order (present bit
 * last on install, first on clear), followed by the invalidations of 6.5,
 * "Guidance to Software for Invalidations".
 */
#include <xen/errno.h>

#include "vtd_internal.h"

/* ------------------------------------------------------------------ */
/* struct pasid_iommu_ops                                              */

static struct vtd_unit *to_unit(struct pasid_iommu *iommu)
{
	return (struct vtd_unit *)iommu;
}

static int check_cfg(struct vtd_unit *u, const struct pasid_entry_cfg *cfg)
{
	switch (cfg->kind) {
	case PASID_ENTRY_BLOCKED:
	case PASID_ENTRY_SECOND_LEVEL:
		return (u->ecap & VTD_ECAP_SLTS) ? 0 : -XEN_EOPNOTSUPP;
	case PASID_ENTRY_FIRST_LEVEL:
		return (u->ecap & VTD_ECAP_FLTS) ||
				       u->cfg.first_level_without_flts
			       ? 0
			       : -XEN_EOPNOTSUPP;
	case PASID_ENTRY_PASSTHROUGH:
		return (u->ecap & VTD_ECAP_PT) ? 0 : -XEN_EOPNOTSUPP;
	}
	return -XEN_EINVAL;
}

static struct vtd_pe_params pe_params(const struct vtd_unit *u)
{
	return (struct vtd_pe_params){
		.sl_aw = u->sl_aw,
		.pwsnp = (u->ecap & VTD_ECAP_SMPWCS) != 0,
		.blocking = u->blocking_pa,
		.fl_qemu_slptptr = u->cfg.first_level_without_flts &&
				   !(u->ecap & VTD_ECAP_FLTS),
	};
}

/* The index of (sid, pasid) among the entries vtd_block() left to the
 * next wait, or -1. */
static int pending_block_find(const struct vtd_unit *u, uint16_t sid,
			      uint32_t pasid)
{
	for (unsigned i = 0; i < u->npending_blocks; i++)
		if (u->pending_block[i].sid == sid &&
		    u->pending_block[i].pasid == pasid)
			return (int)i;
	return -1;
}

/* One of them lives in the PASID table of (sid, pasid): the table is not
 * empty although no entry in it is present yet. */
static bool pending_block_in_table(const struct vtd_unit *u, uint16_t sid,
				   uint32_t pasid)
{
	for (unsigned i = 0; i < u->npending_blocks; i++)
		if (u->pending_block[i].sid == sid &&
		    u->pending_block[i].pasid >> VTD_PASID_TABLE_SHIFT ==
			    pasid >> VTD_PASID_TABLE_SHIFT)
			return true;
	return false;
}

static void pending_block_drop(struct vtd_unit *u, unsigned i)
{
	u->pending_block[i] = u->pending_block[--u->npending_blocks];
}

/**
 * Writes back, blocked, every entry vtd_block() retired: after a wait,
 * so that no walk or cache still uses what they held (9.6; 6.5,
 * "Guidance to Software for Invalidations").  In caching mode the unit
 * may have cached them not present (6.1): their PASID-cache entries are
 * invalidated and waited for too.  On a queue failure they stay not
 * present: DMA is blocked all the same, only their faults are reported.
 */
static int commit_pending_blocks(struct vtd_unit_locked ul)
{
	struct vtd_unit *u = vtd_held(ul);
	struct vtd_pe_params p = pe_params(u);
	uint64_t pe[VTD_PE_WORDS], d[4];
	int rc = qi_wait(ul);

	if (rc)
		return rc;
	for (unsigned i = 0; i < u->npending_blocks; i++) {
		const struct vtd_pending_block *b = &u->pending_block[i];
		struct pasid_entry_cfg cfg = {.kind = PASID_ENTRY_BLOCKED,
					      .domain = b->did};
		uint64_t *e = pasid_entry(ul, b->sid, b->pasid, false);

		if (!e || vtd_build_pasid_entry(pe, &cfg, &p))
			continue; /* cannot happen: its table stays */
		commit_entry(u, e, pe, VTD_PE_WORDS);
		if (u->cap & VTD_CAP_CM) {
			vtd_build_inv_pc(d, VTD_PC_G_PASID, b->did, b->pasid);
			qi_submit(ul, d);
		}
	}
	u->npending_blocks = 0;
	u->nseen = 0;
	return u->queued ? qi_wait(ul) : 0;
}

/**
 * Writes the PASID-table entry of (device, pasid).  A present entry is
 * first torn down and its caches flushed and waited for (the spec allows
 * no in-place change of a present entry's translation), so that switching
 * a live entry needs no allocation and cannot fail.  An entry vtd_block()
 * left to the next wait gets that wait first.
 */
int vtd_install(struct pasid_iommu *iommu, uint32_t device, uint32_t pasid,
		const struct pasid_entry_cfg *cfg)
{
	struct vtd_unit *u = to_unit(iommu);
	struct vtd_pe_params p = pe_params(u);
	struct pasid_entry_cfg tagged = *cfg;
	struct vtd_unit_locked ul;
	uint64_t pe[VTD_PE_WORDS], *e, w0;
	uint16_t sid, did, old;
	bool same = true;
	int rc;

	if (!device_sid(u, device, &sid) || pasid >> u->pasid_bits)
		return -XEN_EINVAL;
	rc = check_cfg(u, cfg);
	if (rc)
		return rc;

	ul = vtd_unit_lock(u);
	if (pending_block_find(u, sid, pasid) >= 0)
		commit_pending_blocks(ul);
	rc = -XEN_EPERM;
	if (device_quiesced(ul, sid))
		goto out;
	rc = did_get(ul, cfg->domain, &did);
	if (rc)
		goto out;
	tagged.domain = did;
	rc = vtd_build_pasid_entry(pe, &tagged, &p);
	if (rc)
		goto put;
	e = pasid_entry(ul, sid, pasid, true);
	if (!e) {
		rc = -XEN_ENOMEM;
		goto put;
	}
	w0 = load(&e[0]);
	if (w0 & VTD_PE0_P) {
		for (unsigned i = 0; i < VTD_PE_WORDS; i++)
			same = same && load(&e[i]) == pe[i];
		if (same)
			goto put; /* the entry already holds a reference */
		old = (uint16_t)VTD_FIELD_GET(VTD_PE1_DID, load(&e[1]));
		retire_entry(u, e, VTD_PE_WORDS);
		queue_pasid_flush(ul, sid, pasid, old,
				  VTD_FIELD_GET(VTD_PE0_PGTT, w0) ==
					  VTD_PGTT_PT);
		qi_wait(ul);
		did_put(ul, old);
	}
	commit_entry(u, e, pe, VTD_PE_WORDS);
	if (!(w0 & VTD_PE0_P))
		u->stats.entries++;
	/*
	 * Flushes queued before this write do not cover it (caching mode
	 * may have cached the not-present entry): no deduplication across.
	 */
	u->nseen = 0;
	goto out;
put:
	did_put(ul, did);
out:
	vtd_unit_unlock(&ul);
	return rc;
}

/**
 * Switches the present entry of (device, pasid) to blocked with faults
 * suppressed (FPD, 9.6), the entry keeping its DID and the DID its
 * reference.  The entry is made not present and its flushes queued now;
 * it is written back blocked at the next wait (commit_pending_blocks), so that
 * a batch of them costs one wait instead of one each.  Never fails and
 * never allocates: a full list is committed first (one more wait).
 */
void vtd_block(struct pasid_iommu *iommu, uint32_t device, uint32_t pasid,
	       domid_t domain)
{
	struct vtd_unit *u = to_unit(iommu);
	struct vtd_pe_params p = pe_params(u);
	struct pasid_entry_cfg cfg = {.kind = PASID_ENTRY_BLOCKED};
	uint64_t pe[VTD_PE_WORDS], *e, w0;
	struct vtd_unit_locked ul;
	bool same = true;
	uint16_t sid;

	(void)domain; /* the entry's own DID already tags the domain */
	if (!device_sid(u, device, &sid) || pasid >> u->pasid_bits)
		return;
	ul = vtd_unit_lock(u);
	e = pasid_entry(ul, sid, pasid, false);
	w0 = e ? load(&e[0]) : 0;
	if (!(w0 & VTD_PE0_P))
		goto out; /* absent, or already on its way to blocked */
	cfg.domain = (domid_t)VTD_FIELD_GET(VTD_PE1_DID, load(&e[1]));
	if (vtd_build_pasid_entry(pe, &cfg, &p) == 0)
		for (unsigned i = 0; i < VTD_PE_WORDS; i++)
			same = same && load(&e[i]) == pe[i];
	else
		same = false;
	if (same)
		goto out; /* blocked already */
	if (u->npending_blocks == VTD_MAX_PENDING_BLOCKS)
		commit_pending_blocks(ul);
	retire_entry(u, e, VTD_PE_WORDS);
	queue_pasid_flush(ul, sid, pasid, cfg.domain,
			  VTD_FIELD_GET(VTD_PE0_PGTT, w0) == VTD_PGTT_PT);
	if (u->npending_blocks < VTD_MAX_PENDING_BLOCKS) {
		u->pending_block[u->npending_blocks++] =
			(struct vtd_pending_block){
				.sid = sid, .did = cfg.domain, .pasid = pasid};
	} else {
		/* The queue failed: the entry stays not present, which
		 * blocks its DMA too, and counts as cleared. */
		did_put(ul, cfg.domain);
		u->stats.entries--;
	}
out:
	vtd_unit_unlock(&ul);
}

/* No entry present.  The scan starts after the entry just cleared: a
 * teardown clears in PASID order, so the next one is usually present and
 * the answer comes at once instead of after a walk of the table. */
static bool table_empty(const uint64_t *table, uint32_t cleared)
{
	for (unsigned k = 1; k <= VTD_PASID_TABLE_ENTRIES; k++) {
		unsigned i = (cleared + k) % VTD_PASID_TABLE_ENTRIES;

		if (load(&table[i * VTD_PE_WORDS]) & VTD_PE0_P)
			return false;
	}
	return true;
}

/* A wait has completed (qi_wait): the PASID tables vtd_clear() unhooked
 * before it are walked no more and can go.  On a queue failure there is
 * no such wait, and they are leaked, never freed while live. */
void vtd_release_retired(struct vtd_unit *u)
{
	for (unsigned i = 0; i < u->nretired; i++)
		u->mem->free(u->mem_ctx, u->retired[i], 1);
	u->stats.leaves_freed += u->nretired;
	u->nretired = 0;
}

static void retire_table(struct vtd_unit_locked ul, void *table)
{
	struct vtd_unit *u = vtd_held(ul);

	if (u->nretired == VTD_MAX_RETIRED)
		qi_wait(ul); /* frees them */
	if (u->nretired < VTD_MAX_RETIRED)
		u->retired[u->nretired++] = table;
}

/**
 * Clears the entry (present bit first) and queues the flushes of its old
 * domain id.  When the PASID table holds no other present entry, its
 * directory entry is cleared and the PASID cache flush queued; the table
 * is freed after the next wait (vtd_wait), which the caller owes anyway.
 */
void vtd_clear(struct pasid_iommu *iommu, uint32_t device, uint32_t pasid)
{
	struct vtd_unit *u = to_unit(iommu);
	struct vtd_unit_locked ul;
	uint64_t *dir, *e, *pde, *table, d[4], w0;
	unsigned entries = 0;
	uint16_t sid, old;
	int pending;

	if (!device_sid(u, device, &sid) || pasid >> u->pasid_bits)
		return;
	ul = vtd_unit_lock(u);
	dir = pasid_dir(ul, sid, pasid, false, &entries);
	e = dir ? pasid_entry(ul, sid, pasid, false) : NULL;
	if (!e)
		goto out;
	w0 = load(&e[0]);
	pending = pending_block_find(u, sid, pasid);
	if (pending >= 0) {
		/* Not present since vtd_block(), its flushes queued then. */
		did_put(ul, u->pending_block[pending].did);
		pending_block_drop(u, (unsigned)pending);
	} else if (w0 & VTD_PE0_P) {
		old = (uint16_t)VTD_FIELD_GET(VTD_PE1_DID, load(&e[1]));
		retire_entry(u, e, VTD_PE_WORDS);
		queue_pasid_flush(ul, sid, pasid, old,
				  VTD_FIELD_GET(VTD_PE0_PGTT, w0) ==
					  VTD_PGTT_PT);
		did_put(ul, old);
	} else {
		goto out;
	}
	u->stats.entries--;

	pde = &dir[pasid >> VTD_PASID_TABLE_SHIFT];
	table = p2v(u, load(pde) & VTD_PDE_SMPTBLPTR);
	if (!table_empty(table, pasid) || pending_block_in_table(u, sid, pasid))
		goto out;
	store_release(pde, 0);
	flush(u, pde, sizeof(*pde));
	vtd_build_inv_pc(d, VTD_PC_G_GLOBAL, 0, 0);
	qi_submit(ul, d);
	retire_table(ul, table);
out:
	vtd_unit_unlock(&ul);
}

void vtd_invalidate(struct pasid_iommu *iommu, uint32_t device, uint32_t pasid,
		    domid_t domain)
{
	struct vtd_unit *u = to_unit(iommu);
	struct vtd_unit_locked ul;
	uint16_t sid, did;

	if (!device_sid(u, device, &sid) || pasid >> u->pasid_bits)
		return;
	ul = vtd_unit_lock(u);
	/* No DID: the domain never tagged anything on this unit. */
	if (did_lookup(ul, domain, &did))
		queue_pasid_flush(ul, sid, pasid, did, false);
	vtd_unit_unlock(&ul);
}

void vtd_wait(struct pasid_iommu *iommu)
{
	struct vtd_unit *u = to_unit(iommu);
	struct vtd_unit_locked ul;

	ul = vtd_unit_lock(u);
	if (u->npending_blocks)
		commit_pending_blocks(ul);
	else if (u->queued || u->nretired)
		qi_wait(ul);
	vtd_unit_unlock(&ul);
}

/* The unit is off: nothing walks the retired tables any more, and the
 * entries left to be blocked block already (not present). */
void vtd_free_retired_at_fini(struct vtd_unit *u)
{
	vtd_release_retired(u);
	u->npending_blocks = 0;
}

const struct pasid_iommu_ops vtd_pasid_ops = {
	.install = vtd_install,
	.clear = vtd_clear,
	.invalidate = vtd_invalidate,
	.wait = vtd_wait,
	.block = vtd_block,
};
