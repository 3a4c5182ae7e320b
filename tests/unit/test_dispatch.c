/* SPDX-License-Identifier: MIT */
/*
 * The hypercall dispatcher, end to end: ops placed in fake guest memory,
 * hypercall_dispatch() called as the arch trap code would, results read
 * back from guest memory.  Every sub-op, the Xen calls Paddock serves, and
 * hostile arguments: each refusal gives the right XEN_E* code and reason
 * and changes nothing else.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"

#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/version.h>
#include <xen/xen.h>

#define OFF_REASON   0x1000
#define OFF_LIST     0x2000
#define OFF_FAULTS   0x3000
#define OFF_TABLE    0x4000
#define OFF_SHUTDOWN 0x5000
#define OFF_OP2	     0x6000

static int setup(void **state)
{
	struct world_cfg cfg = {
		.bits = 12, .ndoms = 4, .quota = 8, .hv_quota = 2};
	struct world *w = world_new(&cfg);

	assert_non_null(w);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;
	long base = w->heap_base;

	assert_world_ok(w);
	world_free(w);
	assert_int_equal(heap_live(), base);
	return 0;
}

static long call(struct world *w, unsigned id, struct paddock_pasid_op *op)
{
	return world_pasid_op(w, id, op);
}

static uint32_t alloc(struct world *w, unsigned id)
{
	struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_ALLOC};

	assert_int_equal(call(w, id, &op), 0);
	assert_int_equal(op.reason, PADDOCK_PASID_R_OK);
	assert_true(op.pasid >= 1 && op.pasid < 4096);
	return op.pasid;
}

static struct paddock_pasid_info query(struct world *w, unsigned id)
{
	struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_QUERY};

	assert_int_equal(call(w, id, &op), 0);
	return op.u.info;
}

/* ---- every sub-op, called properly ---------------------------------- */

static void all_sub_ops(void **state)
{
	struct world *w = *state;
	struct paddock_pasid_op op;
	uint32_t p = alloc(w, 1);
	const struct mock_entry *e;
	struct paddock_pasid_info i;

	memset(world_mem(w, 1, OFF_REASON), 'x', 16);
	op = (struct paddock_pasid_op){.cmd = PADDOCK_PASID_SET_DATA,
				       .pasid = p,
				       .cookie = 0x1122334455667788ull,
				       .reason_buf = world_gva(1, OFF_REASON),
				       .reason_len = 16};
	assert_int_equal(call(w, 1, &op), 0);
	/* Success writes no reason text. */
	assert_int_equal(((char *)world_mem(w, 1, OFF_REASON))[0], 'x');
	op = (struct paddock_pasid_op){.cmd = PADDOCK_PASID_GET_DATA,
				       .pasid = p};
	assert_int_equal(call(w, 1, &op), 0);
	assert_int_equal(op.cookie, 0x1122334455667788ull);

	op = (struct paddock_pasid_op){.cmd = PADDOCK_PASID_BIND,
				       .pasid = p,
				       .device = WORLD_DEV(1),
				       .bind_type = PADDOCK_BIND_SECOND_LEVEL};
	assert_int_equal(call(w, 1, &op), 0);
	e = mock_entry(&w->iommu[0], WORLD_DEV(1), p);
	assert_non_null(e);
	assert_int_equal(e->cfg.kind, PASID_ENTRY_SECOND_LEVEL);
	assert_int_equal(e->cfg.domain, 1);
	assert_int_equal(e->cfg.sl_root.v, arch_domain_dma_root(w->doms[1]).v);
	op = (struct paddock_pasid_op){.cmd = PADDOCK_PASID_BIND,
				       .pasid = p,
				       .device = WORLD_DEV2(1),
				       .bind_type = PADDOCK_BIND_FIRST_LEVEL};
	assert_int_equal(call(w, 1, &op), 0);
	e = mock_entry(&w->iommu[1], WORLD_DEV2(1), p);
	assert_non_null(e);
	/* The hypervisor's first-level tables, never the guest's (fl_root
	 * 0); the second-level root rides along for QEMU 7.2's walk. */
	assert_int_equal(e->cfg.kind, PASID_ENTRY_FIRST_LEVEL);
	assert_int_equal(e->cfg.fl_root.v, arch_domain_fl_root(w->doms[1]).v);
	assert_int_equal(e->cfg.sl_root.v, arch_domain_dma_root(w->doms[1]).v);
	i = query(w, 1);
	assert_int_equal(i.domain, 1);
	assert_int_equal(i.allocated, 1);
	assert_int_equal(i.bound, 1);
	assert_int_equal(i.quota, 8);
	assert_int_equal(i.pasid_bits, 12);
	assert_int_equal(i.flags, 0);
	assert_world_ok(w);

	op = (struct paddock_pasid_op){.cmd = PADDOCK_PASID_UNBIND,
				       .pasid = p,
				       .device = WORLD_DEV(1)};
	assert_int_equal(call(w, 1, &op), 0);
	assert_null(mock_entry(&w->iommu[0], WORLD_DEV(1), p));
	op = (struct paddock_pasid_op){.cmd = PADDOCK_PASID_FREE, .pasid = p};
	assert_int_equal(call(w, 1, &op), 0);
	i = query(w, 1);
	assert_int_equal(i.parked, 1);
	assert_int_equal(mock_entry(&w->iommu[1], WORLD_DEV2(1), p)->cfg.kind,
			 PASID_ENTRY_BLOCKED);
	op = (struct paddock_pasid_op){.cmd = PADDOCK_PASID_UNBIND,
				       .pasid = p,
				       .device = WORLD_DEV2(1)};
	assert_int_equal(call(w, 1, &op), 0);
	i = query(w, 1);
	assert_int_equal(i.parked, 0);
	assert_int_equal(i.allocated, 0);
	assert_int_equal(i.peak, 1);
	assert_int_equal(query(w, 0).flags, PADDOCK_PASID_INFO_PRIVILEGED);
	assert_int_equal(w->doms[1]->hypercalls[__HYPERVISOR_paddock_pasid_op],
			 11);
	assert_int_equal(w->doms[1]->hypercall_errors, 0);
}

static void passthrough_for_privileged(void **state)
{
	struct world *w = *state;
	uint32_t p = alloc(w, 0);
	struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_BIND,
				      .pasid = p,
				      .device = WORLD_DEV(0),
				      .bind_type = PADDOCK_BIND_PASSTHROUGH};

	assert_int_equal(call(w, 0, &op), 0);
	assert_int_equal(mock_entry(&w->iommu[0], WORLD_DEV(0), p)->cfg.kind,
			 PASID_ENTRY_PASSTHROUGH);
}

