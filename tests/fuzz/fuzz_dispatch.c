/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the hypercall dispatcher and the PASID manager.
 *
 * Each input is decoded into a fresh small system (PASID width from the
 * first byte) and a sequence of steps: hypercalls from four fake domains
 * (domain 0 privileged) with arbitrary op fields, pointers and sizes,
 * valid or not; DMA faults filed and routed; references held across a
 * free or a teardown; domains shut down and brought back; allocations
 * and IOMMU installs made to fail.  After every step the invariants and
 * the mock IOMMUs must agree, and at the end nothing may be leaked:
 * otherwise abort().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "world.h"

#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/version.h>
#include <xen/xen.h>

#define NDOMS	  4
#define OP_OFF	  0x100
#define MEM_SIZE  0x6000 /* guest memory per domain: small is fast */
#define MAX_STEPS 200

struct input {
	const uint8_t *p;
	size_t n;
};

static uint8_t u8(struct input *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static uint32_t u32(struct input *in)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v |= (uint32_t)u8(in) << (8 * i);
	return v;
}

static uint64_t u64(struct input *in)
{
	return u32(in) | ((uint64_t)u32(in) << 32);
}

static void die(const char *what, const char *why)
{
	fprintf(stderr, "fuzz_dispatch: %s: %s\n", what, why);
	abort();
}

static void check(struct world *w, const char *after)
{
	char why[256];

	if (world_check(w, why, sizeof(why)))
		die(after, why);
}

/* Domain 3's range, when the input gives it one (0, 0: the pool). */
static uint32_t range_lo, range_hi;

/* PASIDs seen handed out, so that inputs hit live ones often. */
static uint32_t seen[32];
static unsigned nseen;

static uint32_t pick_pasid(struct input *in, struct world *w)
{
	uint8_t how = u8(in);

	switch (how % 4) {
	case 0:
	case 1:
		return nseen ? seen[u8(in) % nseen] : 1;
	case 2:
		return u8(in) % (w->m.limit + 2);
	default:
		return u32(in);
	}
}

static uint32_t pick_device(struct input *in)
{
	uint8_t how = u8(in);

	switch (how % 5) {
	case 0:
	case 1:
		return WORLD_DEV(u8(in) % NDOMS);
	case 2:
		return WORLD_DEV2(u8(in) % NDOMS);
	case 3:
		return WORLD_DEV_UNASSIGNED;
	default:
		return u32(in);
	}
}

/* A guest pointer for domain id: mostly valid, sometimes hostile. */
static uint64_t pick_ptr(struct input *in, unsigned id, size_t len)
{
	uint8_t how = u8(in);
	uint16_t off = (uint16_t)(u8(in) | u8(in) << 8);

	switch (how % 8) {
	case 0:
	case 1:
	case 2:
	case 3:
		return world_gva(id, 0x1000 * (1 + how % 4));
	case 4:
		return world_gva(id, MEM_SIZE - len + off % 64);
	case 5:
		return world_gva((id + 1) % NDOMS, off); /* someone else's */
	case 6:
		return ~0ull - off; /* wraps */
	default:
		return u64(in);
	}
}

