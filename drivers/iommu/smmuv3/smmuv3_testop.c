/* SPDX-License-Identifier: MIT */
/*
 * TEST IMAGES ONLY (SMMUV3_TESTOP_SRCS, linked with the test-only
 * hypercall): the STE of a StreamID pointed straight at CD[n] with
 * S1CDMAX = 0 (IHI 0070 E.a, 5.2: S1ContextPtr then names one CD), then
 * CFGI_STE and CMD_SYNC (4.3.1, 4.7.3).  QEMU 7.2's SMMU has no
 * SubstreamIDs and fetches the CD at S1ContextPtr for every request, so
 * this is how a real DMA proves the CD the driver built for SubstreamID
 * n.  Cleared again by smmu_test_redirect(u, sid, 0), by a clear of that
 * CD, and by quiescing.
 */
#include <xen/errno.h>

#include "smmuv3_internal.h"

static int redirect_locked(struct smmu_locked ul, struct smmu_stream *st,
			   uint32_t pasid)
{
	struct smmu_unit *u = smmu_held(ul);
	struct smmu_ste_params p = {.coherent = u->coherent};
	uint64_t ste[SMMU_STE_WORDS], *e, *cd;
	int rc;

	if (!pasid)
		return stream_ste_restore(ul, st);
	cd = cd_of(ul, st, pasid, false);
	if (!cd || !(load(&cd[0]) & SMMU_CD0_V) ||
	    !cd_pa_of(ul, st, pasid, &p.ctx_ptr))
		return -XEN_ENOENT;
	rc = smmu_build_ste_s1(ste, &p);
	e = ste_of(ul, st->sid, false);
	if (rc || !e)
		return rc ? rc : -XEN_ENOENT;
	ste_write(ul, st->sid, e, ste);
	st->redirect = pasid;
	return cmdq_ste_changed(ul, st->sid);
}

int smmu_test_redirect(struct smmu_unit *u, uint32_t sid, uint32_t pasid)
{
	struct smmu_locked ul = smmu_lock(u);
	struct smmu_stream *st = stream_of(ul, sid, false);
	int rc = -XEN_ENOENT;

	if (st && st->attached && !st->quiesced)
		rc = redirect_locked(ul, st, pasid);
	smmu_unlock(&ul);
	return rc;
}