static void list_and_set_quota(void **state)
{
	struct world *w = *state;
	struct paddock_pasid_info *out = world_mem(w, 0, OFF_LIST);
	struct paddock_pasid_op op;

	alloc(w, 2);
	alloc(w, 2);
	memset(out, 0xEE, 8 * sizeof(*out));
	op = (struct paddock_pasid_op){.cmd = PADDOCK_PASID_LIST};
	op.u.list.buf = world_gva(0, OFF_LIST);
	op.u.list.max = 8;
	assert_int_equal(call(w, 0, &op), 0);
	assert_int_equal(op.u.list.count, 5); /* 4 domains + hypervisor */
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(out[i].domain, i);
	assert_int_equal(out[4].domain, DOMID_HYPERVISOR);
	assert_int_equal(out[2].allocated, 2);
	assert_int_equal(out[2].pasid_bits, 12);
	assert_int_equal(((unsigned char *)&out[5])[0], 0xEE);
	/* Short buffer: count is the number of sets, entries written max. */
	memset(out, 0xEE, 8 * sizeof(*out));
	op.u.list.max = 2;
	op.u.list.count = 0;
	assert_int_equal(call(w, 0, &op), 0);
	assert_int_equal(op.u.list.count, 5);
	assert_int_equal(out[1].domain, 1);
	assert_int_equal(((unsigned char *)&out[2])[0], 0xEE);
	/* max 0: just the count, buffer never touched (even a bad one). */
	op.u.list.max = 0;
	op.u.list.buf = 0xdead0000;
	assert_int_equal(call(w, 0, &op), 0);
	assert_int_equal(op.u.list.count, 5);
	/* Enormous max with a buffer big enough for what exists. */
	op.u.list.buf = world_gva(0, OFF_LIST);
	op.u.list.max = 0xFFFFFFFF;
	assert_int_equal(call(w, 0, &op), 0);
	assert_int_equal(op.u.list.count, 5);

	op = (struct paddock_pasid_op){
		.cmd = PADDOCK_PASID_SET_QUOTA, .domain = 2, .quota = 2};
	assert_int_equal(call(w, 0, &op), 0);
	assert_int_equal(query(w, 2).quota, 2);
	op = (struct paddock_pasid_op){.cmd = PADDOCK_PASID_ALLOC};
	assert_int_equal(call(w, 2, &op), -XEN_EMFILE);
	assert_int_equal(op.reason, PADDOCK_PASID_R_QUOTA);
}

static void get_faults(void **state)
{
	struct world *w = *state;
	struct paddock_pasid_fault *out = world_mem(w, 1, OFF_FAULTS);
	struct paddock_pasid_fault f = {.address = 0x1000, .device = 0x101};
	struct paddock_pasid_op op;
	uint32_t p = alloc(w, 1), q = alloc(w, 1);

	for (unsigned i = 0; i < 3; i++) {
		f.pasid = p;
		f.address = 0x1000 * (i + 1);
		assert_int_equal(hv_report_fault(&w->sys, &f), 1);
	}
	/* A device no domain owns: the hypervisor's, filed nowhere. */
	f.device = WORLD_DEV_UNASSIGNED;
	f.pasid = p;
	assert_int_equal(hv_report_fault(&w->sys, &f), DOMID_HYPERVISOR);
	f.device = WORLD_DEV(1);
	op = (struct paddock_pasid_op){.cmd = PADDOCK_PASID_GET_FAULTS};
	op.u.faults.buf = world_gva(1, OFF_FAULTS);
	op.u.faults.max = 2;
	assert_int_equal(call(w, 1, &op), 0);
	assert_int_equal(op.u.faults.count, 2);
	assert_int_equal(out[0].address, 0x1000);
	assert_int_equal(out[1].address, 0x2000);
	assert_int_equal(out[0].pasid, p);
	op.u.faults.max = 16;
	assert_int_equal(call(w, 1, &op), 0);
	assert_int_equal(op.u.faults.count, 1);
	assert_int_equal(out[0].address, 0x3000);
	assert_int_equal(call(w, 1, &op), 0);
	assert_int_equal(op.u.faults.count, 0);
	/* Parked PASIDs' faults are suppressed, not filed. */
	op = (struct paddock_pasid_op){
		.cmd = PADDOCK_PASID_BIND, .pasid = q, .device = WORLD_DEV(1)};
	assert_int_equal(call(w, 1, &op), 0);
	op = (struct paddock_pasid_op){.cmd = PADDOCK_PASID_FREE, .pasid = q};
	assert_int_equal(call(w, 1, &op), 0);
	f.pasid = q;
	assert_int_equal(hv_report_fault(&w->sys, &f), PASID_DOMID_NONE);
	assert_int_equal(w->doms[1]->fault_count, 0);
	assert_int_equal(query(w, 1).faults_suppressed, 1);
	/* A full ring drops and counts. */
	f.pasid = p;
	for (unsigned i = 0; i < DOMAIN_FAULT_RING + 3; i++)
		hv_report_fault(&w->sys, &f);
	assert_int_equal(w->doms[1]->fault_count, DOMAIN_FAULT_RING);
	assert_int_equal(w->doms[1]->faults_dropped, 3);
	assert_int_equal(query(w, 1).faults, 3 + DOMAIN_FAULT_RING + 3);
}

/* GET_FAULTS into the caller's buffer: how many came back, and the
 * records at OFF_FAULTS. */
static uint32_t drain_faults(struct world *w, unsigned id)
{
	struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_GET_FAULTS};

	op.u.faults.buf = world_gva(id, OFF_FAULTS);
	op.u.faults.max = DOMAIN_FAULT_RING;
	assert_int_equal(call(w, id, &op), 0);
	return op.u.faults.count;
}

/*
 * Domain 1's device faults with domain 2's PASIDs (live, bound and
 * parked; hardware lets a device emit any PASID): each fault is domain
 * 1's, in its ring and counted as foreign; domain 2's ring and counters
 * do not move.
 */
static void fault_charged_to_device_owner(void **state)
{
	struct world *w = *state;
	struct paddock_pasid_fault *out = world_mem(w, 1, OFF_FAULTS);
	struct paddock_pasid_fault f = {.address = 0x5000,
					.device = WORLD_DEV2(1)};
	uint32_t live = alloc(w, 2), bound = alloc(w, 2), parked = alloc(w, 2);
	struct paddock_pasid_info a0 = query(w, 1), b0, b1, a1;
	struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_BIND,
				      .pasid = bound,
				      .device = WORLD_DEV(2)};

	assert_int_equal(call(w, 2, &op), 0);
	op.pasid = parked;
	assert_int_equal(call(w, 2, &op), 0);
	op = (struct paddock_pasid_op){.cmd = PADDOCK_PASID_FREE,
				       .pasid = parked};
	assert_int_equal(call(w, 2, &op), 0);
	f.pasid = bound; /* one real fault of domain 2, in its ring */
	f.device = WORLD_DEV(2);
	assert_int_equal(hv_report_fault(&w->sys, &f), 2);
	b0 = query(w, 2);
	f.device = WORLD_DEV2(1);
	const uint32_t victims[] = {live, bound, parked};
	for (unsigned i = 0; i < ARRAY_SIZE(victims); i++) {
		f.pasid = victims[i];
		f.address = 0x1000 * (i + 1);
		assert_int_equal(hv_report_fault(&w->sys, &f), 1);
	}
	b1 = query(w, 2);
	assert_memory_equal(&b0, &b1, sizeof(b0));
	assert_int_equal(w->doms[2]->fault_count, 1);
	a1 = query(w, 1);
	assert_int_equal(a1.faults, a0.faults + 3);
	assert_int_equal(a1.faults_foreign, a0.faults_foreign + 3);
	assert_int_equal(a1.faults_suppressed, a0.faults_suppressed);
	assert_int_equal(drain_faults(w, 1), 3);
	for (unsigned i = 0; i < ARRAY_SIZE(victims); i++) {
		assert_int_equal(out[i].pasid, victims[i]);
		assert_int_equal(out[i].device, WORLD_DEV2(1));
		assert_int_equal(out[i].address, 0x1000 * (i + 1));
	}
	/* Domain 2 still has its one record, and nothing else. */
	assert_int_equal(drain_faults(w, 2), 1);
	assert_int_equal(
		((struct paddock_pasid_fault *)world_mem(w, 2, OFF_FAULTS))[0]
			.device,
		WORLD_DEV(2));
	op = (struct paddock_pasid_op){.cmd = PADDOCK_PASID_UNBIND,
				       .pasid = parked,
				       .device = WORLD_DEV(2)};
	assert_int_equal(call(w, 2, &op), 0);
}

