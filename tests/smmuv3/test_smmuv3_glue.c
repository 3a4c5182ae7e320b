/* SPDX-License-Identifier: MIT */
/*
 * The SMMUv3 driver through the generic IOMMU layer, as the aarch64 arch
 * will use it: smmuv3_driver_ops handed to iommu_layer_init(), a unit
 * added from a description, devices bound through the PASID manager,
 * steered (iommu_set_rid_pasid), faults polled and charged
 * (iommu_poll_faults, hv_report_fault), a device quiesced.  The fake arch
 * maps physical addresses one to one, so the simulated SMMU reads the
 * tables the driver made in the heap; its registers stand in for MMIO
 * (smmuv3_glue_set_reg_ops()).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <config/config.h>
#include <paddock/iommu_glue.h>
#include <paddock/iommu_layer.h>
#include <paddock/mem.h>

#include "../../drivers/iommu/smmuv3/smmuv3_glue.h"
#include "smmu_sim.h"
#include "world.h"

#define DEV_A	 0x0008 /* 00:01.0, StreamID 0x0008 on QEMU virt */
#define DEV_B	 0x0010 /* 00:02.0 */
#define IPA_BASE 0x40000000ULL

const struct platform_cfg platform_config = {.name = "host"};

static struct world *cur;

struct hv_system *hv_system(void)
{
	return &cur->sys;
}

/* QEMU virt's iommu-map: StreamID = requester ID. */
uint32_t arch_device_requester_id(uint32_t device)
{
	return device & 0xffff;
}

struct env {
	struct world w;
	struct sim_mem mem;
	struct sim_smmu sim;
	struct pasid_err err;
	uint64_t root[3], data[3];
	void *pages[16]; /* the test's own tables, freed at teardown */
	unsigned npages;
};

static uint64_t page(struct env *e)
{
	void *p = pd_zalloc(4096);

	assert_non_null(p);
	e->pages[e->npages++] = p;
	return (uint64_t)(uintptr_t)p;
}

/* A domain's DMA tables: one page at IPA_BASE, nG = 1 (docs/smmuv3.md). */
static void tables(struct env *e, unsigned d)
{
	uint64_t l1 = page(e), l2 = page(e), l3 = page(e);

	e->root[d] = page(e);
	e->data[d] = page(e);
	*(uint64_t *)(uintptr_t)e->root[d] = l1 | 3;
	*(uint64_t *)(uintptr_t)(l1 + 8) = l2 | 3;
	*(uint64_t *)(uintptr_t)l2 = l3 | 3;
	*(uint64_t *)(uintptr_t)l3 = e->data[d] | SW_PTE_VALID | SW_PTE_TABLE |
				     SW_PTE_AP_EL0 | SW_PTE_AF | SW_PTE_NG |
				     SW_PTE_SH_INNER;
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	struct world_cfg wc = {.bits = 10, .ndoms = 3, .quota = 16};
	struct iommu_unit_desc desc = {.catch_all = true};

	if (!e || world_init(&e->w, &wc) < 0)
		return -1;
	cur = &e->w;
	sim_mem_init(&e->mem);
	e->mem.identity = true;
	/* 10-bit SubstreamIDs, CD2L, a 2-level stream table, 48-bit
	 * output (the host heap's addresses are the physical ones). */
	sim_smmu_init(&e->sim, &e->mem, SIM_QEMU_IDR0 | 1u << 19,
		      (SIM_QEMU_IDR1 & ~0x7ffu) | 10u << 6 | 16u, 0x75);
	desc.reg_base = (uint64_t)(uintptr_t)&e->sim;
	smmuv3_glue_set_reg_ops(&sim_reg_ops);
	iommu_layer_init(&smmuv3_driver_ops, 4);
	if (iommu_unit_add(&desc) < 0 ||
	    smmuv3_declare_device(desc.reg_base, DEV_A, 10) ||
	    smmuv3_declare_device(desc.reg_base, DEV_B, 10) ||
	    pasid_device_add(&e->w.m, DEV_A, 1, iommu_get(0), &e->err) < 0 ||
	    pasid_device_add(&e->w.m, DEV_B, 2, iommu_get(0), &e->err) < 0 ||
	    hv_source_add(&e->w.sys, DEV_A, 1) < 0 ||
	    hv_source_add(&e->w.sys, DEV_B, 2) < 0)
		return -1;
	tables(e, 1);
	tables(e, 2);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	world_fini(&e->w); /* its teardown clears CDs through the layer */
	iommu_layer_reset();
	smmuv3_glue_set_reg_ops(NULL);
	for (unsigned i = 0; i < e->npages; i++)
		pd_free(e->pages[i]);
	sim_mem_fini(&e->mem);
	free(e);
	return 0;
}

