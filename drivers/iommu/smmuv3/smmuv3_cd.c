/* SPDX-License-Identifier: MIT */
/*
 * Context-descriptor tables and CDs (IHI 0070 E.a, 5.3 L1CD, 5.4 CD):
 * install, clear, invalidate and wait, the driver's struct
 * pasid_iommu_ops.  Each StreamID has one CD table indexed by
 * SubstreamID = PASID: linear (one page, up to 64 CDs), or an L1 table
 * of 64-CD leaves allocated on first use and freed when empty.  CD 0 is
 * the default substream: a copy of the CD of the stream's default PASID.
 * CDs are built by the pure builders (smmuv3_entry.c) and committed V
 * last (install) or V first (clear), then invalidated in the order of
 * cmdq_cd_changed().
 */
#include <xen/errno.h>

#include "smmuv3_internal.h"

#define LEAF_MASK (SMMU_CDS_PER_LEAF - 1)

static struct smmu_unit *to_unit(struct pasid_iommu *iommu)
{
	return (struct smmu_unit *)iommu;
}

static uint16_t cd_asid(uint64_t w0)
{
	return (uint16_t)SMMU_FIELD_GET(SMMU_CD0_ASID, w0);
}

static uint64_t *leaf_new(struct smmu_unit *u, struct smmu_stream *st,
			  uint64_t *l1)
{
	hpaddr_t pa;
	uint64_t *leaf = u->mem->alloc(u->mem_ctx, 1, &pa);

	if (!leaf)
		return NULL;
	flush(u, leaf, SMMU_PAGE_SIZE);
	store_release(l1, smmu_build_l1cd(pa));
	flush(u, l1, sizeof(*l1));
	st->leaves++;
	u->stats.leaves_alloc++;
	return leaf;
}

/** The CD of `ssid`, its leaf made if `alloc`; NULL beyond the table. */
uint64_t *cd_of(struct smmu_locked ul, struct smmu_stream *st, uint32_t ssid,
		bool alloc)
{
	struct smmu_unit *u = smmu_held(ul);
	uint64_t *l1, *leaf;

	if (!st->cd_table || ssid >> st->pasid_bits)
		return NULL;
	if (!st->cd_2lvl)
		return &st->cd_table[(size_t)ssid * SMMU_CD_WORDS];
	l1 = &st->cd_table[ssid >> SMMU_CD_LEAF_SHIFT];
	if (load(l1) & SMMU_L1CD_V)
		leaf = p2v(u, load(l1) & SMMU_L1CD_L2PTR);
	else if (!alloc || !(leaf = leaf_new(u, st, l1)))
		return NULL;
	return &leaf[(ssid & LEAF_MASK) * SMMU_CD_WORDS];
}

bool cd_pa_of(struct smmu_locked ul, struct smmu_stream *st, uint32_t ssid,
	      hpaddr_t *pa)
{
	uint64_t l1;

	if (!cd_of(ul, st, ssid, false))
		return false;
	if (!st->cd_2lvl) {
		*pa = hpa(st->cd_table_pa.v + (uint64_t)ssid * SMMU_CD_BYTES);
		return true;
	}
	l1 = load(&st->cd_table[ssid >> SMMU_CD_LEAF_SHIFT]);
	*pa = hpa((l1 & SMMU_L1CD_L2PTR) +
		  (uint64_t)(ssid & LEAF_MASK) * SMMU_CD_BYTES);
	return true;
}

/**
 * The stream's CD table, sized to its device's PASID width: linear up to
 * 64 CDs, else an L1 table (one page: at most 2^15 SubstreamIDs) whose
 * leaf 0, holding CD 0, stays for the table's life.  S1CDMAX is the
 * SMMU's SubstreamID width capped by the device's (0 on QEMU 7.2).
 */
int cd_table_alloc(struct smmu_locked ul, struct smmu_stream *st)
{
	struct smmu_unit *u = smmu_held(ul);
	unsigned bits = st->pasid_bits;

	st->s1cdmax = u->ssid_bits < bits ? u->ssid_bits : bits;
	st->cd_2lvl = bits > SMMU_CD_LEAF_SHIFT;
	st->cd_table = u->mem->alloc(u->mem_ctx, 1, &st->cd_table_pa);
	if (!st->cd_table)
		return -XEN_ENOMEM;
	st->cd_table_pages = 1;
	u->stats.cd_l1_pages++;
	flush(u, st->cd_table, SMMU_PAGE_SIZE);
	if (st->cd_2lvl && !cd_of(ul, st, 0, true)) {
		u->mem->free(u->mem_ctx, st->cd_table, 1);
		u->stats.cd_l1_pages--;
		st->cd_table = NULL;
		return -XEN_ENOMEM;
	}
	return 0;
}