/* A device no domain owns charges the hypervisor's set, whichever
 * domain holds the PASID it carried, and fills no domain's ring. */
static void unowned_device_charges_hypervisor(void **state)
{
	struct world *w = *state;
	uint32_t p = alloc(w, 2);
	struct paddock_pasid_fault f = {.device = WORLD_DEV_UNASSIGNED,
					.pasid = p};
	struct paddock_pasid_info h0, h1, b0 = query(w, 2), b1;

	assert_int_equal(pasid_query(&w->m, DOMID_HYPERVISOR, &h0), 0);
	assert_int_equal(hv_report_fault(&w->sys, &f), DOMID_HYPERVISOR);
	f.device = 0xBEEF; /* not even a device the manager knows */
	f.pasid = 3000;
	assert_int_equal(hv_report_fault(&w->sys, &f), DOMID_HYPERVISOR);
	assert_int_equal(pasid_query(&w->m, DOMID_HYPERVISOR, &h1), 0);
	assert_int_equal(h1.faults, h0.faults + 2);
	assert_int_equal(h1.faults_foreign, h0.faults_foreign + 2);
	b1 = query(w, 2);
	assert_memory_equal(&b0, &b1, sizeof(b0));
	for (unsigned i = 0; i < w->ndoms; i++)
		assert_int_equal(w->doms[i]->fault_count, 0);
}

/*
 * A blocked interrupt request (VT-d 5.1.4; the platform files it with
 * hv_report_device_fault(), PASID 0) is the device's owner's: in its ring
 * and `faults`, never foreign or suppressed, whatever PASIDs exist; an
 * unowned device's goes to the hypervisor's set; nobody else moves.
 */
static void interrupt_fault_charged_to_device_owner(void **state)
{
	struct world *w = *state;
	struct paddock_pasid_fault *out = world_mem(w, 1, OFF_FAULTS);
	struct paddock_pasid_fault f = {.address = 0xFEE00000,
					.device = WORLD_DEV2(1),
					.reason = 0x25,
					.write = 1};
	struct paddock_pasid_info a0 = query(w, 1), b0 = query(w, 2), a1, b1;
	struct paddock_pasid_info h0, h1;

	(void)alloc(w, 2);
	b0 = query(w, 2);
	assert_int_equal(pasid_query(&w->m, DOMID_HYPERVISOR, &h0), 0);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(hv_report_device_fault(&w->sys, &f), 1);
	f.device = WORLD_DEV_UNASSIGNED;
	assert_int_equal(hv_report_device_fault(&w->sys, &f), DOMID_HYPERVISOR);
	a1 = query(w, 1);
	b1 = query(w, 2);
	assert_int_equal(pasid_query(&w->m, DOMID_HYPERVISOR, &h1), 0);
	assert_int_equal(a1.faults, a0.faults + 3);
	assert_int_equal(a1.faults_foreign, a0.faults_foreign);
	assert_int_equal(a1.faults_suppressed, a0.faults_suppressed);
	assert_int_equal(h1.faults, h0.faults + 1);
	assert_int_equal(h1.faults_foreign, h0.faults_foreign);
	assert_memory_equal(&b0, &b1, sizeof(b0));
	assert_int_equal(w->doms[2]->fault_count, 0);
	assert_int_equal(drain_faults(w, 1), 3);
	assert_int_equal(out[0].device, WORLD_DEV2(1));
	assert_int_equal(out[0].reason, 0x25);
	assert_int_equal(out[0].pasid, 0);
	assert_true(out[0].address == 0xFEE00000);
}

/*
 * Domain 2's ring holds its own device's records; domain 1's device
 * faulting with domain 2's PASID, more than a ring's worth, cannot push
 * them out or fill it up: they fill domain 1's ring (and its drop count).
 */
static void ring_not_flushed_by_another_device(void **state)
{
	struct world *w = *state;
	struct paddock_pasid_fault *out = world_mem(w, 2, OFF_FAULTS);
	uint32_t p = alloc(w, 2);
	struct paddock_pasid_fault f = {.device = WORLD_DEV(2), .pasid = p};

	for (unsigned i = 0; i < 4; i++) {
		f.address = 0xA000 + i;
		assert_int_equal(hv_report_fault(&w->sys, &f), 2);
	}
	f.device = WORLD_DEV(1);
	for (unsigned i = 0; i < 3 * DOMAIN_FAULT_RING; i++) {
		f.address = 0xB000 + i;
		hv_report_fault(&w->sys, &f);
	}
	assert_int_equal(w->doms[2]->fault_count, 4);
	assert_int_equal(w->doms[2]->faults_dropped, 0);
	assert_int_equal(query(w, 2).faults, 4);
	assert_int_equal(w->doms[1]->fault_count, DOMAIN_FAULT_RING);
	assert_int_equal(w->doms[1]->faults_dropped, 2 * DOMAIN_FAULT_RING);
	assert_int_equal(drain_faults(w, 2), 4);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(out[i].address, 0xA000 + i);
		assert_int_equal(out[i].device, WORLD_DEV(2));
	}
}

/* The source table: sorted, one owner per source, shared by functions
 * behind one bridge, bounded. */
static void source_table(void **state)
{
	struct hv_system sys = {0};

	(void)state;
	assert_int_equal(hv_source_owner(&sys, 0x10), DOMID_HYPERVISOR);
	assert_int_equal(hv_source_add(&sys, 0x300, 3), 0);
	assert_int_equal(hv_source_add(&sys, 0x100, 1), 0);
	assert_int_equal(hv_source_add(&sys, 0x200, 2), 0);
	/* A second function behind the same bridge: same source, owner. */
	assert_int_equal(hv_source_add(&sys, 0x200, 2), 0);
	assert_int_equal(hv_source_add(&sys, 0x200, 1), -XEN_EEXIST);
	assert_int_equal(sys.nsources, 3);
	assert_int_equal(hv_source_owner(&sys, 0x100), 1);
	assert_int_equal(hv_source_owner(&sys, 0x200), 2);
	assert_int_equal(hv_source_owner(&sys, 0x300), 3);
	assert_int_equal(hv_source_owner(&sys, 0x250), DOMID_HYPERVISOR);
	assert_int_equal(hv_source_owner(&sys, 0xFFFFFFFF), DOMID_HYPERVISOR);
	for (uint32_t i = sys.nsources; i < HV_MAX_SOURCES; i++)
		assert_int_equal(hv_source_add(&sys, 0x10000 + i * 7, 4), 0);
	assert_int_equal(hv_source_add(&sys, 0x5, 4), -XEN_ENOSPC);
	for (uint32_t i = 1; i < HV_MAX_SOURCES; i++)
		assert_true(sys.sources[i - 1].id < sys.sources[i].id);
	assert_int_equal(hv_source_owner(&sys, 0x10000 + 100 * 7), 4);
	assert_int_equal(hv_source_owner(&sys, 0x200), 2);
}

