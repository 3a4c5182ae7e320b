/* SPDX-License-Identifier: MIT */
/*
 * Every refusal the manager makes: its reason code, its XEN_E* code, its
 * text, that it is counted, and that it changes nothing else.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"

#include <xen/errno.h>

struct fx {
	struct world *w;
	uint32_t mine, bound, parked, other;
	struct pasid_record *parked_hold;
};

static int setup(void **state)
{
	static struct fx f;
	struct world_cfg cfg = {
		.bits = 10, .ndoms = 3, .quota = 4, .hv_quota = 2};
	struct pasid_bind_req req = {.device = WORLD_DEV(1),
				     .kind = PASID_ENTRY_SECOND_LEVEL};
	struct pasid_err err;

	memset(&f, 0, sizeof(f));
	f.w = world_new(&cfg);
	assert_non_null(f.w);
	assert_int_equal(pasid_alloc(&f.w->m, 1, &f.mine, &err), 0);
	assert_int_equal(pasid_alloc(&f.w->m, 1, &f.bound, &err), 0);
	assert_int_equal(pasid_bind(&f.w->m, 1, f.bound, &req, &err), 0);
	assert_int_equal(pasid_alloc(&f.w->m, 1, &f.parked, &err), 0);
	assert_int_equal(pasid_bind(&f.w->m, 1, f.parked, &req, &err), 0);
	assert_int_equal(pasid_free(&f.w->m, 1, f.parked, &err), 0);
	assert_int_equal(pasid_alloc(&f.w->m, 2, &f.other, &err), 0);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	long base = f->w->heap_base;

	assert_world_ok(f->w);
	world_free(f->w);
	assert_int_equal(heap_live(), base);
	return 0;
}

/* Runs one refused call and checks everything about the refusal. */
#define REFUSED(f, call, xerr, why, dom)                                       \
	do {                                                                   \
		struct world_snap a_, b_;                                      \
		uint32_t before_ = world_refusals((f)->w, (dom));              \
		world_snap((f)->w, &a_);                                       \
		memset(&err, 0x5A, sizeof(err));                               \
		assert_int_equal((call), -(xerr));                             \
		assert_int_equal(err.reason, (why));                           \
		assert_true(strlen(err.text) > 10 &&                           \
			    strlen(err.text) < sizeof(err.text));              \
		world_snap((f)->w, &b_);                                       \
		assert_snap_same(&a_, &b_);                                    \
		assert_int_equal(world_refusals((f)->w, (dom)), before_ + 1);  \
		assert_world_ok((f)->w);                                       \
	} while (0)

static void out_of_range(void **state)
{
	struct fx *f = *state;
	struct pasid_err err;
	uint64_t c;

	REFUSED(f, pasid_free(&f->w->m, 1, 0, &err), XEN_EINVAL,
		PADDOCK_PASID_R_OUT_OF_RANGE, 1);
	assert_string_equal(err.text, "PASID 0 is outside [1, 1023]");
	REFUSED(f, pasid_free(&f->w->m, 1, 1024, &err), XEN_EINVAL,
		PADDOCK_PASID_R_OUT_OF_RANGE, 1);
	REFUSED(f, pasid_set_data(&f->w->m, 1, 0xFFFFFFFF, 1, &err), XEN_EINVAL,
		PADDOCK_PASID_R_OUT_OF_RANGE, 1);
	REFUSED(f, pasid_get_data(&f->w->m, 1, 1u << 20, &c, &err), XEN_EINVAL,
		PADDOCK_PASID_R_OUT_OF_RANGE, 1);
	REFUSED(f, pasid_unbind(&f->w->m, 1, 4096, WORLD_DEV(1), &err),
		XEN_EINVAL, PADDOCK_PASID_R_OUT_OF_RANGE, 1);
}

/* The one answer an unprivileged domain gets for a PASID it does not
 * hold, free or another's: the same reason and the same words. */
static void assert_not_held(const struct pasid_err *err, uint32_t pasid,
			    unsigned dom)
{
	char text[PASID_REASON_LEN];

	snprintf(text, sizeof(text), "PASID %u is not allocated to domain %u",
		 pasid, dom);
	assert_int_equal(err->reason, PADDOCK_PASID_R_NOT_ALLOCATED);
	assert_string_equal(err->text, text);
}

