/* SPDX-License-Identifier: MIT */
/*
 * The test-only hypercall, linked into test systems' images only
 * (SYSTEM_TEST_<name> := 1 in config/systems/[<arch>/]<name>.mk; docs/abi.md,
 * "Test-only hypercall").
 *
 * STEER points a device's requests without PASID at one of the caller's
 * bound PASIDs (VT-d RID_PASID): no device QEMU 7.2 emulates can tag its
 * DMA with a PASID, and this is how a guest proves with real DMA what a
 * PASID entry does.  STEER_ANY does it with any PASID, as a device on
 * real hardware may emit any.  WATCH asks the end of the run to check
 * that a DMA the caller left running when it stopped landed nowhere and
 * faulted.  POST and PEEK let two test domains meet.
 *
 * The arch serves the hypercall through test_op() and, at the end of the
 * run, waits for each watching domain's device to go idle before
 * test_check_watch() (paddock/selftest.h).
 */
#include <paddock/arch.h>
#include <paddock/hypercall.h>
#include <paddock/iommu_glue.h>
#include <paddock/iommu_layer.h>
#include <paddock/mem.h>
#include <paddock/pasid.h>
#include <paddock/pci.h>
#include <paddock/selftest.h>
#include <paddock/test_op.h>
#include <xen/errno.h>

#include "bytes.h"

#define WATCH_MAX_BYTES 4096

/* Per domain: where its first device was last steered, and its watch. */
static struct test_state {
	bool steered, watching;
	uint32_t device, pasid;
	uint64_t addr, len;
	uint8_t *bytes;	  /* what [addr, addr + len) held at WATCH */
	unsigned matches; /* faults of (device, pasid) since WATCH */
	domid_t owner;	  /* where the last of them was routed */
} state[CFG_MAX_DOMAINS];

static bool owns_device(const struct domain_cfg *cfg, uint32_t bdf)
{
	for (unsigned i = 0; i < cfg->ndevices; i++) {
		if (cfg->devices[i] == bdf)
			return true;
	}
	return false;
}

static long steer(struct domain *d, const struct domain_cfg *cfg, uint32_t bdf,
		  uint64_t pasid)
{
	struct pasid_owner o;
	long rc;

	if (!owns_device(cfg, bdf))
		return -XEN_EPERM;
	if (pasid == 0 || pasid > 0xfffff)
		return -XEN_EINVAL;
	o = pasid_lookup(hv_system()->pasids, (uint32_t)pasid);
	if (o.domain != d->id)
		return -XEN_EPERM;
	if (o.state != PASID_BOUND)
		return -XEN_ENOENT;
	rc = arch_test_steer(bdf, (uint32_t)pasid);
	if (rc == 0 && d->id < CFG_MAX_DOMAINS && bdf == cfg->devices[0]) {
		state[d->id].steered = true;
		state[d->id].device = bdf;
		state[d->id].pasid = (uint32_t)pasid;
	}
	return rc;
}

/*
 * A device can put any PASID value on its requests (PCIe TLP PASID
 * prefix): this points its untagged requests at a PASID that need not be
 * the caller's, to prove that a device's faults are charged to its own
 * domain whoever holds the PASID (docs/design.md, "Fault routing").
 * Unlike STEER it leaves the WATCH state alone.
 */
static long steer_any(const struct domain_cfg *cfg, uint32_t bdf,
		      uint64_t pasid)
{
	if (!owns_device(cfg, bdf))
		return -XEN_EPERM;
	if (pasid == 0 || pasid > 0xfffff)
		return -XEN_EINVAL;
	return iommu_set_rid_pasid(bdf, (uint32_t)pasid);
}

/* The board POST and PEEK share between the test image's domains. */
static struct {
	bool posted;
	uint32_t value;
} board[PADDOCK_TEST_SLOTS];

static long post(uint64_t slot, uint64_t value)
{
	if (slot >= PADDOCK_TEST_SLOTS || value > 0xffffffffu)
		return -XEN_EINVAL;
	board[slot].value = (uint32_t)value;
	board[slot].posted = true;
	return 0;
}

static long peek(uint64_t slot)
{
	if (slot >= PADDOCK_TEST_SLOTS)
		return -XEN_EINVAL;
	return board[slot].posted ? (long)board[slot].value : -XEN_ENOENT;
}

static long watch(struct domain *d, uint64_t addr, uint64_t len)
{
	struct test_state *t = &state[d->id];

	if (!t->steered)
		return -XEN_ENOENT;
	if (len == 0 || len > WATCH_MAX_BYTES || t->watching)
		return -XEN_EINVAL;
	t->bytes = pd_zalloc(len);
	if (!t->bytes)
		return -XEN_ENOMEM;
	if (arch_copy_from_guest(d, t->bytes, gva(addr), len)) {
		pd_free(t->bytes);
		t->bytes = NULL;
		return -XEN_EFAULT;
	}
	t->addr = addr;
	t->len = len;
	t->matches = 0;
	t->owner = PASID_DOMID_NONE;
	t->watching = true;
	return 0;
}