/* A stopped domain's device still answers for its faults, but nobody
 * reads its ring any more: nothing is filed, and no one else is charged. */
static void fault_of_stopped_domains_device(void **state)
{
	struct world *w = *state;
	uint32_t p = alloc(w, 2);
	struct paddock_pasid_fault f = {.device = WORLD_DEV(3), .pasid = p};
	struct paddock_pasid_info b0 = query(w, 2), b1;

	domain_stop(&w->sys, w->doms[3], DOMAIN_SHUTDOWN, SHUTDOWN_poweroff,
		    "test");
	assert_int_equal(hv_report_fault(&w->sys, &f), PASID_DOMID_NONE);
	assert_int_equal(w->doms[3]->fault_count, 0);
	assert_int_equal(w->doms[2]->fault_count, 0);
	b1 = query(w, 2);
	assert_memory_equal(&b0, &b1, sizeof(b0));
}

/* ---- the Xen calls ----------------------------------------------------- */

static void console_io(void **state)
{
	struct world *w = *state;
	struct fake_domain *f = &w->fd[1];
	char *buf = world_mem(w, 1, OFF_LIST);

	memcpy(buf, "hello, paddock", 14);
	assert_int_equal(world_hcall(w, 1, __HYPERVISOR_console_io,
				     CONSOLEIO_write, 14,
				     world_gva(1, OFF_LIST)),
			 0);
	assert_int_equal(f->console_len, 14);
	assert_memory_equal(f->console, "hello, paddock", 14);
	/* Longer than one chunk. */
	memset(buf, 'z', 1000);
	assert_int_equal(world_hcall(w, 1, __HYPERVISOR_console_io,
				     CONSOLEIO_write, 1000,
				     world_gva(1, OFF_LIST)),
			 0);
	assert_int_equal(f->console_len, 1014);
	assert_int_equal(world_hcall(w, 1, __HYPERVISOR_console_io,
				     CONSOLEIO_write, 0, 0),
			 0);
	assert_int_equal(world_hcall(w, 1, __HYPERVISOR_console_io,
				     CONSOLEIO_write, 4097,
				     world_gva(1, OFF_LIST)),
			 -XEN_EINVAL);
	assert_int_equal(world_hcall(w, 1, __HYPERVISOR_console_io,
				     CONSOLEIO_write, 16,
				     world_gva(1, WORLD_MEM_SIZE - 8)),
			 -XEN_EFAULT);
	assert_int_equal(world_hcall(w, 1, __HYPERVISOR_console_io,
				     CONSOLEIO_write, 16, world_gva(2, 0)),
			 -XEN_EFAULT);
	assert_int_equal(world_hcall(w, 1, __HYPERVISOR_console_io,
				     CONSOLEIO_write, 16, ~0ull - 4),
			 -XEN_EFAULT);
	assert_int_equal(world_hcall(w, 1, __HYPERVISOR_console_io,
				     CONSOLEIO_write, ~0ull, world_gva(1, 0)),
			 -XEN_EINVAL);
	assert_int_equal(world_hcall(w, 1, __HYPERVISOR_console_io, 1, 4,
				     world_gva(1, 0)),
			 -XEN_ENOSYS);
	assert_int_equal(f->console_len, 1014);
	assert_int_equal(w->doms[1]->hypercalls[__HYPERVISOR_console_io], 9);
	assert_int_equal(w->doms[1]->hypercall_errors, 6);
}

static void sched_yield_and_shutdown(void **state)
{
	struct world *w = *state;
	struct sched_shutdown *sd = world_mem(w, 2, OFF_SHUTDOWN);
	struct world_snap a, b;
	uint32_t p = alloc(w, 2);
	struct paddock_pasid_op op = {
		.cmd = PADDOCK_PASID_BIND, .pasid = p, .device = WORLD_DEV(2)};

	assert_int_equal(
		world_hcall(w, 2, __HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0),
		0);
	assert_int_equal(w->fd[2].yields, 1);
	assert_int_equal(call(w, 2, &op), 0);
	alloc(w, 2);
	assert_int_equal(w->iommu[0].nentries, 1);
	/* Bad arguments first: nothing happens. */
	world_snap(w, &a);
	assert_int_equal(world_hcall(w, 2, __HYPERVISOR_sched_op,
				     SCHEDOP_shutdown,
				     world_gva(2, WORLD_MEM_SIZE - 2), 0),
			 -XEN_EFAULT);
	assert_int_equal(world_hcall(w, 2, __HYPERVISOR_sched_op, 77, 0, 0),
			 -XEN_ENOSYS);
	world_snap(w, &b);
	assert_snap_same(&a, &b);
	assert_int_equal(w->doms[2]->state, DOMAIN_RUNNING);

	sd->reason = SHUTDOWN_poweroff;
	assert_int_equal(world_hcall(w, 2, __HYPERVISOR_sched_op,
				     SCHEDOP_shutdown,
				     world_gva(2, OFF_SHUTDOWN), 0),
			 0);
	assert_int_equal(w->doms[2]->state, DOMAIN_SHUTDOWN);
	assert_int_equal(w->doms[2]->shutdown_code, SHUTDOWN_poweroff);
	assert_int_equal(w->fd[2].stopped, 1);
	assert_null(pasid_set_of(&w->m, 2)); /* reclaimed, set gone */
	assert_int_equal(w->iommu[0].nentries, 0);
	assert_world_ok(w);
	/* A second shutdown is a no-op. */
	assert_int_equal(world_hcall(w, 2, __HYPERVISOR_sched_op,
				     SCHEDOP_shutdown,
				     world_gva(2, OFF_SHUTDOWN), 0),
			 0);
	assert_int_equal(w->fd[2].stopped, 1);
	/* And a stopped domain's PASID calls find no set. */
	op = (struct paddock_pasid_op){.cmd = PADDOCK_PASID_ALLOC};
	assert_int_equal(call(w, 2, &op), -XEN_ESRCH);
	assert_int_equal(op.reason, PADDOCK_PASID_R_NO_DOMAIN);
	op = (struct paddock_pasid_op){.cmd = PADDOCK_PASID_QUERY};
	assert_int_equal(call(w, 2, &op), -XEN_ESRCH);
	assert_int_equal(op.reason, PADDOCK_PASID_R_NO_DOMAIN);
}

static void xen_version(void **state)
{
	struct world *w = *state;
	char *buf = world_mem(w, 1, OFF_LIST);

	assert_int_equal(world_hcall(w, 1, __HYPERVISOR_xen_version,
				     XENVER_version, 0, 0),
			 (4 << 16) | 17);
	assert_int_equal(world_hcall(w, 1, __HYPERVISOR_xen_version,
				     XENVER_extraversion,
				     world_gva(1, OFF_LIST), 0),
			 0);
	assert_string_equal(buf, "-paddock");
	assert_int_equal(world_hcall(w, 1, __HYPERVISOR_xen_version,
				     XENVER_extraversion,
				     world_gva(1, WORLD_MEM_SIZE - 4), 0),
			 -XEN_EFAULT);
	assert_int_equal(world_hcall(w, 1, __HYPERVISOR_xen_version, 999, 0, 0),
			 -XEN_ENOSYS);
}

