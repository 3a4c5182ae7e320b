/* SPDX-License-Identifier: MIT */
/*
 * The stream table (IHI 0070 E.a, 5.1, 5.2): one STE per StreamID, in a
 * linear table or in 64-STE leaves named by L1 descriptors, allocated
 * when a StreamID is first declared.  An STE is an abort STE (Config =
 * 0b000) until its device's first install, then a stage-1 STE naming the
 * device's CD table; quiescing makes it invalid.  No STE this driver
 * writes ever bypasses (Config = 0b100).  Caller holds u->lock.
 */
#include <xen/errno.h>

#include "smmuv3_internal.h"

#define ST_LEAF_SHIFT 6 /* STRTAB_BASE_CFG.SPLIT: 64 STEs, 4 KiB */

static uint64_t *st_leaf_new(struct smmu_unit *u, uint64_t *l1)
{
	hpaddr_t pa;
	uint64_t *leaf = u->mem->alloc(u->mem_ctx, 1, &pa);

	if (!leaf)
		return NULL;
	for (unsigned i = 0; i < 1u << ST_LEAF_SHIFT; i++)
		smmu_build_ste_abort(&leaf[i * SMMU_STE_WORDS]);
	flush(u, leaf, SMMU_PAGE_SIZE);
	store_release(l1, smmu_build_l1std(pa));
	flush(u, l1, sizeof(*l1));
	u->st_leaves++;
	return leaf;
}

/** The STE of `sid`, its leaf made if `alloc`; NULL beyond the table. */
uint64_t *ste_of(struct smmu_locked ul, uint32_t sid, bool alloc)
{
	struct smmu_unit *u = smmu_held(ul);
	uint64_t *l1, *leaf;

	if (sid >> u->st_log2)
		return NULL;
	if (!u->st_2lvl)
		return &u->strtab[(size_t)sid * SMMU_STE_WORDS];
	l1 = &u->strtab[sid >> ST_LEAF_SHIFT];
	if (SMMU_FIELD_GET(SMMU_L1STD_SPAN, load(l1)))
		leaf = p2v(u, load(l1) & SMMU_L1STD_L2PTR);
	else if (!alloc || !(leaf = st_leaf_new(u, l1)))
		return NULL;
	return &leaf[(sid & ((1u << ST_LEAF_SHIFT) - 1)) * SMMU_STE_WORDS];
}

struct smmu_stream *stream_of(struct smmu_locked ul, uint32_t sid, bool add)
{
	struct smmu_unit *u = smmu_held(ul);
	struct smmu_stream *free_slot = NULL;

	for (unsigned i = 0; i < SMMU_MAX_STREAMS; i++) {
		struct smmu_stream *st = &u->streams[i];

		if (st->used && st->sid == sid)
			return st;
		if (!st->used && !free_slot)
			free_slot = st;
	}
	if (!add || !free_slot || !ste_of(ul, sid, true))
		return NULL;
	*free_slot = (struct smmu_stream){
		.sid = sid,
		.used = true,
		.pasid_bits = u->pasid_bits,
	};
	return free_slot;
}

static bool same_words(const uint64_t *a, const uint64_t *b, unsigned from)
{
	for (unsigned i = from; i < 8; i++)
		if (load(&a[i]) != b[i])
			return false;
	return true;
}

/**
 * Writes an STE (3.21.3): an STE that aborts or is invalid ignores
 * words 1..7, as does one whose words 1..7 stay, so word 0 alone
 * switches it in one 64-bit store; any other valid STE is made invalid,
 * CFGI_STE and CMD_SYNC, before the new one goes in, V last.  The caller
 * issues the CFGI_STE and CMD_SYNC that publish the result.
 */
void ste_write(struct smmu_locked ul, uint32_t sid, uint64_t *ste,
	       const uint64_t *val)
{
	struct smmu_unit *u = smmu_held(ul);
	uint64_t w0 = load(&ste[0]);
	bool live = (w0 & SMMU_STE0_V) &&
		    SMMU_FIELD_GET(SMMU_STE0_CONFIG, w0) != SMMU_STE_CFG_ABORT;

	if (live && !same_words(ste, val, 1)) {
		retire_struct(u, ste, 0);
		cmdq_ste_changed(ul, sid);
	}
	commit_struct(u, ste, val);
}

