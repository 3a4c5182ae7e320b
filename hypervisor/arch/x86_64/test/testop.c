/* SPDX-License-Identifier: MIT */
/*
 * The test-only hypercall, linked into test systems' images only
 * (SYSTEM_TEST_<name> := 1 in config/systems/<name>.mk; docs/abi.md,
 * "Test-only hypercall").
 *
 * STEER points a device's requests without PASID at one of the caller's
 * bound PASIDs (VT-d RID_PASID): no device QEMU 7.2 emulates can tag its
 * DMA with a PASID, and this is how a guest proves with real DMA what a
 * PASID entry does.  STEER_ANY does it with any PASID, as a device on
 * real hardware may emit any.  WATCH asks the end of the run to check
 * that a DMA the caller left running when it stopped landed nowhere and
 * faulted.  POST and PEEK let two test domains meet.
 */
#include <paddock/arch.h>
#include <paddock/hypercall.h>
#include <paddock/mem.h>
#include <paddock/pasid.h>
#include <paddock/start_info.h>
#include <paddock/test_op.h>
#include <asm/acpi.h>
#include <asm/console.h>
#include <asm/domain.h>
#include <asm/layout.h>
#include <asm/multiboot.h>
#include <asm/paging.h>
#include <asm/pci.h>
#include <paddock/hypercall.h>
#include <asm/string.h>
#include <asm/testop.h>
#include <asm/x86.h>
#include <xen/errno.h>

#define WATCH_MAX_BYTES 4096
#define EDU_DMA_CMD	0x98 /* bit 0: busy (QEMU hw/misc/edu.c) */
#define IDLE_WAIT_TSC	8000000000ull

/* Per domain: where its first device was last steered, and its watch. */
static struct test_state {
	bool steered, watching;
	uint32_t device, pasid;
	uint64_t addr, len;
	uint8_t *bytes;	  /* what [addr, addr + len) held at WATCH */
	unsigned matches; /* faults of (device, pasid) since WATCH */
	domid_t owner;	  /* where the last of them was routed */
} state[CFG_MAX_DOMAINS];

static bool owns_device(const struct arch_domain *ad, uint32_t bdf)
{
	for (unsigned i = 0; i < ad->d->cfg->ndevices; i++) {
		if (ad->d->cfg->devices[i] == bdf)
			return true;
	}
	return false;
}