static void unknown_hypercalls(void **state)
{
	struct world *w = *state;
	struct world_snap a, b;
	const uint64_t ops[] = {0, 1, 53, 55, 63, 64, 1000, ~0ull};

	world_snap(w, &a);
	for (unsigned i = 0; i < ARRAY_SIZE(ops); i++)
		assert_int_equal(world_hcall(w, 1, ops[i], 1, 2, 3),
				 -XEN_ENOSYS);
	world_snap(w, &b);
	assert_snap_same(&a, &b);
	assert_int_equal(w->doms[1]->hypercall_errors, ARRAY_SIZE(ops));
	assert_int_equal(w->doms[1]->hypercalls[53], 1);
	assert_int_equal(w->doms[1]->hypercalls[63], 1);
}

/* ---- hostile arguments -------------------------------------------------- */

struct hostile {
	struct world *w;
	uint32_t mine, bound, parked, other;
};

static struct hostile prepare(struct world *w)
{
	struct hostile h = {.w = w};
	struct paddock_pasid_op op;

	h.mine = alloc(w, 1);
	h.bound = alloc(w, 1);
	h.parked = alloc(w, 1);
	h.other = alloc(w, 2);
	op = (struct paddock_pasid_op){.cmd = PADDOCK_PASID_BIND,
				       .pasid = h.bound,
				       .device = WORLD_DEV(1)};
	assert_int_equal(call(w, 1, &op), 0);
	op.pasid = h.parked;
	assert_int_equal(call(w, 1, &op), 0);
	op = (struct paddock_pasid_op){.cmd = PADDOCK_PASID_FREE,
				       .pasid = h.parked};
	assert_int_equal(call(w, 1, &op), 0);
	return h;
}

/*
 * Issues op as domain id with a reason buffer, and checks: the return
 * code, the reason in the op written back, the reason text (the manager's
 * own line, truncated to reason_len), the refusal counted, and nothing
 * else changed.
 */
static void refused(struct world *w, unsigned id, struct paddock_pasid_op op,
		    long xerr, uint32_t reason, const char *text)
{
	char *rb = world_mem(w, id, OFF_REASON);
	struct world_snap a, b;
	uint32_t before = world_refusals(w, id);
	uint64_t errs = w->doms[id]->hypercall_errors;
	size_t len;

	memset(rb, '#', 256);
	if (!op.reason_buf) {
		op.reason_buf = world_gva(id, OFF_REASON);
		op.reason_len = PADDOCK_PASID_REASON_MAX;
	}
	op.reason = 0xdeadbeef;
	world_snap(w, &a);
	assert_int_equal(call(w, id, &op), -xerr);
	world_snap(w, &b);
	assert_snap_same(&a, &b);
	assert_int_equal(op.reason, reason);
	assert_int_equal(world_refusals(w, id), before + 1);
	assert_int_equal(w->doms[id]->hypercall_errors, errs + 1);
	if (op.reason_buf == world_gva(id, OFF_REASON) && op.reason_len) {
		len = strnlen(rb, 256);
		assert_true(len < op.reason_len);
		assert_true(len < 256);
		assert_int_equal(rb[len + 1], '#'); /* nothing after the NUL */
		if (text)
			assert_memory_equal(rb, text, len);
		if (text && strlen(text) < op.reason_len)
			assert_string_equal(rb, text);
	}
	assert_world_ok(w);
}

static void foreign_and_out_of_range_pasids(void **state)
{
	struct world *w = *state;
	struct hostile h = prepare(w);
	const uint32_t cmds[] = {PADDOCK_PASID_FREE, PADDOCK_PASID_BIND,
				 PADDOCK_PASID_UNBIND, PADDOCK_PASID_SET_DATA,
				 PADDOCK_PASID_GET_DATA};
	const uint32_t bad[] = {0, 4096, 4097, 1u << 20, 0xFFFFFFFF};

	for (unsigned c = 0; c < ARRAY_SIZE(cmds); c++) {
		struct paddock_pasid_op op = {.cmd = cmds[c],
					      .device = WORLD_DEV(1)};
		char text[100];

		/* Another domain's PASID: the answer a free one gets. */
		op.pasid = h.other;
		snprintf(text, sizeof(text),
			 "PASID %u is not allocated to domain 1", h.other);
		refused(w, 1, op, XEN_ENOENT, PADDOCK_PASID_R_NOT_ALLOCATED,
			text);
		/* The owner's PASIDs, attacked by domain 3. */
		op.device = WORLD_DEV(3);
		op.pasid = h.bound;
		snprintf(text, sizeof(text),
			 "PASID %u is not allocated to domain 3", h.bound);
		refused(w, 3, op, XEN_ENOENT, PADDOCK_PASID_R_NOT_ALLOCATED,
			text);
		op.pasid = h.parked;
		snprintf(text, sizeof(text),
			 "PASID %u is not allocated to domain 3", h.parked);
		refused(w, 3, op, XEN_ENOENT, PADDOCK_PASID_R_NOT_ALLOCATED,
			text);
		for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
			op.pasid = bad[i];
			refused(w, 1, op, XEN_EINVAL,
				PADDOCK_PASID_R_OUT_OF_RANGE, NULL);
		}
		op.pasid = 3000;
		refused(w, 1, op, XEN_ENOENT, PADDOCK_PASID_R_NOT_ALLOCATED,
			"PASID 3000 is not allocated to domain 1");
	}
	/* Even the privileged domain cannot touch another's PASIDs; it is
	 * told whose they are. */
	struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_FREE,
				      .pasid = h.mine};
	refused(w, 0, op, XEN_EPERM, PADDOCK_PASID_R_NOT_OWNER, NULL);
}

