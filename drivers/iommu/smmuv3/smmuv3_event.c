/* SPDX-License-Identifier: MIT */
/*
 * The event queue and global errors (IHI 0070 E.a, 3.5 queues, 7.3 event
 * records, 6.3.18 GERROR).  Events are read at EVENTQ_CONS (page 1, as
 * on QEMU 7.2 where page 1 aliases page 0), decoded and handed on by
 * StreamID and SubstreamID; an overflow is counted and acknowledged
 * (EVENTQ_CONS.OVACKFLG).  Global errors are acknowledged through
 * GERRORN; a command error is repaired first (cmdq_recover()).
 */
#include <xen/errno.h>

#include "smmuv3_internal.h"

uint32_t smmu_gerror_handle(struct smmu_unit *u)
{
	struct smmu_locked ul = smmu_lock(u);
	uint32_t active = (rd32(u, SMMU_GERROR) ^ rd32(u, SMMU_GERRORN)) &
			  (uint32_t)SMMU_GERROR_ERR_MASK;
	uint32_t rest = active & ~(uint32_t)SMMU_GERROR_CMDQ_ERR;

	if (active & SMMU_GERROR_CMDQ_ERR)
		cmdq_recover(ul);
	if (rest)
		wr32(u, SMMU_GERRORN, rd32(u, SMMU_GERRORN) ^ rest);
	if (active)
		u->stats.gerrors++;
	smmu_unlock(&ul);
	return active;
}

static uint32_t evtq_mask(struct smmu_unit *u)
{
	return (2u << u->evtq_log2) - 1; /* index and wrap bit */
}

int smmu_event_next(struct smmu_unit *u, struct smmu_event *out)
{
	struct smmu_locked ul = smmu_lock(u);
	uint32_t prod = rd32(u, SMMU_EVENTQ_PROD);
	uint32_t cons = rd32(u, SMMU_EVENTQ_CONS);
	uint32_t mask = evtq_mask(u);
	uint64_t *rec, e[SMMU_EVT_WORDS];
	int got = 0;

	if ((prod ^ cons) & SMMU_EVENTQ_PROD_OVFLG) {
		/* Records were lost: say so once and acknowledge. */
		u->stats.event_overflows++;
		cons ^= (uint32_t)SMMU_EVENTQ_CONS_OVACK;
		wr32(u, SMMU_EVENTQ_CONS, cons);
	}
	if ((prod & mask) != (cons & mask)) {
		rec = &u->evtq[(cons & (mask >> 1)) * SMMU_EVT_WORDS];
		flush(u, rec, SMMU_EVT_BYTES); /* the SMMU wrote it */
		for (unsigned i = 0; i < SMMU_EVT_WORDS; i++)
			e[i] = load(&rec[i]);
		smmu_decode_event(e, out);
		cons = (cons & (uint32_t)SMMU_EVENTQ_CONS_OVACK) |
		       (((cons & mask) + 1) & mask);
		wr32(u, SMMU_EVENTQ_CONS, cons);
		u->stats.events++;
		got = 1;
	}
	smmu_unlock(&ul);
	return got;
}

unsigned smmu_event_drain(struct smmu_unit *u,
			  void (*route)(void *ctx, const struct smmu_event *e),
			  void *ctx)
{
	struct smmu_event e;
	unsigned n = 0;

	smmu_gerror_handle(u);
	while (n < 256 && smmu_event_next(u, &e)) {
		route(ctx, &e);
		n++;
	}
	return n;
}
