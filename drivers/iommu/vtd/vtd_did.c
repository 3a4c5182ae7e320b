/* SPDX-License-Identifier: MIT */
/*
 * Domain ids (DID, VT-d 4.x 9.6 word 1): a domain's id is its DID unless
 * it does not fit the unit's DID width or CM reserves it; then it borrows
 * one of the top VTD_DID_REMAP DIDs, counted by present entries.  Caller
 * holds u->lock.  The common case, a domain whose id is its DID, is
 * decided inline (vtd_internal.h): only borrowed DIDs come here.
 */
#include <xen/errno.h>

#include "vtd_internal.h"

static uint16_t slot_did(struct vtd_unit *u, unsigned i)
{
	return (uint16_t)(u->did_limit - 1 - i);
}

/** The DID `dom` borrowed on this unit, if it has one. */
bool did_lookup_borrowed(struct vtd_unit_locked ul, domid_t dom, uint16_t *did)
{
	struct vtd_unit *u = vtd_held(ul);

	for (unsigned i = 0; i < VTD_DID_REMAP; i++)
		if (u->did_slot[i].used && u->did_slot[i].dom == dom) {
			*did = slot_did(u, i);
			return true;
		}
	return false;
}

/**
 * Takes a reference on a borrowed DID for `dom` (one per present entry).
 * A DID given up by another domain is reused only after a wait, so the
 * flushes queued for its last entries have completed.
 */
int did_get_borrowed(struct vtd_unit_locked ul, domid_t dom, uint16_t *did)
{
	struct vtd_unit *u = vtd_held(ul);
	int pick = -1;

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

/** Drops a reference on a borrowed DID (the slot stays dom's). */
void did_put_borrowed(struct vtd_unit_locked ul, uint16_t did)
{
	struct vtd_unit *u = vtd_held(ul);
	unsigned i = u->did_limit - 1 - did;

	if (u->did_slot[i].refs)
		u->did_slot[i].refs--;
}
