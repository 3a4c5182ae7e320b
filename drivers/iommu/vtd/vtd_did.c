/* SPDX-License-Identifier: MIT */
/*
 * Domain ids (DID, VT-d 4.x 9.6 word 1): a domain's id is its DID unless
 * it does not fit the unit's DID width or CM reserves it; then it borrows
 * one of the top VTD_DID_REMAP DIDs, counted by present entries.  Caller
 * holds u->lock.
 */
#include <xen/errno.h>

#include "vtd_internal.h"

/* ------------------------------------------------------------------ */
/* Domain ids (DID, 9.6 word 1)                                        */

static bool did_identity(struct vtd_unit *u, domid_t dom)
{
	if (dom == 0 && (u->cap & VTD_CAP_CM))
		return false; /* CM = 1 reserves DID 0 (6.1) */
	return dom < u->did_limit - VTD_DID_REMAP;
}

static uint16_t slot_did(struct vtd_unit *u, unsigned i)
{
	return (uint16_t)(u->did_limit - 1 - i);
}

/** The DID that tags `dom`'s entries, if it has one on this unit. */
bool did_lookup(struct vtd_unit_locked ul, domid_t dom, uint16_t *did)
{
	struct vtd_unit *u = vtd_held(ul);

	if (did_identity(u, dom)) {
		*did = dom;
		return true;
	}
	for (unsigned i = 0; i < VTD_DID_REMAP; i++)
		if (u->did_slot[i].used && u->did_slot[i].dom == dom) {
			*did = slot_did(u, i);
			return true;
		}
	return false;
}

/**
 * Takes a reference on the DID for `dom` (one per present entry).  A
 * borrowed DID given up by another domain is reused only after a wait, so
 * the flushes queued for its last entries have completed.
 */
int did_get(struct vtd_unit_locked ul, domid_t dom, uint16_t *did)
{
	struct vtd_unit *u = vtd_held(ul);
	int pick = -1;

	if (did_identity(u, dom)) {
		*did = dom;
		return 0;
	}
	for (unsigned i = 0; i < VTD_DID_REMAP; i++) {
		struct vtd_did_slot *sl = &u->did_slot[i];

		if (sl->used && sl->dom == dom) {
			sl->refs++;
			*did = slot_did(u, i);
			return 0;
		}
		/* Prefer a never-used DID, then the first idle one. */
		if (!sl->refs &&
		    (pick < 0 || (!sl->used && u->did_slot[pick].used)))
			pick = (int)i;
	}
	if (pick < 0)
		return -XEN_ENOSPC;
	if (u->did_slot[pick].used && u->queued)
		qi_wait(ul);
	u->did_slot[pick] =
		(struct vtd_did_slot){.dom = dom, .used = true, .refs = 1};
	*did = slot_did(u, (unsigned)pick);
	return 0;
}

void did_put(struct vtd_unit_locked ul, uint16_t did)
{
	struct vtd_unit *u = vtd_held(ul);
	unsigned i = u->did_limit - 1 - did;

	if (did >= u->did_limit - VTD_DID_REMAP && u->did_slot[i].refs)
		u->did_slot[i].refs--;
}