void cd_table_free(struct smmu_unit *u, struct smmu_stream *st)
{
	if (!st->cd_table)
		return;
	if (st->cd_2lvl) {
		for (unsigned i = 0; i < SMMU_L1CD_MAX; i++) {
			uint64_t d = st->cd_table[i];

			if (!(d & SMMU_L1CD_V))
				continue;
			u->mem->free(u->mem_ctx, p2v(u, d & SMMU_L1CD_L2PTR),
				     1);
			u->stats.leaves_freed++;
		}
	}
	u->mem->free(u->mem_ctx, st->cd_table, st->cd_table_pages);
	u->stats.cd_l1_pages -= st->cd_table_pages;
	st->cd_table = NULL;
}

static bool same_words(const uint64_t *a, const uint64_t *b, unsigned from)
{
	for (unsigned i = from; i < SMMU_CD_WORDS; i++)
		if (load(&a[i]) != b[i])
			return false;
	return true;
}

/**
 * Puts `val` in the CD at e (3.21.3).  A valid CD whose words 1..7 stay
 * is switched by one 64-bit store of word 0 (parking and unparking do
 * so: no window in which the CD is invalid); when that changes its ASID,
 * the CD cache and the old ASID's TLB entries are invalidated at once.
 * Any other valid CD is made invalid and its caches and TLB entries
 * invalidated before the new one goes in, V last.  The caller
 * invalidates what the new CD replaces.
 */
static void cd_replace(struct smmu_locked ul, struct smmu_stream *st,
		       uint32_t ssid, uint64_t *e, const uint64_t *val)
{
	struct smmu_unit *u = smmu_held(ul);
	uint64_t w0 = load(&e[0]);

	if (w0 & SMMU_CD0_V) {
		if (w0 == val[0] && same_words(e, val, 1))
			return;
		if (same_words(e, val, 1) && (val[0] & SMMU_CD0_V)) {
			store_release(&e[0], val[0]);
			flush(u, e, sizeof(uint64_t));
			if (cd_asid(w0) != cd_asid(val[0]))
				cmdq_cd_changed(ul, st->sid, ssid, false, true,
						cd_asid(w0));
			return;
		}
		retire_struct(u, e, 0);
		cmdq_cd_changed(ul, st->sid, ssid, false, true, cd_asid(w0));
	}
	if (val[0] & SMMU_CD0_V)
		commit_struct(u, e, val);
}

/** CD 0 becomes a copy of the default PASID's CD, or invalid. */
void cd_mirror_default(struct smmu_locked ul, struct smmu_stream *st)
{
	uint64_t val[SMMU_CD_WORDS] = {0}, *cd0 = cd_of(ul, st, 0, true);
	uint64_t *src = st->default_pasid
				? cd_of(ul, st, st->default_pasid, false)
				: NULL;

	if (!cd0)
		return;
	if (src && (load(&src[0]) & SMMU_CD0_V))
		for (unsigned i = 0; i < SMMU_CD_WORDS; i++)
			val[i] = load(&src[i]);
	cd_replace(ul, st, 0, cd0, val);
}

static int check_install(struct smmu_unit *u, uint32_t pasid,
			 const struct pasid_entry_cfg *cfg)
{
	/* SubstreamID 0 is the default substream, never a PASID's. */
	if (pasid == 0 || pasid >> u->pasid_bits)
		return -XEN_EINVAL;
	if (cfg->kind == PASID_ENTRY_PASSTHROUGH)
		return -XEN_EOPNOTSUPP;
	return 0;
}

/* The stream, made and attached on its first install. */
static int stream_for_install(struct smmu_locked ul, uint32_t sid,
			      uint32_t pasid, struct smmu_stream **out)
{
	struct smmu_stream *st = stream_of(ul, sid, true);

	if (!st)
		return -XEN_EINVAL;
	if (st->quiesced)
		return -XEN_EPERM;
	if (pasid >> st->pasid_bits)
		return -XEN_EINVAL; /* beyond the device's own width */
	*out = st;
	return st->attached ? 0 : stream_attach(ul, st);
}