static void not_allocated_and_not_owner(void **state)
{
	struct fx *f = *state;
	struct pasid_err err;
	struct pasid_bind_req req = {.device = WORLD_DEV(1),
				     .kind = PASID_ENTRY_SECOND_LEVEL};
	uint64_t c;

	REFUSED(f, pasid_free(&f->w->m, 1, 1000, &err), XEN_ENOENT,
		PADDOCK_PASID_R_NOT_ALLOCATED, 1);
	assert_not_held(&err, 1000, 1);
	/* Another domain's PASID: the same answer as a free one. */
	REFUSED(f, pasid_free(&f->w->m, 1, f->other, &err), XEN_ENOENT,
		PADDOCK_PASID_R_NOT_ALLOCATED, 1);
	assert_not_held(&err, f->other, 1);
	REFUSED(f, pasid_bind(&f->w->m, 1, f->other, &req, &err), XEN_ENOENT,
		PADDOCK_PASID_R_NOT_ALLOCATED, 1);
	assert_not_held(&err, f->other, 1);
	REFUSED(f, pasid_set_data(&f->w->m, 2, f->mine, 5, &err), XEN_ENOENT,
		PADDOCK_PASID_R_NOT_ALLOCATED, 2);
	assert_not_held(&err, f->mine, 2);
	REFUSED(f, pasid_get_data(&f->w->m, 2, f->bound, &c, &err), XEN_ENOENT,
		PADDOCK_PASID_R_NOT_ALLOCATED, 2);
	REFUSED(f, pasid_unbind(&f->w->m, 2, f->bound, WORLD_DEV(1), &err),
		XEN_ENOENT, PADDOCK_PASID_R_NOT_ALLOCATED, 2);
	/* Another's parked PASID, too: "parked" is for one's own. */
	REFUSED(f, pasid_get_data(&f->w->m, 2, f->parked, &c, &err), XEN_ENOENT,
		PADDOCK_PASID_R_NOT_ALLOCATED, 2);
	assert_not_held(&err, f->parked, 2);
	/* Privilege grants nothing over another domain's PASIDs; a control
	 * domain, which LIST shows every set, is told whose they are. */
	REFUSED(f, pasid_free(&f->w->m, 0, f->mine, &err), XEN_EPERM,
		PADDOCK_PASID_R_NOT_OWNER, 0);
	REFUSED(f, pasid_free(&f->w->m, 0, f->parked, &err), XEN_EPERM,
		PADDOCK_PASID_R_NOT_OWNER, 0);
	REFUSED(f, pasid_free(&f->w->m, 0, 1000, &err), XEN_ENOENT,
		PADDOCK_PASID_R_NOT_ALLOCATED, 0);
}

static void parked(void **state)
{
	struct fx *f = *state;
	struct pasid_err err;
	struct pasid_bind_req req = {.device = WORLD_DEV2(1),
				     .kind = PASID_ENTRY_SECOND_LEVEL};
	uint64_t c;

	REFUSED(f, pasid_free(&f->w->m, 1, f->parked, &err), XEN_ENOENT,
		PADDOCK_PASID_R_PARKED, 1);
	assert_non_null(strstr(err.text, "(1 left)"));
	REFUSED(f, pasid_bind(&f->w->m, 1, f->parked, &req, &err), XEN_ENOENT,
		PADDOCK_PASID_R_PARKED, 1);
	REFUSED(f, pasid_set_data(&f->w->m, 1, f->parked, 1, &err), XEN_ENOENT,
		PADDOCK_PASID_R_PARKED, 1);
	REFUSED(f, pasid_get_data(&f->w->m, 1, f->parked, &c, &err), XEN_ENOENT,
		PADDOCK_PASID_R_PARKED, 1);
	/* Unbinding a device it is not bound to. */
	REFUSED(f, pasid_unbind(&f->w->m, 1, f->parked, WORLD_DEV2(1), &err),
		XEN_ENOENT, PADDOCK_PASID_R_NOT_BOUND, 1);
}