static void pasid_call(struct input *in, struct world *w, unsigned id)
{
	struct paddock_pasid_op op;
	uint8_t flags = u8(in);
	uint64_t uop = world_gva(id, OP_OFF), size = sizeof(op);
	const uint64_t args[5] = {0};
	static struct world_snap before, after;
	uint64_t a[5];
	bool ro;
	long rc;

	memset(&op, 0, sizeof(op));
	op.cmd = 1 + u8(in) % 11;
	if (flags & 0x80)
		op.cmd = u32(in);
	op.pasid = pick_pasid(in, w);
	op.device = pick_device(in);
	op.bind_type = u8(in) % 4;
	/* 0 (the hypervisor's tables) or any guest root (refused). */
	op.fl_root = u8(in) & 1 ? 0 : pick_ptr(in, id, 1);
	op.domain = u8(in) & 1 ? u8(in) % (NDOMS + 1) : u32(in);
	op.quota = u8(in) % 40;
	if (flags & 1) {
		op.reason_buf = pick_ptr(in, id, 160);
		op.reason_len = u8(in) & 1 ? 160 : u32(in);
	}
	if (op.cmd == PADDOCK_PASID_LIST ||
	    op.cmd == PADDOCK_PASID_GET_FAULTS) {
		op.u.list.buf = pick_ptr(in, id, 8 * 56);
		op.u.list.max = u8(in) & 1 ? u8(in) % 10 : u32(in);
	}
	if (flags & 2)
		uop = pick_ptr(in, id, sizeof(op));
	if (flags & 4)
		size = u8(in) & 1 ? u64(in) : sizeof(op) + (int8_t)u8(in);
	if (flags & 8)
		for (unsigned i = 0; i < sizeof(op.u._space); i++)
			op.u._space[i] = u8(in);
	memcpy(world_mem(w, id, OP_OFF), &op, sizeof(op));
	if (flags & 0x10)
		fail_nth_arm(1 + u8(in) % 4);
	if (flags & 0x20)
		w->iommu[u8(in) & 1].fail_installs = 1 + u8(in) % 3;
	ro = (flags & 0x40) && (u8(in) & 1);
	w->fd[id].read_only = ro;
	world_snap(w, &before);
	memcpy(a, args, sizeof(a));
	a[0] = uop;
	a[1] = size;
	rc = hypercall_dispatch(&w->sys, w->doms[id],
				__HYPERVISOR_paddock_pasid_op, a);
	w->fd[id].read_only = false;
	fail_nth_disarm();
	w->iommu[0].fail_installs = w->iommu[1].fail_installs = 0;
	if (rc > 0)
		die("pasid_op", "positive return");
	/* A refused call changes nothing but its own op and counters. */
	if (rc < 0) {
		char why[256];

		world_snap(w, &after);
		if (world_snap_cmp(&before, &after, why, sizeof(why))) {
			fprintf(stderr, "cmd %u rc %ld\n", op.cmd, rc);
			die("refused pasid_op changed state", why);
		}
	}
	memcpy(&op, world_mem(w, id, OP_OFF), sizeof(op));
	if (ro && rc != -XEN_EFAULT && rc != -XEN_EINVAL)
		die("pasid_op", "read-only op not refused");
	if (rc == 0 && uop == world_gva(id, OP_OFF)) {
		if (op.reason != PADDOCK_PASID_R_OK)
			die("pasid_op", "success with a reason");
		if (op.cmd == PADDOCK_PASID_ALLOC && nseen < 32)
			seen[nseen++] = op.pasid;
	}
	/* Never out of space while space is free: a pool domain is refused
	 * for space only when every PASID outside the ranges is held. */
	if (rc < 0 && !ro && uop == world_gva(id, OP_OFF) &&
	    size == sizeof(op) && op.cmd == PADDOCK_PASID_ALLOC &&
	    op.reason == PADDOCK_PASID_R_SPACE && !(id == 3 && range_hi != 0) &&
	    pasid_free_outside_ranges(&w->m))
		die("pasid_op", "ALLOC refused for space while space is free");
	if (rc < 0 && !ro && uop == world_gva(id, OP_OFF) &&
	    size == sizeof(op) &&
	    (op.reason == PADDOCK_PASID_R_OK ||
	     op.reason > PADDOCK_PASID_R_MAX)) {
		fprintf(stderr, "cmd %u rc %ld reason %u\n", op.cmd, rc,
			op.reason);
		die("pasid_op", "failure without a reason");
	}
}