/**
 * Writes the CD of (sid, pasid).  A valid CD is replaced in place when
 * only word 0 changes (a park), else torn down and invalidated first, so
 * that switching a live CD needs no allocation and cannot fail.
 */
int smmu_install(struct pasid_iommu *iommu, uint32_t sid, uint32_t pasid,
		 const struct pasid_entry_cfg *cfg)
{
	struct smmu_unit *u = to_unit(iommu);
	struct smmu_cd_params p = {.ips = u->ips, .coherent = u->coherent};
	uint64_t cd[SMMU_CD_WORDS], *e, w0;
	struct smmu_locked ul;
	struct smmu_stream *st;
	int rc = check_install(u, pasid, cfg);

	if (rc)
		return rc;
	ul = smmu_lock(u);
	rc = stream_for_install(ul, sid, pasid, &st);
	if (rc)
		goto out;
	/* A parked CD is tagged with the ASID nothing is cached for. */
	if (cfg->kind == PASID_ENTRY_BLOCKED)
		p.asid = asid_blocked(u);
	else
		rc = asid_get(ul, cfg->domain, &p.asid);
	if (rc)
		goto out;
	rc = smmu_build_cd(cd, cfg, &p);
	e = rc ? NULL : cd_of(ul, st, pasid, true);
	if (!e) {
		rc = rc ? rc : -XEN_ENOMEM;
		asid_put(ul, p.asid);
		goto out;
	}
	w0 = load(&e[0]);
	if ((w0 & SMMU_CD0_V) && cfg->kind == PASID_ENTRY_BLOCKED)
		for (unsigned i = 1; i < SMMU_CD_WORDS; i++)
			cd[i] = load(&e[i]); /* a park: word 0 alone */
	cd_replace(ul, st, pasid, e, cd);
	if (w0 & SMMU_CD0_V) {
		asid_put(ul, cd_asid(w0));
	} else {
		st->entries++;
		u->stats.entries++;
	}
	if (st->default_pasid == pasid)
		cd_mirror_default(ul, st);
out:
	smmu_unlock(&ul);
	return rc;
}

static bool leaf_empty(const uint64_t *leaf)
{
	for (unsigned i = 0; i < SMMU_CDS_PER_LEAF; i++)
		if (load(&leaf[i * SMMU_CD_WORDS]) & SMMU_CD0_V)
			return false;
	return true;
}

/* A CMD_SYNC has completed (cmdq_sync) since the leaves were unhooked
 * and their CFGI_CD_ALL queued, or the unit is off: the SMMU fetches
 * from them no more.  On a queue failure there is no such sync, and they
 * are leaked, never freed while live. */
void cd_release_retired(struct smmu_unit *u)
{
	for (unsigned i = 0; i < u->nretired; i++)
		u->mem->free(u->mem_ctx, u->retired[i], 1);
	u->stats.leaves_freed += u->nretired;
	u->nretired = 0;
}

/**
 * Unhooks the leaf of `ssid` when no CD in it is valid: its L1CD is
 * cleared and the stream's CD cache invalidation queued; the page is
 * freed after the next CMD_SYNC (the caller's wait), as the SMMU may
 * fetch from it until then, so that one sync covers every leaf a
 * teardown empties.  Leaf 0 (CD 0) stays.
 */
static void leaf_release(struct smmu_locked ul, struct smmu_stream *st,
			 uint32_t ssid)
{
	struct smmu_unit *u = smmu_held(ul);
	uint64_t *l1, *leaf, c[2];

	if (!st->cd_2lvl || !(ssid >> SMMU_CD_LEAF_SHIFT))
		return;
	l1 = &st->cd_table[ssid >> SMMU_CD_LEAF_SHIFT];
	leaf = p2v(u, load(l1) & SMMU_L1CD_L2PTR);
	if (!leaf_empty(leaf))
		return;
	store_release(l1, 0);
	flush(u, l1, sizeof(*l1));
	smmu_build_cfgi_cd_all(c, st->sid);
	cmdq_submit(ul, c);
	st->leaves--;
	if (u->nretired == SMMU_MAX_RETIRED)
		cmdq_sync(ul); /* frees them */
	if (u->nretired < SMMU_MAX_RETIRED)
		u->retired[u->nretired++] = leaf;
}