static void bad_binds(void **state)
{
	struct world *w = *state;
	struct hostile h = prepare(w);
	struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_BIND,
				      .pasid = h.mine,
				      .device = WORLD_DEV2(1)};

	op.bind_type = 3;
	refused(w, 1, op, XEN_EINVAL, PADDOCK_PASID_R_BAD_BIND_TYPE,
		"bind type 3 is not one of 0 (second-level), 1 "
		"(first-level), 2 (pass-through)");
	op.bind_type = 0xFFFFFFFF;
	refused(w, 1, op, XEN_EINVAL, PADDOCK_PASID_R_BAD_BIND_TYPE, NULL);
	op.bind_type = PADDOCK_BIND_PASSTHROUGH;
	refused(w, 1, op, XEN_EPERM, PADDOCK_PASID_R_NOT_PRIVILEGED, NULL);
	op.bind_type = PADDOCK_BIND_FIRST_LEVEL;
	/* Any table of the guest's, even a good page of its own memory
	 * (which it could fill with host addresses), is refused: only the
	 * hypervisor's first-level tables are ever installed. */
	const uint64_t roots[] = {
		world_gva(1, OFF_TABLE),      /* its own page */
		world_gva(1, OFF_TABLE + 8),  /* unaligned */
		world_gva(1, WORLD_MEM_SIZE), /* past the end */
		world_gva(2, OFF_TABLE),      /* another domain's */
		~0ull & ~0xfffull,	      /* wraps */
		1,
	};
	for (unsigned i = 0; i < ARRAY_SIZE(roots); i++) {
		op.fl_root = roots[i];
		refused(w, 1, op, XEN_EINVAL, PADDOCK_PASID_R_BAD_TABLE_ROOT,
			i ? NULL
			  : "fl_root must be 0, not 0x80004000: first-level "
			    "tables are the hypervisor's (domain 1's DMA "
			    "view)");
		assert_null(mock_entry(&w->iommu[1], WORLD_DEV2(1), h.mine));
	}
	op.fl_root = 0;
	/* A device not its own, whether it exists or not: one answer. */
	op.bind_type = PADDOCK_BIND_SECOND_LEVEL;
	op.device = 0xABCD;
	refused(w, 1, op, XEN_ENODEV, PADDOCK_PASID_R_NO_DEVICE,
		"no device 0xabcd is assigned to domain 1");
	op.device = WORLD_DEV(2);
	refused(w, 1, op, XEN_ENODEV, PADDOCK_PASID_R_NO_DEVICE,
		"no device 0x102 is assigned to domain 1");
	op.device = WORLD_DEV_UNASSIGNED;
	refused(w, 1, op, XEN_ENODEV, PADDOCK_PASID_R_NO_DEVICE,
		"no device 0x900 is assigned to domain 1");
	op.device = WORLD_DEV(1);
	op.pasid = h.bound;
	refused(w, 1, op, XEN_EEXIST, PADDOCK_PASID_R_ALREADY_BOUND, NULL);
	op.pasid = h.parked;
	refused(w, 1, op, XEN_ENOENT, PADDOCK_PASID_R_PARKED, NULL);
	op = (struct paddock_pasid_op){.cmd = PADDOCK_PASID_UNBIND,
				       .pasid = h.mine,
				       .device = WORLD_DEV(1)};
	refused(w, 1, op, XEN_ENOENT, PADDOCK_PASID_R_NOT_BOUND, NULL);
	/* The IOMMU refusing a new entry. */
	w->iommu[1].fail_installs = 1;
	op = (struct paddock_pasid_op){.cmd = PADDOCK_PASID_BIND,
				       .pasid = h.mine,
				       .device = WORLD_DEV2(1)};
	refused(w, 1, op, XEN_ENOMEM, PADDOCK_PASID_R_IOMMU, NULL);
}

/*
 * BIND checks ownership before anything else about the request: with a
 * PASID or a device not its own, a domain gets "not yours" whatever the
 * bind type, table root or privilege it asked for, and the answer is the
 * same whether that PASID or device exists (someone else's) or not.
 */
static void bind_checks_ownership_first(void **state)
{
	struct world *w = *state;
	struct hostile h = prepare(w);
	const uint32_t types[] = {PADDOCK_BIND_SECOND_LEVEL,
				  PADDOCK_BIND_FIRST_LEVEL,
				  PADDOCK_BIND_PASSTHROUGH, 3, 0xFFFFFFFF};
	const uint32_t pasids[] = {h.other, 3000}; /* another's, free */
	const uint32_t devices[] = {WORLD_DEV(2), WORLD_DEV_UNASSIGNED, 0xABCD};
	char text[100];

	for (unsigned t = 0; t < ARRAY_SIZE(types); t++) {
		struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_BIND,
					      .device = WORLD_DEV(1),
					      .bind_type = types[t],
					      .fl_root = 8}; /* a bad root */

		for (unsigned i = 0; i < ARRAY_SIZE(pasids); i++) {
			op.pasid = pasids[i];
			snprintf(text, sizeof(text),
				 "PASID %u is not allocated to domain 1",
				 pasids[i]);
			refused(w, 1, op, XEN_ENOENT,
				PADDOCK_PASID_R_NOT_ALLOCATED, text);
			/* ... even with a device not its own either. */
			op.device = WORLD_DEV(2);
			refused(w, 1, op, XEN_ENOENT,
				PADDOCK_PASID_R_NOT_ALLOCATED, text);
			op.device = WORLD_DEV(1);
		}
		op.pasid = h.mine;
		for (unsigned i = 0; i < ARRAY_SIZE(devices); i++) {
			op.device = devices[i];
			snprintf(text, sizeof(text),
				 "no device %#x is assigned to domain 1",
				 devices[i]);
			refused(w, 1, op, XEN_ENODEV, PADDOCK_PASID_R_NO_DEVICE,
				text);
		}
	}
}

static void privileged_ops_from_unprivileged(void **state)
{
	struct world *w = *state;
	struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_LIST};

	op.u.list.buf = world_gva(1, OFF_LIST);
	op.u.list.max = 4;
	refused(w, 1, op, XEN_EPERM, PADDOCK_PASID_R_NOT_PRIVILEGED,
		"LIST needs a privileged (control) domain; domain 1 is not");
	op = (struct paddock_pasid_op){
		.cmd = PADDOCK_PASID_SET_QUOTA, .domain = 1, .quota = 1000};
	refused(w, 1, op, XEN_EPERM, PADDOCK_PASID_R_NOT_PRIVILEGED,
		"SET_QUOTA needs a privileged (control) domain; domain 1 is "
		"not");
	op.domain = 2;
	op.quota = 0;
	refused(w, 3, op, XEN_EPERM, PADDOCK_PASID_R_NOT_PRIVILEGED, NULL);
}

static void bad_privileged_args(void **state)
{
	struct world *w = *state;
	struct paddock_pasid_op op = {
		.cmd = PADDOCK_PASID_SET_QUOTA, .domain = 0x10000, .quota = 1};

	refused(w, 0, op, XEN_ESRCH, PADDOCK_PASID_R_NO_DOMAIN, NULL);
	op.domain = 0xFFFFFFFF;
	refused(w, 0, op, XEN_ESRCH, PADDOCK_PASID_R_NO_DOMAIN, NULL);
	/* The hypervisor's own set: not even a privileged domain. */
	op.domain = DOMID_HYPERVISOR;
	op.quota = 5;
	refused(w, 0, op, XEN_EPERM, PADDOCK_PASID_R_HYPERVISOR_SET,
		"domain 0x7ff2 is the hypervisor's own PASID set: its quota is "
		"fixed by the platform configuration");
	op.quota = 0;
	refused(w, 0, op, XEN_EPERM, PADDOCK_PASID_R_HYPERVISOR_SET, NULL);
	/* The manager's refusal, too, is counted against the caller. */
	op.domain = 7;
	refused(w, 0, op, XEN_ESRCH, PADDOCK_PASID_R_NO_DOMAIN,
		"no domain 7 to set the quota of");
	op = (struct paddock_pasid_op){.cmd = PADDOCK_PASID_LIST};
	op.u.list.max = 4;
	const uint64_t bufs[] = {
		0, world_gva(0, WORLD_MEM_SIZE - 3 * 56), /* 5 sets, room 3 */
		world_gva(1, 0),			  /* another domain's */
		~0ull - 100,				  /* wraps */
	};
	for (unsigned i = 0; i < ARRAY_SIZE(bufs); i++) {
		op.u.list.buf = bufs[i];
		refused(w, 0, op, XEN_EFAULT, PADDOCK_PASID_R_BAD_POINTER,
			NULL);
	}
}