static void other_call(struct input *in, struct world *w, unsigned id)
{
	uint8_t k = u8(in) % 4;
	uint64_t a0 = u8(in), a1 = u8(in) & 1 ? u8(in) : u64(in);
	uint64_t a2 = pick_ptr(in, id, 16);

	switch (k) {
	case 0:
		world_hcall(w, id, __HYPERVISOR_console_io, CONSOLEIO_write, a1,
			    a2);
		break;
	case 1:
		world_hcall(w, id, __HYPERVISOR_xen_version, a0 % 3, a2, 0);
		break;
	case 2:
		world_hcall(w, id, __HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
		break;
	default:
		world_hcall(w, id, u64(in), a0, a1, a2);
		break;
	}
}

static void fault_step(struct input *in, struct world *w)
{
	uint32_t p = pick_pasid(in, w);
	uint8_t k = u8(in);
	struct pasid_record *r;

	if (k % 3 == 0) {
		struct paddock_pasid_fault f = {.address = u64(in),
						.pasid = p,
						.device = pick_device(in)};

		hv_report_fault(&w->sys, &f);
		return;
	}
	if (k % 3 == 1) {
		pasid_route_fault(&w->m, (domid_t)(u8(in) % (NDOMS + 1)), p);
		return;
	}
	/* Hold a reference across its owner's free or teardown. */
	r = pasid_lookup_get(&w->m, p);
	if (!r)
		return;
	domid_t owner = pasid_record_domain(r);
	struct pasid_err err;

	/* Pinned: its owner cannot change under us. */
	if (pasid_lookup(&w->m, p).domain != owner)
		die("lookup", "pinned PASID changed owner");
	if (owner < NDOMS) {
		if (k & 8)
			pasid_free(&w->m, owner, p, &err);
		else if (k & 16)
			pasid_domain_teardown(&w->m, owner);
	}
	pasid_route_fault(&w->m, owner, p);
	pasid_put(&w->m, p);
}

static int make_set(struct world *w, unsigned id, uint32_t quota)
{
	struct pasid_set_cfg c = {
		.domain = (domid_t)id, .privileged = id == 0, .quota = quota};
	struct pasid_err err;

	if (id == 3) {
		c.range_lo = range_lo;
		c.range_hi = range_hi;
	}
	return pasid_set_create(&w->m, &c, &err);
}

/* Before anything is allocated: maybe give domain 3 a static range. */
static void maybe_range(struct input *in, struct world *w)
{
	uint8_t how = u8(in);

	range_lo = range_hi = 0;
	if (!(how & 1))
		return;
	range_lo = 1 + u8(in) % (w->m.limit - 1);
	range_hi = range_lo + u8(in) % 40;
	if (range_hi >= w->m.limit)
		range_hi = w->m.limit - 1;
	pasid_domain_teardown(&w->m, 3);
	if (make_set(w, 3, 12) < 0 &&
	    make_set(w, 3, range_hi - range_lo + 1) < 0)
		die("range", "a range set could not be made");
}

static void life_step(struct input *in, struct world *w)
{
	unsigned id = u8(in) % NDOMS;
	struct domain *d = w->doms[id];

	if (d->state == DOMAIN_RUNNING) {
		struct sched_shutdown *sd = world_mem(w, id, 0x5000);

		sd->reason = SHUTDOWN_crash;
		world_hcall(w, id, __HYPERVISOR_sched_op, SCHEDOP_shutdown,
			    world_gva(id, 0x5000), 0);
		if (d->state != DOMAIN_SHUTDOWN)
			die("shutdown", "domain still running");
		if (pasid_set_of(&w->m, (domid_t)id))
			die("shutdown", "set left behind");
	} else {
		/* Back up, with a fresh set (its range may be taken now). */
		if (make_set(w, id, u8(in) % 24) == 0)
			d->state = DOMAIN_RUNNING;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};
	struct world_cfg cfg = {.ndoms = NDOMS,
				.quota = 12,
				.hv_quota = 2,
				.mem_size = MEM_SIZE};
	static struct world world; /* reused: no big allocation per input */
	struct world *w = &world;
	long base = heap_live();

	cfg.bits = 4 + u8(&in) % 9;
	if (world_init(w, &cfg) < 0)
		die("world_init", "failed");
	nseen = 0;
	maybe_range(&in, w);
	for (int step = 0; step < MAX_STEPS && in.n; step++) {
		uint8_t k = u8(&in);
		unsigned id = u8(&in) % NDOMS;

		switch (k % 16) {
		default:
			pasid_call(&in, w, id);
			break;
		case 10:
		case 11:
			other_call(&in, w, id);
			break;
		case 12:
		case 13:
			fault_step(&in, w);
			break;
		case 14:
			life_step(&in, w);
			break;
		case 15:
			if (k & 0x80)
				pasid_domain_teardown(&w->m, (domid_t)id);
			break;
		}
		check(w, "after a step");
	}
	for (unsigned i = 0; i < NDOMS; i++)
		pasid_domain_teardown(&w->m, (domid_t)i);
	check(w, "after teardown");
	if (w->iommu[0].nentries || w->iommu[1].nentries)
		die("teardown", "IOMMU entries left");
	world_fini(w);
	if (heap_live() != base)
		die("end", "hypervisor heap leaked");
	return 0;
}
