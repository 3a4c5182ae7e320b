/* SPDX-License-Identifier: MIT */
/*
 * ASIDs (IHI 0070 E.a, 5.4 CD.ASID; 3.17 TLB tagging) by the scheme the
 * VT-d driver uses for domain ids: a domain's id is its ASID when it
 * fits below the top SMMU_ASID_REMAP + 1 ASIDs (8- or 16-bit,
 * IDR0.ASID16); otherwise it borrows one of the SMMU_ASID_REMAP below
 * the top, counted by the valid CDs it tags.  The top ASID is the
 * parked CDs' (asid_blocked()): the TLB is tagged by ASID, not by
 * SubstreamID, so a parked CD tagged with its domain's ASID would still
 * hit the entries its domain's live CDs keep filling; no walk is ever
 * made under the blocked ASID, so nothing is ever cached for it.
 * A borrowed ASID given up by one domain goes to another only after a
 * TLBI_NH_ASID of it and a CMD_SYNC: no TLB entry of the old owner's
 * survives into the new owner's translations.
 * Caller holds u->lock.
 */
#include <xen/errno.h>

#include "smmuv3_internal.h"

static bool asid_identity(const struct smmu_unit *u, domid_t dom)
{
	return dom < u->asid_limit - 1 - SMMU_ASID_REMAP;
}

static uint16_t slot_asid(const struct smmu_unit *u, unsigned i)
{
	return (uint16_t)(u->asid_limit - 2 - i);
}

uint16_t asid_blocked(const struct smmu_unit *u)
{
	return (uint16_t)(u->asid_limit - 1);
}

bool asid_lookup(struct smmu_locked ul, domid_t dom, uint16_t *asid)
{
	struct smmu_unit *u = smmu_held(ul);

	if (asid_identity(u, dom)) {
		*asid = dom;
		return true;
	}
	for (unsigned i = 0; i < SMMU_ASID_REMAP; i++) {
		if (u->asid_slot[i].used && u->asid_slot[i].dom == dom) {
			*asid = slot_asid(u, i);
			return true;
		}
	}
	return false;
}

/** Prefers a never-used slot, then the first idle one; -1 if none. */
static int pick_slot(struct smmu_unit *u)
{
	int pick = -1;

	for (unsigned i = 0; i < SMMU_ASID_REMAP; i++) {
		const struct smmu_asid_slot *s = &u->asid_slot[i];

		if (!s->refs &&
		    (pick < 0 || (!s->used && u->asid_slot[pick].used)))
			pick = (int)i;
	}
	return pick;
}

int asid_get(struct smmu_locked ul, domid_t dom, uint16_t *asid)
{
	struct smmu_unit *u = smmu_held(ul);
	int pick;

	if (asid_identity(u, dom)) {
		*asid = dom;
		return 0;
	}
	for (unsigned i = 0; i < SMMU_ASID_REMAP; i++) {
		struct smmu_asid_slot *s = &u->asid_slot[i];

		if (s->used && s->dom == dom) {
			s->refs++;
			*asid = slot_asid(u, i);
			return 0;
		}
	}
	pick = pick_slot(u);
	if (pick < 0)
		return -XEN_ENOSPC;
	if (u->asid_slot[pick].used) {
		/* Nothing the last owner left in the TLB survives: the CFGIs
		 * still queued complete first (smmu_block, smmu_invalidate),
		 * so that no walk of an old CD refills it after the TLBI. */
		uint64_t c[2];

		if (u->queued)
			cmdq_sync(ul);
		smmu_build_tlbi_nh_asid(c, slot_asid(u, (unsigned)pick));
		cmdq_submit(ul, c);
		cmdq_sync(ul);
	}
	u->asid_slot[pick] =
		(struct smmu_asid_slot){.dom = dom, .used = true, .refs = 1};
	*asid = slot_asid(u, (unsigned)pick);
	return 0;
}

void asid_put(struct smmu_locked ul, uint16_t asid)
{
	struct smmu_unit *u = smmu_held(ul);
	unsigned i;

	if (asid < u->asid_limit - 1 - SMMU_ASID_REMAP ||
	    asid == asid_blocked(u))
		return;
	i = u->asid_limit - 2 - asid;
	if (u->asid_slot[i].refs)
		u->asid_slot[i].refs--;
}