long test_op(struct domain *d, const struct domain_cfg *cfg,
	     const uint64_t args[5])
{
	if (d->id >= CFG_MAX_DOMAINS)
		return -XEN_EINVAL;
	switch (args[0]) {
	case PADDOCK_TEST_STEER:
		return steer(d, cfg, (uint32_t)args[1], args[2]);
	case PADDOCK_TEST_WATCH:
		return watch(d, args[1], args[2]);
	case PADDOCK_TEST_STEER_ANY:
		return steer_any(cfg, (uint32_t)args[1], args[2]);
	case PADDOCK_TEST_POST:
		return post(args[1], args[2]);
	case PADDOCK_TEST_PEEK:
		return peek(args[1]);
	default:
		return -XEN_ENOSYS;
	}
}

void test_dma_fault(uint32_t sid, bool pasid_valid, uint32_t pasid,
		    domid_t owner)
{
	for (unsigned i = 0; i < CFG_MAX_DOMAINS; i++) {
		struct test_state *t = &state[i];

		if (t->watching && pasid_valid && pasid == t->pasid &&
		    sid == arch_device_requester_id(t->device)) {
			t->matches++;
			t->owner = owner;
		}
	}
}

static void verdict(const struct domain *d, const char *what, bool ok)
{
	hv_printf("DMA TEST %s %s: %s\n", ok ? "PASS" : "FAIL", d->name, what);
}

bool test_watching(const struct domain *d)
{
	return d->id < CFG_MAX_DOMAINS && state[d->id].watching;
}

void test_check_watch(struct domain *d, bool device_idle)
{
	struct test_state *t = &state[d->id];
	uint8_t *now = pd_zalloc(t->len);

	iommu_poll_faults();
	verdict(d, "after teardown its device went idle", device_idle);
	if (!now)
		return;
	/* its memory, through its own tables */
	verdict(d, "after teardown its device's DMA lands nowhere",
		arch_copy_from_guest(d, now, gva(t->addr), t->len) == 0 &&
			bytes_equal(now, t->bytes, t->len));
	hv_printf("%s: test: %s: %u faults of %02x:%02x.%x with PASID %u "
		  "after WATCH, last routed to %d\n",
		  arch_log_prefix, d->name, t->matches, t->device >> 8,
		  (t->device >> 3) & 31, t->device & 7, t->pasid,
		  t->owner == PASID_DOMID_NONE ? -1 : (int)t->owner);
	/* The device was quiesced at teardown: with bus mastering off its
	 * DMA never reaches the IOMMU, so no fault is expected; should it
	 * reach it, the context entry blocks it and nobody is charged. */
	verdict(d, "after teardown its device's bus mastering is off",
		!(pci_command(t->device) & PCI_COMMAND_MASTER));
	verdict(d,
		"after teardown its device's context entry blocks tagged and "
		"untagged DMA",
		iommu_device_blocked(t->device));
	verdict(d,
		"after teardown no fault of its device was charged to a "
		"domain",
		t->matches == 0 || t->owner == PASID_DOMID_NONE);
	pd_free(now);
}

/*
 * The manager at rest after the run: every domain stopped on every CPU
 * and was torn down, so its invariant checker (which wants no operation
 * running) may walk everything, and no domain's set may be left: a set is
 * freed when its last PASID recycles, so one left means a PASID never
 * reclaimed.  The hypervisor's own set is reported, not judged (its own
 * users may hold PASIDs across the run).
 */
void test_end_of_run(struct hv_system *sys)
{
	static struct paddock_pasid_info info[CFG_MAX_DOMAINS + 1];
	uint32_t n = pasid_list(sys->pasids, info, ARRAY_SIZE(info));
	uint32_t sets = 0, held = 0, bound = 0, parked = 0, hv_held = 0;
	struct pasid_err err;
	int rc = pasid_check_invariants(sys->pasids, &err);

	hv_printf("PASID TEST %s end_of_run.invariants: %s\n",
		  rc ? "FAIL" : "PASS",
		  rc ? err.text
		     : "the manager's invariant check holds after every CPU "
		       "stopped");
	if (n > ARRAY_SIZE(info))
		n = ARRAY_SIZE(info);
	for (uint32_t i = 0; i < n; i++) {
		if (info[i].domain == DOMID_HYPERVISOR) {
			hv_held = info[i].allocated;
			continue;
		}
		sets++;
		held += info[i].allocated;
		bound += info[i].bound;
		parked += info[i].parked;
	}
	hv_printf("PASID TEST %s end_of_run.reclaimed: %u domain sets left, "
		  "holding %u PASIDs (%u bound, %u parked); the hypervisor's "
		  "own set holds %u\n",
		  sets || held ? "FAIL" : "PASS", sets, held, bound, parked,
		  hv_held);
}