static void unknown_cmds_and_reason_truncation(void **state)
{
	struct world *w = *state;
	const uint32_t cmds[] = {0, PADDOCK_PASID_CMD_MAX + 1, 100, 0x80000001,
				 0xFFFFFFFF};
	char *rb = world_mem(w, 1, OFF_REASON);
	struct paddock_pasid_op op;

	for (unsigned i = 0; i < ARRAY_SIZE(cmds); i++) {
		char text[100];

		op = (struct paddock_pasid_op){.cmd = cmds[i]};
		snprintf(text, sizeof(text),
			 "unknown PASID command %u (known: 1..%u)", cmds[i],
			 PADDOCK_PASID_CMD_MAX);
		refused(w, 1, op, XEN_ENOSYS, PADDOCK_PASID_R_UNKNOWN_CMD,
			text);
		refused(w, 0, op, XEN_ENOSYS, PADDOCK_PASID_R_UNKNOWN_CMD,
			text);
	}
	/* Truncated to reason_len, NUL included; nothing written past. */
	op = (struct paddock_pasid_op){.cmd = 0,
				       .reason_buf = world_gva(1, OFF_REASON),
				       .reason_len = 10};
	refused(w, 1, op, XEN_ENOSYS, PADDOCK_PASID_R_UNKNOWN_CMD, "unknown P");
	assert_string_equal(rb, "unknown P");
	assert_int_equal(rb[10], '#');
	op.reason_len = 1;
	refused(w, 1, op, XEN_ENOSYS, PADDOCK_PASID_R_UNKNOWN_CMD, "");
	assert_int_equal(rb[0], '\0');
	assert_int_equal(rb[1], '#');
	/* reason_len 0: no text at all. */
	op.reason_len = 0;
	memset(rb, '#', 16);
	refused(w, 1, op, XEN_ENOSYS, PADDOCK_PASID_R_UNKNOWN_CMD, NULL);
	assert_int_equal(rb[0], '#');
	/* Huge reason_len: only the text is written. */
	op.reason_len = 0xFFFFFFFF;
	refused(w, 1, op, XEN_ENOSYS, PADDOCK_PASID_R_UNKNOWN_CMD,
		"unknown PASID command 0 (known: 1..11)");
	/* A bad reason buffer does not hide the error. */
	const uint64_t bufs[] = {world_gva(1, WORLD_MEM_SIZE - 5),
				 world_gva(2, 0), ~0ull - 3, 1};
	for (unsigned i = 0; i < ARRAY_SIZE(bufs); i++) {
		op.reason_buf = bufs[i];
		op.reason_len = 64;
		refused(w, 1, op, XEN_ENOSYS, PADDOCK_PASID_R_UNKNOWN_CMD,
			NULL);
	}
}

/* Raw dispatcher call with a pointer and size of our choosing. */
static void bad_op_pointers_and_sizes(void **state)
{
	struct world *w = *state;
	struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_ALLOC};
	const uint64_t ptrs[] = {
		0,
		world_gva(1, 0) - 1,
		world_gva(1, 0) - sizeof(op),
		world_gva(1, WORLD_MEM_SIZE - sizeof(op) + 1), /* straddles */
		world_gva(1, WORLD_MEM_SIZE),
		world_gva(2, 0), /* another domain's memory */
		~0ull - 50,	 /* wraps around 2^64 */
		~0ull,
		0x8000000000000000ull,
	};
	const uint64_t sizes[] = {0,	1,     sizeof(op) - 1, sizeof(op) + 1,
				  4096, ~0ull, 0x100000078ull};
	struct world_snap a, b;
	unsigned char before[WORLD_MEM_SIZE];

	memcpy(world_mem(w, 1, 0), &op, sizeof(op));
	memcpy(world_mem(w, 1, WORLD_MEM_SIZE - sizeof(op)), &op, sizeof(op));
	memcpy(before, world_mem(w, 1, 0), WORLD_MEM_SIZE);
	for (unsigned i = 0; i < ARRAY_SIZE(ptrs); i++) {
		uint32_t r = world_refusals(w, 1);

		world_snap(w, &a);
		assert_int_equal(world_hcall(w, 1,
					     __HYPERVISOR_paddock_pasid_op,
					     ptrs[i], sizeof(op), 0),
				 -XEN_EFAULT);
		world_snap(w, &b);
		assert_snap_same(&a, &b);
		assert_int_equal(world_refusals(w, 1), r + 1);
	}
	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
		uint32_t r = world_refusals(w, 1);

		world_snap(w, &a);
		assert_int_equal(world_hcall(w, 1,
					     __HYPERVISOR_paddock_pasid_op,
					     world_gva(1, 0), sizes[i], 0),
				 -XEN_EINVAL);
		world_snap(w, &b);
		assert_snap_same(&a, &b);
		assert_int_equal(world_refusals(w, 1), r + 1);
	}
	/* Guest memory untouched: nowhere trustworthy to write. */
	assert_memory_equal(before, world_mem(w, 1, 0), WORLD_MEM_SIZE);
	/* The last whole op at the end of memory is fine. */
	assert_int_equal(world_hcall(w, 1, __HYPERVISOR_paddock_pasid_op,
				     world_gva(1, WORLD_MEM_SIZE - sizeof(op)),
				     sizeof(op), 0),
			 0);
	memcpy(&op, world_mem(w, 1, WORLD_MEM_SIZE - sizeof(op)), sizeof(op));
	assert_true(op.pasid >= 1);
	assert_world_ok(w);
}

static void bad_fault_buffers(void **state)
{
	struct world *w = *state;
	struct paddock_pasid_fault f = {.address = 0x1000,
					.device = WORLD_DEV(1)};
	uint32_t p = alloc(w, 1);
	struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_GET_FAULTS};
	const uint64_t bufs[] = {
		0,
		world_gva(1, WORLD_MEM_SIZE - 10),
		world_gva(2, 0),
		~0ull - 30,
		/* room for one record of three: must not consume one */
		world_gva(1, WORLD_MEM_SIZE - sizeof(f)),
		world_gva(1, WORLD_MEM_SIZE - 2 * sizeof(f) - 1),
	};

	f.pasid = p;
	for (int i = 0; i < 3; i++)
		assert_int_equal(hv_report_fault(&w->sys, &f), 1);
	op.u.faults.max = 3;
	for (unsigned i = 0; i < ARRAY_SIZE(bufs); i++) {
		op.u.faults.buf = bufs[i];
		refused(w, 1, op, XEN_EFAULT, PADDOCK_PASID_R_BAD_POINTER,
			NULL);
		assert_int_equal(w->doms[1]->fault_count, 3);
	}
	/* max beyond what is queued is fine. */
	op.u.faults.buf = world_gva(1, OFF_FAULTS);
	op.u.faults.max = 0xFFFFFFFF;
	assert_int_equal(call(w, 1, &op), 0);
	assert_int_equal(op.u.faults.count, 3);
}

/*
 * A bad GET_FAULTS buffer is refused whether records are queued or not:
 * NULL, outside the domain (the hypervisor's or another domain's), or
 * read-only (like the guest's text).
 */
