/* SPDX-License-Identifier: MIT */
/*
 * Event routing through the real PASID manager (hypervisor/pasid/), over
 * the SMMUv3 driver and the simulated SMMU: events are charged by
 * StreamID and SubstreamID together, the rule the isolation issue set
 * for VT-d (docs/design.md, pasid_route_fault()): a domain's counters are
 * filled only by its own devices, whatever SubstreamID they carry; events
 * on a domain's parked PASIDs are suppressed (CD.R = 0) and, when a
 * record arrives anyway, counted as suppressed.  The glue's routing
 * (hypervisor/iommu/fault.c) is reproduced in route() below.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>

#include <paddock/pasid.h>

#include "../../drivers/iommu/smmuv3/smmuv3.h"
#include "smmu_sim.h"

#define IPA_BASE 0x40000000ULL
#define SID_A	 0x08 /* domain 1's device */
#define SID_B	 0x10 /* domain 2's device */
#define DOM_A	 1
#define DOM_B	 2

struct env {
	struct sim_mem mem;
	struct sim_smmu sim;
	struct smmu_unit u;
	struct pasid_mgr *m;
	struct pasid_err err;
	uint64_t root[3], data[3];
};

static uint64_t page(struct env *e)
{
	uint64_t pa;

	assert_non_null(sim_alloc(&e->mem, 1, &pa));
	return pa;
}

/* One mapped page at IPA_BASE, nG = 1 (see test_smmuv3.c's domain()). */
static void tables(struct env *e, unsigned i)
{
	uint64_t l1 = page(e), l2 = page(e), l3 = page(e);

	e->root[i] = page(e);
	e->data[i] = page(e);
	sim_wr(&e->mem, e->root[i], l1 | 3);
	sim_wr(&e->mem, l1 + 8, l2 | 3);
	sim_wr(&e->mem, l2, l3 | 3);
	sim_wr(&e->mem, l3,
	       e->data[i] | SW_PTE_VALID | SW_PTE_TABLE | SW_PTE_AP_EL0 |
		       SW_PTE_AF | SW_PTE_NG | SW_PTE_SH_INNER);
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	struct smmu_config cfg = {.name = "smmu", .poll_limit = 1000};
	struct pasid_set_cfg a = {.domain = DOM_A, .quota = 64};
	struct pasid_set_cfg b = {.domain = DOM_B, .quota = 64};

	if (!e)
		return -1;
	sim_mem_init(&e->mem);
	/* 10-bit SubstreamIDs, CD2L, a 2-level stream table. */
	sim_smmu_init(&e->sim, &e->mem, SIM_QEMU_IDR0 | 1u << 19,
		      (SIM_QEMU_IDR1 & ~0x7ffu) | 10u << 6 | 16u,
		      SIM_QEMU_IDR5);
	if (smmu_unit_init(&e->u, &cfg, &sim_mem_ops, &e->mem, &sim_reg_ops,
			   &e->sim) ||
	    smmu_enable(&e->u))
		return -1;
	e->m = calloc(1, sizeof(*e->m));
	if (!e->m || pasid_mgr_init(e->m, 10, 16, &e->err) ||
	    pasid_set_create(e->m, &a, &e->err) ||
	    pasid_set_create(e->m, &b, &e->err) ||
	    pasid_device_add(e->m, SID_A, DOM_A, &e->u.iommu, &e->err) ||
	    pasid_device_add(e->m, SID_B, DOM_B, &e->u.iommu, &e->err))
		return -1;
	tables(e, 1);
	tables(e, 2);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	pasid_mgr_fini(e->m);
	free(e->m);
	smmu_unit_fini(&e->u);
	sim_mem_fini(&e->mem);
	free(e);
	return 0;
}

static uint32_t bound_pasid(struct env *e, domid_t dom, uint32_t sid)
{
	struct pasid_bind_req rq = {.device = sid,
				    .kind = PASID_ENTRY_SECOND_LEVEL,
				    .sl_root = hpa(e->root[dom])};
	uint32_t p;

	assert_int_equal(pasid_alloc(e->m, dom, &p, &e->err), 0);
	assert_int_equal(pasid_bind(e->m, dom, p, &rq, &e->err), 0);
	return p;
}

static domid_t owner_of(uint32_t sid)
{
	return sid == SID_A ? DOM_A : sid == SID_B ? DOM_B : DOMID_HYPERVISOR;
}

/* hypervisor/iommu/fault.c's route_fault(), over the driver. */
static void route(void *ctx, const struct smmu_event *ev)
{
	struct env *e = ctx;
	uint32_t pasid = ev->ssv ? ev->ssid : 0;

	if (!ev->ssv && smmu_get_default_pasid(&e->u, ev->sid, &pasid))
		pasid = 0;
	pasid_route_fault(e->m, owner_of(ev->sid), pasid);
}