static void quota(void **state)
{
	struct fx *f = *state;
	struct pasid_err err;
	uint32_t p;

	assert_int_equal(pasid_alloc(&f->w->m, 1, &p, &err), 0);
	REFUSED(f, pasid_alloc(&f->w->m, 1, &p, &err), XEN_EMFILE,
		PADDOCK_PASID_R_QUOTA, 1);
	assert_string_equal(err.text, "quota exhausted: domain 1 holds 4/4 "
				      "PASIDs (1 parked)");
	struct paddock_pasid_info i;
	pasid_query(&f->w->m, 1, &i);
	assert_int_equal(i.refusals_quota, 1);
	/* The hypervisor's own set is charged like any domain's. */
	assert_int_equal(pasid_alloc(&f->w->m, DOMID_HYPERVISOR, &p, &err), 0);
	assert_int_equal(pasid_alloc(&f->w->m, DOMID_HYPERVISOR, &p, &err), 0);
	assert_int_equal(pasid_alloc(&f->w->m, DOMID_HYPERVISOR, &p, &err),
			 -XEN_EMFILE);
	assert_int_equal(err.reason, PADDOCK_PASID_R_QUOTA);
}

static void space(void **state)
{
	struct fx *f = *state;
	struct pasid_err err;
	uint32_t p;

	assert_int_equal(pasid_set_quota(&f->w->m, 2, 2000, &err), 0);
	while (pasid_alloc(&f->w->m, 2, &p, &err) == 0)
		;
	assert_int_equal(err.reason, PADDOCK_PASID_R_SPACE);
	REFUSED(f, pasid_alloc(&f->w->m, 2, &p, &err), XEN_ENOSPC,
		PADDOCK_PASID_R_SPACE, 2);
	pasid_domain_teardown(&f->w->m, 2);
}

static void devices(void **state)
{
	struct fx *f = *state;
	struct pasid_err err;
	struct pasid_bind_req req = {.kind = PASID_ENTRY_SECOND_LEVEL};

	req.device = 0x777;
	REFUSED(f, pasid_bind(&f->w->m, 1, f->mine, &req, &err), XEN_ENODEV,
		PADDOCK_PASID_R_NO_DEVICE, 1);
	assert_string_equal(err.text,
			    "no device 0x777 is assigned to domain 1");
	/* Another domain's device, or nobody's: the same answer. */
	req.device = WORLD_DEV(2);
	REFUSED(f, pasid_bind(&f->w->m, 1, f->mine, &req, &err), XEN_ENODEV,
		PADDOCK_PASID_R_NO_DEVICE, 1);
	assert_string_equal(err.text,
			    "no device 0x102 is assigned to domain 1");
	req.device = WORLD_DEV_UNASSIGNED;
	REFUSED(f, pasid_bind(&f->w->m, 1, f->mine, &req, &err), XEN_ENODEV,
		PADDOCK_PASID_R_NO_DEVICE, 1);
	assert_string_equal(err.text,
			    "no device 0x900 is assigned to domain 1");
	/* The control domain is told the device exists. */
	uint32_t p0;
	assert_int_equal(pasid_alloc(&f->w->m, 0, &p0, &err), 0);
	req.device = WORLD_DEV(2);
	REFUSED(f, pasid_bind(&f->w->m, 0, p0, &req, &err), XEN_EPERM,
		PADDOCK_PASID_R_DEVICE_NOT_OWNED, 0);
	req.device = 0x777;
	REFUSED(f, pasid_bind(&f->w->m, 0, p0, &req, &err), XEN_ENODEV,
		PADDOCK_PASID_R_NO_DEVICE, 0);
	assert_int_equal(pasid_free(&f->w->m, 0, p0, &err), 0);
	req.device = WORLD_DEV(1);
	REFUSED(f, pasid_bind(&f->w->m, 1, f->bound, &req, &err), XEN_EEXIST,
		PADDOCK_PASID_R_ALREADY_BOUND, 1);
	REFUSED(f, pasid_unbind(&f->w->m, 1, f->mine, WORLD_DEV(1), &err),
		XEN_ENOENT, PADDOCK_PASID_R_NOT_BOUND, 1);
	REFUSED(f, pasid_unbind(&f->w->m, 1, f->bound, 0x777, &err), XEN_ENOENT,
		PADDOCK_PASID_R_NOT_BOUND, 1);
	REFUSED(f, pasid_unbind(&f->w->m, 1, f->bound, WORLD_DEV2(1), &err),
		XEN_ENOENT, PADDOCK_PASID_R_NOT_BOUND, 1);
	/* Registration errors. */
	assert_int_equal(pasid_device_add(&f->w->m, WORLD_DEV(1), 1,
					  &f->w->iommu[0].iommu, &err),
			 -XEN_EEXIST);
	assert_int_equal(err.reason, PADDOCK_PASID_R_BAD_ARGUMENT);
	assert_int_equal(pasid_device_add(&f->w->m, 0x778, 1, NULL, &err),
			 -XEN_ENODEV);
	assert_int_equal(err.reason, PADDOCK_PASID_R_NO_DEVICE);
}

