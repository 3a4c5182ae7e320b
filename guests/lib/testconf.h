/* SPDX-License-Identifier: MIT */
/*
 * What the test guests expect of the system configuration that runs them
 * (see docs/guests.md, "Systems for the test guests").
 */
#ifndef PADDOCK_GUEST_TESTCONF_H
#define PADDOCK_GUEST_TESTCONF_H

/*
 * The watch domain boots with this PASID quota, and no other domain may
 * have the same one: it is how the control domain finds it in LIST.
 */
#define TESTCONF_WATCH_QUOTA 11
/* The quota the control domain gives it, which it waits to see. */
#define TESTCONF_WATCH_NEW_QUOTA 29
/* How many yields the watch domain waits for the change before failing. */
#define TESTCONF_WATCH_POLLS 200000

/*
 * The dma guest: a device that exists but is another domain's (QEMU q35
 * as config/platforms/qemu-x86_64.mk describes it: the edu at 03:00.0).
 */
#define TESTCONF_DMA_FOREIGN_DEVICE 0x0300

/*
 * The red-team system (config/systems/x86_64/x86-redteam.c, docs/guests.md).
 * The victim is domain 0 (so the attacker's probe_other_addr is the
 * victim's first page), owns TESTCONF_REDTEAM_VICTIM_DEVICE and the PASID
 * range below; the attacker owns TESTCONF_REDTEAM_ATTACKER_DEVICE and
 * draws from the shared pool; the referee is privileged.
 *
 * The handshake uses only what the ABI offers (LIST and SET_QUOTA of a
 * privileged domain, QUERY of one's own quota): the referee sees in LIST
 * that the victim holds its PASIDs, raises the attacker's quota to GO;
 * the attacker attacks while its quota says GO and powers off; the
 * referee sees the attacker's set go and raises the victim's quota to
 * DONE; the victim then stops re-checking.  Domains are found in LIST by
 * these quotas, which no other domain of the system may have.
 */
#define TESTCONF_REDTEAM_VICTIM_QUOTA	   8
#define TESTCONF_REDTEAM_VICTIM_DONE_QUOTA 9
#define TESTCONF_REDTEAM_ATTACKER_QUOTA	   5
#define TESTCONF_REDTEAM_ATTACKER_GO_QUOTA 6
#define TESTCONF_REDTEAM_VICTIM_RANGE_LO   0x200
#define TESTCONF_REDTEAM_VICTIM_RANGE_HI   0x20f
#define TESTCONF_REDTEAM_VICTIM_DEVICE	   0x0100 /* 01:00.0, edu */
#define TESTCONF_REDTEAM_ATTACKER_DEVICE   0x0300 /* 03:00.0, edu */
/* A device id no PCI function of the QEMU board's machine has. */
#define TESTCONF_REDTEAM_NO_DEVICE 0x7f00
/*
 * What the victim holds while the attacker runs: PASIDs allocated (one
 * unbound without data, one with data, one bound, one parked behind its
 * binding), of which bound and parked.
 */
#define TESTCONF_REDTEAM_VICTIM_HELD   4
#define TESTCONF_REDTEAM_VICTIM_BOUND  1
#define TESTCONF_REDTEAM_VICTIM_PARKED 1
/* The victim's cookies (SET_DATA): the attacker must never read them. */
#define TESTCONF_REDTEAM_COOKIE_DATA  0xc0031e0000da7a00ull
#define TESTCONF_REDTEAM_COOKIE_BOUND 0xc0031e000b0d0b0dull
/*
 * Sentinel pages of the victim: this many bytes from its first byte of
 * memory (its heap, reserved with sbrk), filled with a pattern derived
 * from TESTCONF_REDTEAM_SECRET.  The attacker aims DMA at them by
 * host-physical address (probe_other_addr + offset).
 */