/** The pointer an STE names: the CD table, or CD 0 without SSIDs. */
static hpaddr_t ctx_ptr_of(struct smmu_stream *st)
{
	if (st->s1cdmax || !st->cd_2lvl)
		return st->cd_table_pa;
	return hpa(load(&st->cd_table[0]) & SMMU_L1CD_L2PTR);
}

/** The stream's normal stage-1 STE, over its CD table. */
int stream_ste_restore(struct smmu_locked ul, struct smmu_stream *st)
{
	struct smmu_unit *u = smmu_held(ul);
	struct smmu_ste_params p = {
		.ctx_ptr = ctx_ptr_of(st),
		.s1cdmax = st->s1cdmax,
		.cd_2lvl = st->cd_2lvl,
		.coherent = u->coherent,
	};
	uint64_t ste[SMMU_STE_WORDS], *e = ste_of(ul, st->sid, true);
	int rc = smmu_build_ste_s1(ste, &p);

	if (rc)
		return rc;
	if (!e)
		return -XEN_EINVAL;
	ste_write(ul, st->sid, e, ste);
	st->redirect = 0;
	return cmdq_ste_changed(ul, st->sid);
}

/** First install of a stream: its CD table, then its stage-1 STE. */
int stream_attach(struct smmu_locked ul, struct smmu_stream *st)
{
	int rc = cd_table_alloc(ul, st);

	if (rc)
		return rc;
	rc = stream_ste_restore(ul, st);
	if (rc)
		return rc;
	st->attached = true;
	return 0;
}

int smmu_add_stream(struct smmu_unit *u, uint32_t sid, unsigned pasid_bits)
{
	struct smmu_locked ul = smmu_lock(u);
	struct smmu_stream *st = stream_of(ul, sid, true);
	int rc = 0;

	if (!st)
		rc = -XEN_EINVAL;
	else if (st->attached)
		rc = -XEN_EBUSY; /* its CD table is sized already */
	else
		st->pasid_bits =
			pasid_bits < u->pasid_bits ? pasid_bits : u->pasid_bits;
	smmu_unlock(&ul);
	return rc;
}

int smmu_quiesce_stream(struct smmu_unit *u, uint32_t sid)
{
	struct smmu_locked ul = smmu_lock(u);
	struct smmu_stream *st = stream_of(ul, sid, true);
	uint64_t *ste = ste_of(ul, sid, true);
	int rc = -XEN_EINVAL;

	if (st && ste) {
		retire_struct(u, ste, 0);
		st->quiesced = true;
		st->redirect = 0;
		u->stats.quiesced++;
		rc = cmdq_ste_changed(ul, sid);
	}
	smmu_unlock(&ul);
	return rc;
}

int smmu_set_default_pasid(struct smmu_unit *u, uint32_t sid, uint32_t pasid)
{
	struct smmu_locked ul = smmu_lock(u);
	struct smmu_stream *st = stream_of(ul, sid, false);
	int rc = 0;

	if (!st || !st->attached)
		rc = -XEN_ENOENT;
	else if (st->quiesced)
		rc = -XEN_EPERM;
	else if (pasid >> st->pasid_bits)
		rc = -XEN_EINVAL;
	if (!rc) {
		st->default_pasid = pasid;
		cd_mirror_default(ul, st);
		rc = cmdq_cd_changed(ul, sid, 0, false, false, 0);
	}
	smmu_unlock(&ul);
	return rc;
}

int smmu_get_default_pasid(struct smmu_unit *u, uint32_t sid, uint32_t *pasid)
{
	struct smmu_locked ul = smmu_lock(u);
	struct smmu_stream *st = stream_of(ul, sid, false);
	int rc = -XEN_ENOENT;

	if (st && st->attached && !st->quiesced) {
		*pasid = st->redirect ? st->redirect : st->default_pasid;
		rc = 0;
	}
	smmu_unlock(&ul);
	return rc;
}

void strtab_free(struct smmu_unit *u)
{
	if (!u->strtab)
		return;
	if (u->st_2lvl) {
		for (size_t i = 0; i < 1u << (u->st_log2 - ST_LEAF_SHIFT);
		     i++) {
			uint64_t d = u->strtab[i];

			if (SMMU_FIELD_GET(SMMU_L1STD_SPAN, d))
				u->mem->free(u->mem_ctx,
					     p2v(u, d & SMMU_L1STD_L2PTR), 1);
		}
	}
	u->mem->free(u->mem_ctx, u->strtab_mem, u->strtab_mem_pages);
	u->strtab = NULL;
}