static void bad_fault_buffers_empty_ring(void **state)
{
	struct world *w = *state;
	struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_GET_FAULTS};
	const uint64_t bufs[] = {
		0,
		0xFFFF800000001000ull, /* where a hypervisor would live */
		world_gva(2, OFF_FAULTS),
		world_gva(1, OFF_TABLE), /* read-only below */
		world_gva(1, OFF_TABLE - 8),
	};

	w->fd[1].ro_lo = OFF_TABLE;
	w->fd[1].ro_hi = OFF_TABLE + 0x1000;
	assert_int_equal(w->doms[1]->fault_count, 0);
	for (unsigned i = 0; i < ARRAY_SIZE(bufs); i++) {
		op.u.faults.buf = bufs[i];
		op.u.faults.max = 1;
		refused(w, 1, op, XEN_EFAULT, PADDOCK_PASID_R_BAD_POINTER,
			NULL);
		op.u.faults.max = 0xFFFFFFFF;
		refused(w, 1, op, XEN_EFAULT, PADDOCK_PASID_R_BAD_POINTER,
			NULL);
	}
	/* A whole ring's worth at the end of its memory is fine; a buffer
	 * claiming more records than fit is not, even with none queued. */
	op.u.faults.buf = world_gva(
		1, WORLD_MEM_SIZE - DOMAIN_FAULT_RING *
					    sizeof(struct paddock_pasid_fault));
	op.u.faults.max = 100;
	assert_int_equal(call(w, 1, &op), 0);
	assert_int_equal(op.u.faults.count, 0);
	op.u.faults.buf += 8;
	refused(w, 1, op, XEN_EFAULT, PADDOCK_PASID_R_BAD_POINTER, NULL);
	w->fd[1].ro_lo = w->fd[1].ro_hi = 0;
}

/*
 * An op the guest can read but not write (read-only memory): the
 * dispatcher must not act on a command whose result it cannot return.
 */
static void read_only_op_changes_nothing(void **state)
{
	struct world *w = *state;
	struct hostile h = prepare(w);
	const uint32_t cmds[] = {PADDOCK_PASID_ALLOC, PADDOCK_PASID_FREE,
				 PADDOCK_PASID_SET_DATA, PADDOCK_PASID_BIND,
				 PADDOCK_PASID_UNBIND};

	for (unsigned i = 0; i < ARRAY_SIZE(cmds); i++) {
		struct paddock_pasid_op op = {
			.cmd = cmds[i],
			.pasid = cmds[i] == PADDOCK_PASID_UNBIND ? h.bound
								 : h.mine,
			.device = WORLD_DEV2(1),
			.cookie = 99};
		struct world_snap a, b;
		uint64_t cookie = 0;
		struct pasid_err err;

		if (cmds[i] == PADDOCK_PASID_UNBIND)
			op.device = WORLD_DEV(1);
		memcpy(world_mem(w, 1, 0), &op, sizeof(op));
		world_snap(w, &a);
		w->fd[1].read_only = true;
		assert_int_equal(world_hcall(w, 1,
					     __HYPERVISOR_paddock_pasid_op,
					     world_gva(1, 0), sizeof(op), 0),
				 -XEN_EFAULT);
		w->fd[1].read_only = false;
		world_snap(w, &b);
		if (world_snap_cmp(&a, &b, (char[200]){0}, 200) != 0) {
			char why[200];

			world_snap_cmp(&a, &b, why, sizeof(why));
			fail_msg("cmd %u on a read-only op: %s", cmds[i], why);
		}
		assert_int_equal(
			pasid_get_data(&w->m, 1, h.mine, &cookie, &err), 0);
		assert_int_equal(cookie, 0);
	}
	assert_world_ok(w);
}

/* REFUSALS reports the caller's own refusals, by reason. */
static void refusals_by_reason(void **state)
{
	struct world *w = *state;
	uint32_t *counts = world_mem(w, 1, OFF_LIST);
	struct paddock_pasid_op bad = {.cmd = 0};
	struct paddock_pasid_op op = {
		.cmd = PADDOCK_PASID_REFUSALS,
		.u.list = {.buf = world_gva(1, OFF_LIST), .max = 64}};
	uint32_t pasid = alloc(w, 2);

	assert_int_equal(call(w, 1, &bad), -XEN_ENOSYS);
	assert_int_equal(call(w, 1, &bad), -XEN_ENOSYS);
	bad = (struct paddock_pasid_op){.cmd = PADDOCK_PASID_FREE,
					.pasid = pasid};
	assert_int_equal(call(w, 1, &bad), -XEN_ENOENT);
	memset(counts, 0xAB, 64 * sizeof(*counts));
	assert_int_equal(call(w, 1, &op), 0);
	assert_int_equal(op.u.list.count, PADDOCK_PASID_R_MAX + 1);
	assert_int_equal(counts[PADDOCK_PASID_R_UNKNOWN_CMD], 2);
	assert_int_equal(counts[PADDOCK_PASID_R_NOT_ALLOCATED], 1);
	assert_int_equal(counts[PADDOCK_PASID_R_NOT_OWNER], 0);
	assert_int_equal(counts[PADDOCK_PASID_R_QUOTA], 0);
	assert_int_equal(counts[PADDOCK_PASID_R_MAX + 1], 0xABABABAB);
	/* Another domain's counters are its own. */
	op.u.list.buf = world_gva(2, OFF_LIST);
	assert_int_equal(call(w, 2, &op), 0);
	assert_int_equal(((uint32_t *)world_mem(
				 w, 2, OFF_LIST))[PADDOCK_PASID_R_UNKNOWN_CMD],
			 0);
	/* A short buffer gets only what fits. */
	memset(counts, 0xAB, 64 * sizeof(*counts));
	op.u.list.buf = world_gva(1, OFF_LIST);
	op.u.list.max = 2;
	assert_int_equal(call(w, 1, &op), 0);
	assert_int_equal(counts[1], 0);
	assert_int_equal(counts[2], 0xABABABAB);
	/* A buffer outside its memory is refused, and counted. */
	op.u.list.buf = world_gva(2, OFF_LIST);
	op.u.list.max = 64;
	assert_int_equal(call(w, 1, &op), -XEN_EFAULT);
	assert_int_equal(op.reason, PADDOCK_PASID_R_BAD_POINTER);
	op.u.list.buf = world_gva(1, OFF_LIST);
	assert_int_equal(call(w, 1, &op), 0);
	assert_int_equal(counts[PADDOCK_PASID_R_BAD_POINTER], 1);
	pasid_free(&w->m, 2, pasid, NULL);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(source_table),
		T(all_sub_ops),
		T(passthrough_for_privileged),
		T(list_and_set_quota),
		T(get_faults),
		T(fault_charged_to_device_owner),
		T(unowned_device_charges_hypervisor),
		T(interrupt_fault_charged_to_device_owner),
		T(ring_not_flushed_by_another_device),
		T(fault_of_stopped_domains_device),
		T(console_io),
		T(sched_yield_and_shutdown),
		T(xen_version),
		T(unknown_hypercalls),
		T(foreign_and_out_of_range_pasids),
		T(bad_binds),
		T(bind_checks_ownership_first),
		T(privileged_ops_from_unprivileged),
		T(bad_privileged_args),
		T(unknown_cmds_and_reason_truncation),
		T(bad_op_pointers_and_sizes),
		T(bad_fault_buffers),
		T(bad_fault_buffers_empty_ring),
		T(read_only_op_changes_nothing),
		T(refusals_by_reason),
	};

	RUN_TESTS(tests);
}