static void device_table_full(void **state)
{
	struct fx *f = *state;
	struct pasid_err err;
	uint32_t id = 0x10000;

	while (f->w->m.ndevices < PASID_MAX_DEVICES)
		assert_int_equal(pasid_device_add(&f->w->m, id++, 1,
						  &f->w->iommu[0].iommu, &err),
				 0);
	assert_int_equal(
		pasid_device_add(&f->w->m, id, 1, &f->w->iommu[0].iommu, &err),
		-XEN_ENOSPC);
	assert_int_equal(err.reason, PADDOCK_PASID_R_BAD_ARGUMENT);
	/* The last one registered works. */
	struct pasid_bind_req req = {.device = id - 1,
				     .kind = PASID_ENTRY_SECOND_LEVEL};
	assert_int_equal(pasid_bind(&f->w->m, 1, f->mine, &req, &err), 0);
}

/* An IOMMU narrower than the manager's PASID space refuses the PASIDs it
 * cannot translate; the manager passes that on and changes nothing. */
static void iommu_narrower_than_space(void **state)
{
	struct fx *f = *state;
	struct pasid_err err;
	struct pasid_bind_req req = {.device = WORLD_DEV2(2),
				     .kind = PASID_ENTRY_SECOND_LEVEL};
	uint32_t p;

	f->w->iommu[1].iommu.pasid_bits = 4;
	assert_int_equal(pasid_set_quota(&f->w->m, 2, 64, &err), 0);
	do
		assert_int_equal(pasid_alloc(&f->w->m, 2, &p, &err), 0);
	while (p < 16);
	REFUSED(f, pasid_bind(&f->w->m, 2, p, &req, &err), XEN_EINVAL,
		PADDOCK_PASID_R_IOMMU, 2);
	assert_non_null(strstr(err.text, "error -22"));
	f->w->iommu[1].iommu.pasid_bits = 20;
}

static void bind_types_and_privilege(void **state)
{
	struct fx *f = *state;
	struct pasid_err err;
	struct pasid_bind_req req = {.device = WORLD_DEV2(1)};

	req.kind = PASID_ENTRY_BLOCKED;
	REFUSED(f, pasid_bind(&f->w->m, 1, f->mine, &req, &err), XEN_EINVAL,
		PADDOCK_PASID_R_BAD_BIND_TYPE, 1);
	req.kind = (enum pasid_entry_kind)9;
	REFUSED(f, pasid_bind(&f->w->m, 1, f->mine, &req, &err), XEN_EINVAL,
		PADDOCK_PASID_R_BAD_BIND_TYPE, 1);
	req.kind = PASID_ENTRY_PASSTHROUGH;
	REFUSED(f, pasid_bind(&f->w->m, 1, f->mine, &req, &err), XEN_EPERM,
		PADDOCK_PASID_R_NOT_PRIVILEGED, 1);
	/* A privileged set may. */
	uint32_t p;
	req.device = WORLD_DEV(0);
	assert_int_equal(pasid_alloc(&f->w->m, 0, &p, &err), 0);
	assert_int_equal(pasid_bind(&f->w->m, 0, p, &req, &err), 0);
	assert_int_equal(mock_entry(&f->w->iommu[0], WORLD_DEV(0), p)->cfg.kind,
			 PASID_ENTRY_PASSTHROUGH);
}

static void no_memory_and_iommu(void **state)
{
	struct fx *f = *state;
	struct pasid_err err;
	struct pasid_bind_req req = {.device = WORLD_DEV2(1),
				     .kind = PASID_ENTRY_SECOND_LEVEL};

	fail_nth_arm(1);
	REFUSED(f, pasid_bind(&f->w->m, 1, f->mine, &req, &err), XEN_ENOMEM,
		PADDOCK_PASID_R_NO_MEMORY, 1);
	assert_true(fail_nth_fired());
	fail_nth_disarm();
	f->w->iommu[1].fail_installs = 1;
	REFUSED(f, pasid_bind(&f->w->m, 1, f->mine, &req, &err), XEN_ENOMEM,
		PADDOCK_PASID_R_IOMMU, 1);
	assert_non_null(strstr(err.text, "IOMMU mock1"));
	/* Next one works. */
	assert_int_equal(pasid_bind(&f->w->m, 1, f->mine, &req, &err), 0);
}