void smmu_clear(struct pasid_iommu *iommu, uint32_t sid, uint32_t pasid)
{
	struct smmu_unit *u = to_unit(iommu);
	struct smmu_locked ul = smmu_lock(u);
	struct smmu_stream *st = stream_of(ul, sid, false);
	uint64_t *e = st && pasid ? cd_of(ul, st, pasid, false) : NULL;
	uint64_t w0;

	if (!e || !(load(&e[0]) & SMMU_CD0_V))
		goto out;
	if (st->redirect == pasid && !st->quiesced)
		stream_ste_restore(ul, st); /* never left naming a freed CD */
	w0 = load(&e[0]);
	retire_struct(u, e, 0);
	asid_put(ul, cd_asid(w0));
	st->entries--;
	u->stats.entries--;
	if (st->default_pasid == pasid)
		cd_mirror_default(ul, st);
	leaf_release(ul, st, pasid);
out:
	smmu_unlock(&ul);
}

/* Requests without SubstreamID reach this PASID's CD too: as CD 0's
 * copy, or through the test-only redirect (the SMMU caches it as CD 0). */
static bool seen_as_cd0(const struct smmu_stream *st, uint32_t pasid)
{
	return pasid && (st->default_pasid == pasid || st->redirect == pasid);
}

void smmu_invalidate(struct pasid_iommu *iommu, uint32_t sid, uint32_t pasid,
		     domid_t domain)
{
	struct smmu_unit *u = to_unit(iommu);
	struct smmu_locked ul = smmu_lock(u);
	struct smmu_stream *st = stream_of(ul, sid, false);
	uint16_t asid = 0;
	bool have_asid = asid_lookup(ul, domain, &asid);

	if (st && st->attached)
		cmdq_cd_changed_later(ul, sid, pasid, seen_as_cd0(st, pasid),
				      have_asid, asid);
	smmu_unlock(&ul);
}

/* Completes every invalidation queued: CMD_SYNC, TLBIs, CMD_SYNC. */
void smmu_wait(struct pasid_iommu *iommu)
{
	struct smmu_unit *u = to_unit(iommu);
	struct smmu_locked ul = smmu_lock(u);

	cmdq_complete(ul);
	smmu_unlock(&ul);
}

/**
 * Parks the valid CD of (sid, pasid) in place, as smmu_install() does
 * for PASID_ENTRY_BLOCKED (one 64-bit store of word 0: EPD0, EPD1, R
 * clear, the blocked ASID; 3.21.3), but leaves its invalidations to the
 * next wait: CFGI_CD now, the old ASID's TLBI after the CMD_SYNC that
 * completes it.  No allocation, no failure; an invalid CD is left alone.
 */
void smmu_block(struct pasid_iommu *iommu, uint32_t sid, uint32_t pasid,
		domid_t domain)
{
	struct smmu_unit *u = to_unit(iommu);
	struct smmu_cd_params p = {.ips = u->ips,
				   .coherent = u->coherent,
				   .asid = asid_blocked(u)};
	struct pasid_entry_cfg cfg = {.kind = PASID_ENTRY_BLOCKED,
				      .domain = domain};
	struct smmu_locked ul = smmu_lock(u);
	struct smmu_stream *st = stream_of(ul, sid, false);
	uint64_t *e = st && pasid ? cd_of(ul, st, pasid, false) : NULL;
	uint64_t cd[SMMU_CD_WORDS], w0 = e ? load(&e[0]) : 0;

	if (!(w0 & SMMU_CD0_V) || smmu_build_cd(cd, &cfg, &p))
		goto out;
	if (cd[0] == w0)
		goto out;	     /* parked already */
	store_release(&e[0], cd[0]); /* words 1..7 stay */
	flush(u, e, sizeof(uint64_t));
	asid_put(ul, cd_asid(w0));
	if (st->attached)
		cmdq_cd_changed_later(ul, sid, pasid, seen_as_cd0(st, pasid),
				      true, cd_asid(w0));
	if (st->default_pasid == pasid)
		cd_mirror_default(ul, st);
out:
	smmu_unlock(&ul);
}

const struct pasid_iommu_ops smmu_pasid_ops = {
	.install = smmu_install,
	.clear = smmu_clear,
	.invalidate = smmu_invalidate,
	.wait = smmu_wait,
	.block = smmu_block,
};