static void dma(struct env *e, uint32_t sid, bool ssv, uint32_t ssid,
		uint64_t addr)
{
	struct sw_request rq = {
		.sid = sid, .ssv = ssv, .ssid = ssid, .addr = addr};
	struct sw_result r;

	sim_dma(&e->sim, &rq, &r);
	if (addr == IPA_BASE && ssv && r.outcome == SWO_TRANSLATED)
		return;
	assert_int_equal(r.outcome, SWO_ABORTED);
}

static unsigned drain(struct env *e)
{
	return smmu_event_drain(&e->u, route, e);
}

static unsigned routed(struct env *e, domid_t d)
{
	return atomic_load(&e->m->fault_counts[d].routed);
}

static unsigned foreign(struct env *e, domid_t d)
{
	return atomic_load(&e->m->fault_counts[d].foreign);
}

static unsigned suppressed(struct env *e, domid_t d)
{
	return atomic_load(&e->m->fault_counts[d].suppressed);
}

static void test_own_device_own_counters(void **state)
{
	struct env *e = *state;
	uint32_t pa = bound_pasid(e, DOM_A, SID_A);
	uint32_t pb = bound_pasid(e, DOM_B, SID_B);

	dma(e, SID_A, true, pa, IPA_BASE);
	/* A's device faults on its own PASID: A's. */
	dma(e, SID_A, true, pa, IPA_BASE + 0x200000);
	assert_int_equal(drain(e), 1);
	assert_int_equal(routed(e, DOM_A), 1);
	assert_int_equal(routed(e, DOM_B), 0);
	/* B's device tags its DMA with A's PASID: no CD there (C_BAD_CD),
	 * and the event is B's, as a foreign PASID, never A's. */
	dma(e, SID_B, true, pa, IPA_BASE);
	assert_int_equal(drain(e), 1);
	assert_int_equal(routed(e, DOM_A), 1);
	assert_int_equal(routed(e, DOM_B), 1);
	assert_int_equal(foreign(e, DOM_B), 1);
	assert_int_equal(foreign(e, DOM_A), 0);
	(void)pb;
}

static void test_parked_suppressed_and_counted(void **state)
{
	struct env *e = *state;
	uint32_t pa = bound_pasid(e, DOM_A, SID_A);

	/* free() of a bound PASID parks it: the CD blocks, R = 0. */
	assert_int_equal(pasid_free(e->m, DOM_A, pa, &e->err), 0);
	dma(e, SID_A, true, pa, IPA_BASE);
	assert_int_equal(drain(e), 0); /* the SMMU records nothing */
	assert_int_equal(e->sim.events, 0);
	/* A record that arrives anyway (queued before the park): counted
	 * as suppressed, not as a fault of A's. */
	sim_event(&e->sim, 0x10, SID_A, true, pa, IPA_BASE, true);
	assert_int_equal(drain(e), 1);
	assert_int_equal(suppressed(e, DOM_A), 1);
	assert_int_equal(routed(e, DOM_A), 0);
	/* The same SubstreamID from B's device is B's, foreign. */
	sim_event(&e->sim, 0x10, SID_B, true, pa, IPA_BASE, true);
	assert_int_equal(drain(e), 1);
	assert_int_equal(suppressed(e, DOM_A), 1);
	assert_int_equal(foreign(e, DOM_B), 1);
}

static void test_default_substream_attribution(void **state)
{
	struct env *e = *state;
	uint32_t pa = bound_pasid(e, DOM_A, SID_A);

	assert_int_equal(smmu_set_default_pasid(&e->u, SID_A, pa), 0);
	/* A request without SubstreamID outside the window: recorded with
	 * SSV = 0, charged through the default PASID to A. */
	dma(e, SID_A, false, 0, IPA_BASE + 0x200000);
	assert_int_equal(drain(e), 1);
	assert_int_equal(routed(e, DOM_A), 1);
	assert_int_equal(foreign(e, DOM_A), 0);
	/* After quiesce: C_BAD_STE, still charged to A's device owner. */
	assert_int_equal(smmu_quiesce_stream(&e->u, SID_A), 0);
	dma(e, SID_A, false, 0, IPA_BASE);
	assert_int_equal(drain(e), 1);
	assert_int_equal(routed(e, DOM_B), 0);
	assert_int_equal(routed(e, DOM_A), 2);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_own_device_own_counters),
		T(test_parked_suppressed_and_counted),
		T(test_default_substream_attribution),
	};
	int failed =
		cmocka_run_group_tests_name("smmuv3-route", tests, NULL, NULL);
	int total = (int)ARRAY_SIZE(tests);

	if (failed < 0 || failed > total)
		failed = total;
	printf("%d passed, %d failed\n", total - failed, failed);
	return failed ? 1 : 0;
}
