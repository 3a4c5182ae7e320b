/* SPDX-License-Identifier: MIT */
/*
 * Queued invalidation (VT-d 4.x, 6.5.2): descriptors go into a one-page
 * ring of 256-bit slots; a wait descriptor's status write tells when every
 * earlier one has completed.  Flushes queued since the last wait are
 * remembered so that a batch does not repeat one.  Caller holds u->lock.
 */
#include <xen/errno.h>

#include "vtd_internal.h"

/* ------------------------------------------------------------------ */
/* Queued invalidation (6.5.2)                                         */

static unsigned queue_head(struct vtd_unit *u)
{
	uint64_t h = rd64(u, VTD_REG64_IQH);

	return u->desc_words == 4 ? VTD_FIELD_GET(VTD_IQ_PTR_256, h)
				  : VTD_FIELD_GET(VTD_IQ_PTR_128, h);
}

static int queue_failed(struct vtd_unit *u)
{
	uint32_t fsts = rd32(u, VTD_REG32_FSTS);

	if (fsts & (VTD_FSTS_IQE | VTD_FSTS_ITE | VTD_FSTS_ICE)) {
		u->error = -XEN_EIO;
		return u->error;
	}
	return 0;
}

/** Appends one descriptor and moves the tail; waits for room if full. */
int qi_submit(struct vtd_unit_locked ul, const uint64_t d[4])
{
	struct vtd_unit *u = vtd_held(ul);
	unsigned next = (u->tail + 1) % u->queue_slots;
	unsigned long n = 0;
	uint64_t *slot;

	if (u->error)
		return u->error;
	while (queue_head(u) == next) {
		if (queue_failed(u))
			return u->error;
		if (++n > poll_limit(u))
			return u->error = -XEN_ETIMEDOUT;
		relax(u);
	}
	slot = &u->queue[u->tail * u->desc_words];
	for (unsigned i = 0; i < u->desc_words; i++)
		store(&slot[i], d[i]);
	flush(u, slot, u->desc_words * sizeof(uint64_t));
	__atomic_thread_fence(__ATOMIC_RELEASE);
	u->tail = next;
	wr64(u, VTD_REG64_IQT,
	     u->desc_words == 4 ? VTD_FIELD_PREP(VTD_IQ_PTR_256, next)
				: VTD_FIELD_PREP(VTD_IQ_PTR_128, next));
	u->stats.descs++;
	u->queued = true;
	return 0;
}

/**
 * Queues a wait descriptor with a status write and polls the status word
 * until it holds this wait's sequence number: every earlier descriptor
 * has then completed (6.5.2.8).
 */
int qi_wait(struct vtd_unit_locked ul)
{
	struct vtd_unit *u = vtd_held(ul);
	uint64_t d[4];
	uint32_t seq = ++u->seq;
	unsigned long n = 0;
	int rc;

	if (seq == 0)
		seq = ++u->seq;
	vtd_build_inv_wait(d, u->status_pa, seq);
	rc = qi_submit(ul, d);
	if (rc)
		return rc;
	while (__atomic_load_n(u->status, __ATOMIC_ACQUIRE) != seq) {
		if (queue_failed(u))
			return u->error;
		if (++n > poll_limit(u))
			return u->error = -XEN_ETIMEDOUT;
		relax(u);
	}
	u->stats.waits++;
	u->queued = false;
	u->nseen = 0;
	if (u->nretired)
		vtd_release_retired(u);
	return 0;
}

const struct vtd_ats_dev *ats_of(struct vtd_unit_locked ul, uint16_t sid)
{
	struct vtd_unit *u = vtd_held(ul);

	if (!(u->ecap & VTD_ECAP_DT))
		return NULL;
	for (unsigned i = 0; i < u->nats; i++)
		if (u->ats[i].sid == sid)
			return &u->ats[i];
	return NULL;
}

/**
 * The flushes that follow a change of the PASID-table entry (sid, pasid)
 * whose caches are tagged `did` (6.5, "Guidance to Software for
 * Invalidations", PASID-table entry rows): PASID-cache (PASID-selective),
 * PASID-based IOTLB (first-level and nested translations), a domain-
 * selective IOTLB invalidation (second-level and pass-through translations;
 * also the only one QEMU 7.2 honours), then the PASID-based device-TLB
 * when the device has ATS.  The caller ends the batch with a wait.
 */
void queue_pasid_flush(struct vtd_unit_locked ul, uint16_t sid, uint32_t pasid,
		       uint16_t did, bool was_pt)
{
	struct vtd_unit *u = vtd_held(ul);
	const struct vtd_ats_dev *ats = ats_of(ul, sid);
	uint64_t d[4];

	/*
	 * QEMU 7.2 moves a device whose entry is pass-through to an
	 * untranslated fast path and re-checks only on a context-cache
	 * invalidation: this extra, spec-valid one makes a retired
	 * pass-through entry take effect there too.
	 */
	if (was_pt) {
		vtd_build_inv_cc(d, VTD_CC_G_DEVICE, 0, sid);
		qi_submit(ul, d);
	}
	for (unsigned i = 0; i < u->nseen; i++)
		if (u->seen[i].device == sid && u->seen[i].pasid == pasid &&
		    u->seen[i].did == did)
			return;
	vtd_build_inv_pc(d, VTD_PC_G_PASID, did, pasid);
	qi_submit(ul, d);
	vtd_build_inv_piotlb(d, did, pasid);
	qi_submit(ul, d);
	vtd_build_inv_iotlb(d, VTD_IOTLB_G_DOMAIN, did);
	qi_submit(ul, d);
	if (ats) {
		vtd_build_inv_pdevtlb(d, ats, pasid);
		qi_submit(ul, d);
	}
	if (u->nseen < VTD_MAX_SEEN) {
		u->seen[u->nseen].device = sid;
		u->seen[u->nseen].pasid = pasid;
		u->seen[u->nseen].did = did;
		u->nseen++;
	}
}

/*
 * After a present context entry of `sid` changed: a device-selective
 * context-cache invalidation, then global PASID-cache and IOTLB ones
 * (6.5.3.3), since the device's PASIDs may be tagged with any DID.  The
 * caller adds a device-TLB invalidation where it needs one, then waits.
 */
void queue_context_flush(struct vtd_unit_locked ul, uint16_t sid)
{
	uint64_t d[4];

	vtd_build_inv_cc(d, VTD_CC_G_DEVICE, 0, sid);
	qi_submit(ul, d);
	vtd_build_inv_pc(d, VTD_PC_G_GLOBAL, 0, 0);
	qi_submit(ul, d);
	vtd_build_inv_iotlb(d, VTD_IOTLB_G_GLOBAL, 0);
	qi_submit(ul, d);
}
