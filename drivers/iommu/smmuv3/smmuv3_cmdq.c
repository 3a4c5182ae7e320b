/* SPDX-License-Identifier: MIT */
/*
 * The command queue (IHI 0070 E.a, 3.5 queues, chapter 4 commands):
 * commands go in at CMDQ_PROD, the SMMU consumes them in order and moves
 * CMDQ_CONS; a CMD_SYNC has completed, and with it every earlier command
 * (4.7.3), once CONS has passed it.  QEMU 7.2 runs the queue inside the
 * PROD write; hardware may take its time, so every wait is bounded.
 *
 * A command the SMMU rejects stops the queue with CMDQ_CONS.ERR set and
 * GERROR.CMDQ_ERR toggled (7.1 "Command queue errors"): cmdq_recover()
 * overwrites the bad entry with a CMD_SYNC, which is harmless, and
 * acknowledges the error, and the SMMU goes on from that entry.
 * Caller holds u->lock.
 */
#include <xen/errno.h>

#include "smmuv3_internal.h"

static uint32_t q_entries(struct smmu_unit *u)
{
	return 1u << u->cmdq_log2;
}

static uint32_t q_idx(struct smmu_unit *u, uint32_t p)
{
	return p & (q_entries(u) - 1);
}

static uint32_t q_wrap(struct smmu_unit *u, uint32_t p)
{
	return p & q_entries(u);
}

/* The pointer after p: index + 1, the wrap bit flipping past the end. */
static uint32_t q_next(struct smmu_unit *u, uint32_t p)
{
	return (p + 1) & (2 * q_entries(u) - 1);
}

static bool q_full(struct smmu_unit *u, uint32_t prod, uint32_t cons)
{
	return q_idx(u, prod) == q_idx(u, cons) &&
	       q_wrap(u, prod) != q_wrap(u, cons);
}

static uint32_t cons_now(struct smmu_unit *u)
{
	return rd32(u, SMMU_CMDQ_CONS);
}

/**
 * Has the queue consumed the entry at pointer `p`?  CONS has moved past
 * it when, counted from `p`, CONS is at most PROD.
 */
static bool q_passed(struct smmu_unit *u, uint32_t p, uint32_t cons)
{
	uint32_t mask = 2 * q_entries(u) - 1;
	uint32_t done = (cons - p) & mask;
	uint32_t span = (u->cmdq_prod - p) & mask;

	return done != 0 && done <= span;
}

void cmdq_recover(struct smmu_locked ul)
{
	struct smmu_unit *u = smmu_held(ul);
	uint32_t gerror = rd32(u, SMMU_GERROR);
	uint32_t gerrorn = rd32(u, SMMU_GERRORN);
	uint32_t cons = cons_now(u);
	uint64_t *slot, c[2];

	if (!((gerror ^ gerrorn) & SMMU_GERROR_CMDQ_ERR))
		return;
	/* The bad entry is at CONS: a CMD_SYNC in its place (7.1). */
	slot = &u->cmdq[q_idx(u, cons) * SMMU_CMD_WORDS];
	smmu_build_sync(c);
	store(&slot[0], c[0]);
	store(&slot[1], c[1]);
	flush(u, slot, SMMU_CMD_BYTES);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	u->stats.cmd_errors++;
	wr32(u, SMMU_GERRORN, gerrorn ^ (uint32_t)SMMU_GERROR_CMDQ_ERR);
}

/** Waits for room for one command, repairing command errors. */
static int wait_room(struct smmu_unit *u, struct smmu_locked ul)
{
	unsigned long n = 0;

	while (q_full(u, u->cmdq_prod, cons_now(u))) {
		cmdq_recover(ul);
		if (++n > poll_limit(u)) {
			u->stats.timeouts++;
			return u->error = -XEN_ETIMEDOUT;
		}
		relax(u);
	}
	return 0;
}

int cmdq_submit(struct smmu_locked ul, const uint64_t c[2])
{
	struct smmu_unit *u = smmu_held(ul);
	uint64_t *slot;

	if (u->error)
		return u->error;
	if (wait_room(u, ul))
		return u->error;
	slot = &u->cmdq[q_idx(u, u->cmdq_prod) * SMMU_CMD_WORDS];
	store(&slot[0], c[0]);
	store(&slot[1], c[1]);
	flush(u, slot, SMMU_CMD_BYTES);
	/* The command is in memory before PROD names it (3.5.2). */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	u->cmdq_prod = q_next(u, u->cmdq_prod);
	wr32(u, SMMU_CMDQ_PROD, u->cmdq_prod);
	u->stats.cmds++;
	u->queued = true;
	return 0;
}