static void no_domain(void **state)
{
	struct fx *f = *state;
	struct pasid_err err;
	uint32_t p;
	struct pasid_set_cfg big = {.domain = PASID_MAX_SETS, .quota = 1};
	struct pasid_set_cfg dup = {.domain = 1, .quota = 1};
	struct pasid_set_cfg hvr = {
		.domain = DOMID_HYPERVISOR, .range_lo = 1, .range_hi = 2};

	assert_int_equal(pasid_alloc(&f->w->m, 6, &p, &err), -XEN_ESRCH);
	assert_int_equal(err.reason, PADDOCK_PASID_R_NO_DOMAIN);
	assert_int_equal(pasid_alloc(&f->w->m, 0xFFFF, &p, &err), -XEN_ESRCH);
	assert_int_equal(pasid_free(&f->w->m, 6, 1, &err), -XEN_ESRCH);
	assert_int_equal(pasid_set_quota(&f->w->m, 6, 1, &err), -XEN_ESRCH);
	assert_int_equal(pasid_set_create(&f->w->m, &big, &err), -XEN_EINVAL);
	assert_int_equal(err.reason, PADDOCK_PASID_R_NO_DOMAIN);
	assert_int_equal(pasid_set_create(&f->w->m, &dup, &err), -XEN_EEXIST);
	assert_int_equal(err.reason, PADDOCK_PASID_R_BAD_ARGUMENT);
	/* The hypervisor's set exists already; a second is refused. */
	assert_int_equal(pasid_set_create(&f->w->m, &hvr, &err), -XEN_EEXIST);
	assert_int_equal(
		pasid_query(&f->w->m, 6, &(struct paddock_pasid_info){0}),
		-XEN_ESRCH);
}

static void mgr_init_bad_width(void **state)
{
	struct pasid_mgr *m = test_calloc(1, sizeof(*m));
	struct pasid_err err;
	long base = heap_live();

	assert_int_equal(pasid_mgr_init(m, 0, 1, &err), -XEN_EINVAL);
	assert_int_equal(err.reason, PADDOCK_PASID_R_BAD_ARGUMENT);
	assert_int_equal(pasid_mgr_init(m, PASID_BITS_MAX + 1, 1, &err),
			 -XEN_EINVAL);
	assert_int_equal(heap_live(), base);
	assert_int_equal(pasid_mgr_init(m, PASID_BITS_MAX, 1, &err), 0);
	pasid_mgr_fini(m);
	assert_int_equal(heap_live(), base);
	test_free(m);
	(void)state;
}

static void reason_names(void **state)
{
	for (uint32_t r = 0; r <= PADDOCK_PASID_R_MAX; r++)
		assert_string_not_equal(pasid_reason_name(r), "?");
	assert_string_equal(pasid_reason_name(PADDOCK_PASID_R_MAX + 1), "?");
	assert_string_equal(pasid_reason_name(0xFFFFFFFF), "?");
	assert_string_equal(pasid_state_name(PASID_PARKED), "parked");
	assert_string_equal(pasid_state_name((enum pasid_state)9), "?");
	(void)state;
}

static void note_refusal_bounds(void **state)
{
	struct fx *f = *state;

	uint32_t before = world_refusals(f->w, 1);
	pasid_note_refusal(&f->w->m, 1, PADDOCK_PASID_R_MAX + 1);
	pasid_note_refusal(&f->w->m, 9, PADDOCK_PASID_R_BAD_SIZE);
	assert_int_equal(world_refusals(f->w, 1), before);
	pasid_note_refusal(&f->w->m, 1, PADDOCK_PASID_R_BAD_SIZE);
	assert_int_equal(world_refusals(f->w, 1), before + 1);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(out_of_range),
		T(not_allocated_and_not_owner),
		T(parked),
		T(quota),
		T(space),
		T(devices),
		T(device_table_full),
		T(iommu_narrower_than_space),
		T(bind_types_and_privilege),
		T(no_memory_and_iommu),
		T(no_domain),
		cmocka_unit_test(mgr_init_bad_width),
		cmocka_unit_test(reason_names),
		T(note_refusal_bounds),
	};

	RUN_TESTS(tests);
}