static uint32_t bound(struct env *e, domid_t dom, uint32_t dev)
{
	struct pasid_bind_req rq = {.device = dev,
				    .kind = PASID_ENTRY_SECOND_LEVEL,
				    .sl_root = hpa(e->root[dom])};
	uint32_t p;

	assert_int_equal(pasid_alloc(&e->w.m, dom, &p, &e->err), 0);
	assert_int_equal(pasid_bind(&e->w.m, dom, p, &rq, &e->err), 0);
	return p;
}

static struct sw_result dma(struct env *e, uint32_t sid, bool ssv,
			    uint32_t ssid, uint64_t addr)
{
	struct sw_request rq = {
		.sid = sid, .ssv = ssv, .ssid = ssid, .addr = addr};
	struct sw_result r;

	sim_dma(&e->sim, &rq, &r);
	return r;
}

static void test_layer_bind_steer(void **state)
{
	struct env *e = *state;
	uint32_t p = bound(e, 1, DEV_A);
	struct iommu_table_figures fig;
	struct sw_result r;

	assert_int_equal(iommu_count(), 1);
	assert_string_equal(iommu_get(0)->name, "smmuv3");
	assert_int_equal(iommu_get(0)->pasid_bits, 10);
	r = dma(e, DEV_A, true, p, IPA_BASE + 0x20);
	if (r.outcome != SWO_TRANSLATED)
		fail_msg("PASID %u: %s (%s)", p, sw_event_name(r.event), r.why);
	assert_true(r.pa == e->data[1] + 0x20);
	/* Requests without PASID: blocked until steered. */
	r = dma(e, DEV_A, false, 0, IPA_BASE + 0x20);
	assert_int_equal(r.outcome, SWO_ABORTED);
	assert_int_equal(iommu_set_rid_pasid(DEV_A, p), 0);
	r = dma(e, DEV_A, false, 0, IPA_BASE + 0x20);
	assert_true(r.outcome == SWO_TRANSLATED && r.pa == e->data[1] + 0x20);
	/* The accounting: a CD-table L1 page, leaf 0, one entry. */
	iommu_device_tables(DEV_A, &fig);
	assert_int_equal(fig.entries, 1);
	assert_int_equal(fig.dir_pages, 1);
	assert_int_equal(fig.pages, 2);
	assert_int_equal(fig.binds, 1);
	assert_false(iommu_device_blocked(DEV_A));
}

static void test_layer_faults_charged(void **state)
{
	struct env *e = *state;
	uint32_t pa = bound(e, 1, DEV_A);
	uint32_t pb = bound(e, 2, DEV_B);

	/* A's device outside its window; B's device with A's PASID. */
	dma(e, DEV_A, true, pa, IPA_BASE + 0x400000);
	dma(e, DEV_B, true, pa, IPA_BASE);
	iommu_poll_faults();
	assert_int_equal(e->w.m.fault_counts[1].routed, 1);
	assert_int_equal(e->w.m.fault_counts[1].foreign, 0);
	assert_int_equal(e->w.m.fault_counts[2].routed, 1);
	assert_int_equal(e->w.m.fault_counts[2].foreign, 1);
	(void)pb;
}

static void test_layer_quiesce(void **state)
{
	struct env *e = *state;
	uint32_t p = bound(e, 1, DEV_A);

	assert_int_equal(iommu_set_rid_pasid(DEV_A, p), 0);
	iommu_quiesce_device(DEV_A);
	assert_true(iommu_device_blocked(DEV_A));
	assert_int_equal(dma(e, DEV_A, false, 0, IPA_BASE).event,
			 SWE_C_BAD_STE);
	assert_int_equal(dma(e, DEV_A, true, p, IPA_BASE).event, SWE_C_BAD_STE);
	iommu_poll_faults();
	assert_int_equal(e->w.m.fault_counts[1].routed, 2);
	/* The domain's teardown still clears its CDs. */
	pasid_domain_teardown(&e->w.m, 1);
	assert_int_equal(e->sim.bad_access, 0);
	assert_int_equal(e->sim.writes_before_gbpa, 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_layer_bind_steer),
		T(test_layer_faults_charged),
		T(test_layer_quiesce),
	};
	int failed =
		cmocka_run_group_tests_name("smmuv3-glue", tests, NULL, NULL);
	int total = (int)ARRAY_SIZE(tests);

	if (failed < 0 || failed > total)
		failed = total;
	printf("%d passed, %d failed\n", total - failed, failed);
	return failed ? 1 : 0;
}