/**
 * Queues a CMD_SYNC and polls CMDQ_CONS until it has passed it: every
 * earlier command has then completed (4.7.3).  A command error met on
 * the way is repaired (cmdq_recover()) and the wait goes on.
 */
int cmdq_sync(struct smmu_locked ul)
{
	struct smmu_unit *u = smmu_held(ul);
	unsigned long n = 0;
	uint32_t at;
	uint64_t c[2];

	smmu_build_sync(c);
	at = u->cmdq_prod;
	if (cmdq_submit(ul, c))
		return u->error;
	while (!q_passed(u, at, cons_now(u))) {
		cmdq_recover(ul);
		if (++n > poll_limit(u)) {
			u->stats.timeouts++;
			return u->error = -XEN_ETIMEDOUT;
		}
		relax(u);
	}
	u->stats.syncs++;
	u->queued = false;
	if (u->nretired)
		cd_release_retired(u);
	return 0;
}

/**
 * The invalidations after a CD changed, in the order 3.21.1 and 4.3/4.4
 * require: the configuration cache first (CFGI_CD of the SubstreamID,
 * and of CD 0 when it mirrors it), completed by a CMD_SYNC, so that no
 * new walk can start from the old CD; only then the TLB entries tagged
 * with the old ASID (TLBI_NH_ASID) and their CMD_SYNC.  ATS is never
 * enabled (STE.EATS = 0), so no ATC_INV follows.
 */
int cmdq_cd_changed(struct smmu_locked ul, uint32_t sid, uint32_t ssid,
		    bool mirror, bool have_asid, uint16_t asid)
{
	uint64_t c[2];
	int rc;

	smmu_build_cfgi_cd(c, sid, ssid);
	cmdq_submit(ul, c);
	if (mirror) {
		smmu_build_cfgi_cd(c, sid, 0);
		cmdq_submit(ul, c);
	}
	rc = cmdq_sync(ul);
	if (rc || !have_asid)
		return rc;
	smmu_build_tlbi_nh_asid(c, asid);
	cmdq_submit(ul, c);
	return cmdq_sync(ul);
}

/* Remembers that `asid`'s TLB entries go at the next cmdq_complete(). */
static void tlbi_later(struct smmu_unit *u, uint16_t asid)
{
	for (unsigned i = 0; i < u->ntlbi; i++)
		if (u->tlbi_asid[i] == asid)
			return;
	if (u->ntlbi < SMMU_MAX_TLBI)
		u->tlbi_asid[u->ntlbi++] = asid;
	else
		u->tlbi_all = true;
}

/**
 * cmdq_cd_changed() in two halves, so that a batch of CD changes (a
 * domain's teardown) costs two CMD_SYNCs, not two each: the CFGI_CDs
 * are queued now; the CMD_SYNC that completes them, then the TLBI_NH_ASID
 * of every old ASID and its CMD_SYNC, come in cmdq_complete(), in the
 * order 3.21.1 requires.
 */
void cmdq_cd_changed_later(struct smmu_locked ul, uint32_t sid, uint32_t ssid,
			   bool mirror, bool have_asid, uint16_t asid)
{
	struct smmu_unit *u = smmu_held(ul);
	uint64_t c[2];

	smmu_build_cfgi_cd(c, sid, ssid);
	cmdq_submit(ul, c);
	if (mirror) {
		smmu_build_cfgi_cd(c, sid, 0);
		cmdq_submit(ul, c);
	}
	if (have_asid)
		tlbi_later(u, asid);
}

/** Completes what was queued: CMD_SYNC, the TLBIs left, CMD_SYNC. */
int cmdq_complete(struct smmu_locked ul)
{
	struct smmu_unit *u = smmu_held(ul);
	uint64_t c[2];
	int rc = 0;

	if (u->queued || u->nretired)
		rc = cmdq_sync(ul);
	if (rc || (!u->ntlbi && !u->tlbi_all))
		return rc;
	for (unsigned i = 0; !u->tlbi_all && i < u->ntlbi; i++) {
		smmu_build_tlbi_nh_asid(c, u->tlbi_asid[i]);
		cmdq_submit(ul, c);
	}
	if (u->tlbi_all) { /* every ASID, as at bring-up */
		smmu_build_tlbi_nsnh_all(c);
		cmdq_submit(ul, c);
	}
	u->ntlbi = 0;
	u->tlbi_all = false;
	return cmdq_sync(ul);
}

/** An STE changed: CFGI_STE and its CMD_SYNC (3.21.1, 4.3.1). */
int cmdq_ste_changed(struct smmu_locked ul, uint32_t sid)
{
	uint64_t c[2];

	smmu_build_cfgi_ste(c, sid);
	cmdq_submit(ul, c);
	return cmdq_sync(ul);
}