static long steer(struct arch_domain *ad, uint32_t bdf, uint64_t pasid)
{
	struct pasid_owner o;
	long rc;

	if (!owns_device(ad, bdf))
		return -XEN_EPERM;
	if (pasid == 0 || pasid > 0xfffff)
		return -XEN_EINVAL;
	o = pasid_lookup(hv_system()->pasids, (uint32_t)pasid);
	if (o.domain != ad->d->id)
		return -XEN_EPERM;
	if (o.state != PASID_BOUND)
		return -XEN_ENOENT;
	rc = iommu_set_rid_pasid(bdf, (uint32_t)pasid);
	if (rc == 0 && ad->d->id < CFG_MAX_DOMAINS &&
	    bdf == ad->d->cfg->devices[0]) {
		state[ad->d->id].steered = true;
		state[ad->d->id].device = bdf;
		state[ad->d->id].pasid = (uint32_t)pasid;
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
static long steer_any(struct arch_domain *ad, uint32_t bdf, uint64_t pasid)
{
	if (!owns_device(ad, bdf))
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

static long watch(struct arch_domain *ad, uint64_t addr, uint64_t len)
{
	struct test_state *t = &state[ad->d->id];

	if (!t->steered)
		return -XEN_ENOENT;
	if (len == 0 || len > WATCH_MAX_BYTES || t->watching)
		return -XEN_EINVAL;
	t->bytes = pd_zalloc(len);
	if (!t->bytes)
		return -XEN_ENOMEM;
	if (arch_copy_from_guest(ad->d, t->bytes, gva(addr), len)) {
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

long x86_test_op(struct arch_domain *ad, const uint64_t args[5])
{
	if (ad->d->id >= CFG_MAX_DOMAINS)
		return -XEN_EINVAL;
	switch (args[0]) {
	case PADDOCK_TEST_STEER:
		return steer(ad, (uint32_t)args[1], args[2]);
	case PADDOCK_TEST_WATCH:
		return watch(ad, args[1], args[2]);
	case PADDOCK_TEST_STEER_ANY:
		return steer_any(ad, (uint32_t)args[1], args[2]);
	case PADDOCK_TEST_POST:
		return post(args[1], args[2]);
	case PADDOCK_TEST_PEEK:
		return peek(args[1]);
	default:
		return -XEN_ENOSYS;
	}
}

void x86_test_fault(uint16_t sid, bool pasid_valid, uint32_t pasid,
		    domid_t owner)
{
	for (unsigned i = 0; i < CFG_MAX_DOMAINS; i++) {
		struct test_state *t = &state[i];

		if (t->watching && pasid_valid && pasid == t->pasid &&
		    sid == pci_requester_id(t->device)) {
			t->matches++;
			t->owner = owner;
		}
	}
}

static void verdict(const struct arch_domain *ad, const char *what, bool ok)
{
	console_printf("DMA TEST %s %s: %s\n", ok ? "PASS" : "FAIL",
		       ad->d->name, what);
}

/* Waits for the device's DMA engine to go idle; false on a timeout. */
static bool device_idle(const struct arch_domain *ad)
{
	volatile uint64_t *cmd;
	uint64_t t0 = rdtsc();

	if (!ad->mmio[0].size)
		return false;
	cmd = phys_to_virt(ad->mmio[0].phys + EDU_DMA_CMD);
	while (*cmd & 1) {
		if (rdtsc() - t0 > IDLE_WAIT_TSC)
			return false;
		cpu_relax();
	}
	return true;
}

static void check_watch(struct arch_domain *ad)
{
	struct test_state *t = &state[ad->d->id];
	uint8_t *now = pd_zalloc(t->len);
	uint64_t old = read_cr3();
	bool idle = device_idle(ad);

	iommu_poll_faults();
	verdict(ad, "after teardown its device went idle", idle);
	if (!now)
		return;
	write_cr3(ad->cr3); /* its memory, through its own tables */
	user_access_begin();
	memcpy(now, (const void *)t->addr, t->len);
	user_access_end();
	write_cr3(old);
	verdict(ad, "after teardown its device's DMA lands nowhere",
		!memcmp(now, t->bytes, t->len));
	console_printf("x86: test: %s: %u faults of %02x:%02x.%x with PASID "
		       "%u after WATCH, last routed to %d\n",
		       ad->d->name, t->matches, t->device >> 8,
		       (t->device >> 3) & 31, t->device & 7, t->pasid,
		       t->owner == PASID_DOMID_NONE ? -1 : (int)t->owner);
	/* The device was quiesced at teardown: with bus mastering off its
	 * DMA never reaches the IOMMU, so no fault is expected; should it
	 * reach it, the context entry blocks it and nobody is charged. */
	verdict(ad, "after teardown its device's bus mastering is off",
		!(pci_command(t->device) & PCI_COMMAND_MASTER));
	verdict(ad,
		"after teardown its device's context entry blocks tagged and "
		"untagged DMA",
		iommu_device_blocked(t->device));
	verdict(ad,
		"after teardown no fault of its device was charged to a "
		"domain",
		t->matches == 0 || t->owner == PASID_DOMID_NONE);
	pd_free(now);
}

void x86_test_end_of_run(struct arch_domain *const *domains, unsigned n)
{
	for (unsigned i = 0; i < n && i < CFG_MAX_DOMAINS; i++) {
		if (state[i].watching)
			check_watch(domains[i]);
	}
}

/*
 * The synthetic RMRR (VT-d 8.4).  Its page is low RAM that Paddock never
 * uses (the image, heap and domain pool all lie above 1 MiB, and the
 * loader's data was copied out at boot), between two pages of the same
 * kind that stay outside it, so that a DMA next to it must still fault.
 */
#define RMRR_TEST_PAGE 0x90000ull
#define EDU_ID	       0x11e81234u

static struct {
	bool injected;
	uint32_t bdf;
	uint64_t page;
} rmrr_test;

/* [lo, hi) lies inside one range the loader reported as available RAM. */
static bool low_ram_free(const struct boot_memory *bm, uint64_t lo, uint64_t hi)
{
	for (unsigned i = 0; i < bm->nranges; i++) {
		const struct mem_range *r = &bm->ranges[i];

		if (r->type == MB_MMAP_AVAILABLE && r->base <= lo &&
		    hi <= r->base + r->length && hi <= KERNEL_LOAD_PHYS)
			return true;
	}
	return false;
}

void x86_test_rmrr_inject(const struct boot_memory *bm, bool overlap)
{
	const struct domain_cfg *cfg =
		system_config.ndomains ? &system_config.domains[0] : NULL;
	struct dmar_rmrr r = {.segment = 0, .nscopes = 1};
	uint64_t page =
		overlap ? PADDOCK_GUEST_BASE + PAGE_SIZE : RMRR_TEST_PAGE;
	uint32_t bdf = 0;
	bool found = false;

	for (unsigned k = 0; cfg && k < cfg->ndevices && !found; k++) {
		bdf = cfg->devices[k];
		found = pci_read32(bdf, 0) == EDU_ID;
	}
	if (!found) {
		console_printf(
			"x86: test: rmrr: the first domain owns no edu\n");
		return;
	}
	if (!overlap &&
	    !low_ram_free(bm, page - PAGE_SIZE, page + 2 * PAGE_SIZE)) {
		console_printf("x86: test: rmrr: %lx-%lx is not free low RAM\n",
			       (uint64_t)(page - PAGE_SIZE),
			       (uint64_t)(page + 2 * PAGE_SIZE - 1));
		return;
	}
	/* VT-d 8.3.1: an endpoint scope, one hop from the device's own bus. */
	r.base = page;
	r.limit = page + PAGE_SIZE - 1;
	r.scopes[0].type = DMAR_SCOPE_PCI_ENDPOINT;
	r.scopes[0].start_bus = (uint8_t)(bdf >> 8);
	r.scopes[0].npath = 1;
	r.scopes[0].path[0].dev = (bdf >> 3) & 31;
	r.scopes[0].path[0].fn = bdf & 7;
	if (acpi_dmar_add_rmrr(&r))
		return;
	rmrr_test.injected = true;
	rmrr_test.bdf = bdf;
	rmrr_test.page = page;
	console_printf("x86: test: RMRR %lx-%lx injected for %02x:%02x.%x of "
		       "domain %s\n",
		       r.base, r.limit, bdf >> 8, (bdf >> 3) & 31, bdf & 7,
		       cfg->name);
}

bool x86_test_rmrr_page(uint32_t bdf, uint64_t *page)
{
	if (!rmrr_test.injected || rmrr_test.bdf != bdf)
		return false;
	*page = rmrr_test.page;
	return true;
}