#define TESTCONF_REDTEAM_SENTINEL_OFFSET 0x300000ull
#define TESTCONF_REDTEAM_SENTINEL_PAGES	 2
#define TESTCONF_REDTEAM_SECRET		 0x5ec7e75ec7e7c0deull
/* Yields any of the three waits for the other side before failing. */
#define TESTCONF_REDTEAM_POLLS 400000
/*
 * The victim domain beside the dma domain (the system dma-guest)
 * meets it on the test image's board (PADDOCK_TEST_POST/PEEK): it posts a
 * bound PASID of its own in one slot; the dma domain, done attacking with
 * it, posts in the other how many of its own device's faults carried it.
 */
#define TESTCONF_SLOT_VICTIM_PASID 0
#define TESTCONF_SLOT_ATTACK_DONE  1
/* Yields the dma domain waits for the victim's PASID (it SKIPs the
 * foreign-PASID tests without one: the demo has no victim). */
#define TESTCONF_VICTIM_WAIT_POLLS 500
/* Yields the victim waits for the dma domain to be done before failing. */
#define TESTCONF_VICTIM_POLLS 400000

/*
 * The GIC ITS's doorbell on QEMU's virt machine (the tree's ITS at
 * 0x08080000; GITS_TRANSLATER at +0x10040, GICv3 IHI 0069, 12.19): the
 * address a device would write to raise an LPI.  It is in no domain's
 * DMA tables, so such a write must fault (guests/tests/dma).
 */
#define TESTCONF_ARM_ITS_DOORBELL 0x08090040ull

/*
 * The SMP proof (config/systems/smp.c, docs/guests.md "The SMP proof").
 * Workers (guests/tests/smpworker) start with quota
 * TESTCONF_SMP_WORKER_QUOTA; the control domain (guests/tests/smpcontrol)
 * sets every unprivileged domain's quota, round after round, to the next
 * of TESTCONF_SMP_QUOTAS, so a worker's quota is always one of those and
 * its refusals for quota are legitimate outcomes it counts.
 */
#define TESTCONF_SMP_WORKER_QUOTA 6
#define TESTCONF_SMP_QUOTAS                                                    \
	{                                                                      \
		20, 2, 18, 0, 20, 6, 18, 1                                     \
	}
#define TESTCONF_SMP_QUOTA_MAX 20 /* the largest of the above */
/* The system's unprivileged domains: the workers and the crasher. */
#define TESTCONF_SMP_UNPRIVILEGED 5
/* Rounds each worker runs (alloc, bind, unbind, free, query): enough
 * to overlap the others for seconds under TCG. */
#define TESTCONF_SMP_ROUNDS 2000
/* ... and more, up to this, until its run overlapped the others'. */
#define TESTCONF_SMP_ROUNDS_MAX 40000
/*
 * The PASIDs a worker wants to hold in round r: TESTCONF_SMP_HOLDS[r % 8].
 * 17 and 18 take a second 16-PASID chunk from the shared pool, which goes
 * back to it when the worker lets go again (a set keeps only its last
 * chunk: docs/design.md), so the workers claim and release chunks of the
 * one pool, under its lock, from all CPUs at once.
 */
#define TESTCONF_SMP_HOLDS                                                     \
	{                                                                      \
		17, 2, 18, 17, 3, 18, 1, 17                                    \
	}
#define TESTCONF_SMP_HOLD_MAX 18 /* the most of the above */
/* The crasher faults after this many rounds, holding PASIDs. */
#define TESTCONF_SMP_CRASH_ROUND (TESTCONF_SMP_ROUNDS / 2)
/* Yields the crasher may wait for a quota that lets it hold what it
 * crashes with. */
#define TESTCONF_SMP_CRASH_POLLS 200000
/* Rounds the control domain may run before it gives up on the workers. */
#define TESTCONF_SMP_CONTROL_ROUNDS 2000000
/*
 * The SMP bench (config/systems/smp-bench1.c, smp-bench4.c): each bench
 * domain posts on the test board's slot numbered by its domain id, waits
 * until every one of the system's TESTCONF_SMP_BENCH_DOMAINS slots is
 * posted, then times this many ALLOC+FREE pairs.
 */
#define TESTCONF_SMP_BENCH_PAIRS 100000
#define TESTCONF_SMP_BENCH_POLLS 2000000

#endif
