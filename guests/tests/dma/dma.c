/* SPDX-License-Identifier: MIT */
/*
 * dma: real DMA through a bound PASID, seen from inside the domain that
 * owns a QEMU edu device (docs/vtd.md, "DMA proof").
 *
 * The device's BAR0 is mapped at start_info.dev_mmio[0].  edu cannot tag
 * its requests with a PASID, so the test-only hypercall STEER points its
 * untagged requests at one of our bound PASIDs (VT-d RID_PASID); a test
 * image is needed, elsewhere STEER is -XEN_ENOSYS and the suite fails.
 * The domain's DMA address space is its own guest window, so a guest
 * address is the DMA address.
 *
 * edu (QEMU hw/misc/edu.c): DMA source 0x80, destination 0x88, count 0x90,
 * command 0x98 (bit 0 start/busy, bit 1 device-to-RAM).  Its buffer is
 * 0x40000..0x40fff: every count stays inside it, or QEMU aborts (a range
 * ending exactly at 0x40fff aborts too).  A DMA
 * runs 100 ms of virtual time after the command; we poll the command.
 */
#include <string.h>

#include "edu.h"
#include "pasid_check.h"
#include "testconf.h"

#define EDU_BUF_BYTES 0x1000ull
/* QEMU 7.2 refuses a range that reaches the buffer's last byte: stay
 * well inside. */
#define BIG_XFER  0x800u
#define XFER	  64u
#define FAULT_BUF 16

static volatile uint8_t *mmio;
static uint32_t dev;	 /* our edu */
static uint32_t bound;	 /* the PASID bound and steered to, or 0 */
static uint64_t dma_tsc; /* TSC ticks one DMA took (about 100 ms) */
/* Pages the device writes into and reads from (guest = DMA addresses). */
static uint8_t page[6][4096] __attribute__((aligned(4096)));

static const struct paddock_start_info *si(void)
{
	return paddock_start_info;
}

/* One edu DMA, waited for (edu.h), and how long it took in dma_tsc:
 * 0 done, -1 the device stayed busy. */
static int timed_dma(uint64_t src, uint64_t dst, uint64_t count, int to_ram)
{
	uint64_t t0 = guest_cycles();

	if (count > BIG_XFER || edu_dma(mmio, src, dst, count, to_ram))
		return -1;
	dma_tsc = guest_cycles() - t0;
	return 0;
}

static uint64_t gaddr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed ^ (i * 13));
}

static int all(const uint8_t *p, size_t n, uint8_t v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

/*
 * Our own fault records that arrive within `periods` DMA durations (the
 * hypervisor files them from its timer tick): how many, the first in *f.
 */
static uint32_t faults_within(unsigned periods, struct paddock_pasid_fault *f)
{
	static struct paddock_pasid_fault buf[FAULT_BUF];
	uint64_t t0 = guest_cycles(),
		 limit = (dma_tsc ? dma_tsc : 100000000) * periods;
	uint32_t total = 0;

	do {
		uint32_t n = 0;
		struct pasid_why why;

		if (pasid_get_faults(buf, FAULT_BUF, &n, &why) == 0 && n) {
			if (!total && f)
				*f = buf[0];
			total += n;
		}
		paddock_yield();
	} while (guest_cycles() - t0 < limit && !total);
	return total;
}

/*
 * Reads and drops our faults until five periods pass without one (at
 * most 40 periods); how many.  One DMA to a bad address raises a fault
 * per transaction (16 for a 64-byte transfer on the edu), and on a
 * machine of several CPUs the records reach us over several of the
 * hypervisor's polls: a test that stopped at the first one would leave
 * the rest to the next test's count.
 */
static uint32_t faults_settle(void)
{
	uint32_t n = 0, got;

	for (unsigned i = 0; i < 8 && (got = faults_within(5, NULL)); i++)
		n += got;
	return n;
}

/* Our first fault at the page of `addr` within `periods`, into *f; 1, or
 * 0 when none came.  Faults elsewhere (a previous DMA's late ones) are
 * read and dropped. */
static int fault_at(uint64_t addr, unsigned periods,
		    struct paddock_pasid_fault *f)
{
	static struct paddock_pasid_fault buf[FAULT_BUF];
	uint64_t t0 = guest_cycles(),
		 limit = (dma_tsc ? dma_tsc : 100000000) * periods;

	do {
		uint32_t n = 0;
		struct pasid_why why;

		if (pasid_get_faults(buf, FAULT_BUF, &n, &why) == 0)
			for (uint32_t i = 0; i < n; i++)
				if ((buf[i].address & ~0xfffull) ==
				    (addr & ~0xfffull)) {
					*f = buf[i];
					return 1;
				}
		paddock_yield();
	} while (guest_cycles() - t0 < limit);
	return 0;
}

static long steer(uint32_t device, uint32_t pasid)
{
	return HYPERVISOR_paddock_test_op(PADDOCK_TEST_STEER, device, pasid);
}

/*
 * The victim domain's bound PASID (guests/tests/dmavictim, beside us in
 * config/systems/dma-guest.c), from the test image's board; 0 when
 * no victim posted one (the demo has none).  A PASID we do not hold
 * cannot be found by asking: the answer is the same for a free one.
 */
static uint32_t victim_pasid(void)
{
	static long posted = -XEN_ENOENT;

	for (unsigned i = 0; i < TESTCONF_VICTIM_WAIT_POLLS && posted < 0;
	     i++) {
		posted = HYPERVISOR_paddock_test_op(
			PADDOCK_TEST_PEEK, TESTCONF_SLOT_VICTIM_PASID, 0);
		if (posted < 0)
			paddock_yield();
	}
	return posted > 0 ? (uint32_t)posted : 0;
}

TEST(dma, device_registers_mapped)
{
	ASSERT_GE(si()->ndevices, 1);
	dev = si()->devices[0];
	ASSERT_NE(si()->dev_mmio[0], 0);
	EXPECT_GE(si()->dev_mmio_size[0], 0x100000);
	mmio = (volatile uint8_t *)(uintptr_t)si()->dev_mmio[0];
	EXPECT_EQ(*(volatile uint32_t *)(mmio + EDU_REG_ID), EDU_ID_VALUE);
	/* edu's liveness register returns the complement of what it holds */
	*(volatile uint32_t *)(mmio + 0x04) = 0x12345678u;
	EXPECT_EQ(*(volatile uint32_t *)(mmio + 0x04), ~0x12345678u);
}

TEST(dma, steer_needs_a_bound_pasid_and_own_device)
{
	struct pasid_why why;
	uint32_t p;

	ASSERT_TRUE(mmio != NULL);
	ASSERT_OK(pasid_alloc(&p, &why), &why);
	EXPECT_EQ(steer(dev, p), -XEN_ENOENT); /* allocated, not bound */
	EXPECT_EQ(steer(TESTCONF_DMA_FOREIGN_DEVICE, p), -XEN_EPERM);
	EXPECT_EQ(steer(dev, 0), -XEN_EINVAL);
	EXPECT_OK(pasid_free(p, &why), &why);
	EXPECT_EQ(steer(dev, p), -XEN_EPERM); /* free: nobody's */
}

/* (a) RAM -> device -> RAM through the bound PASID, to the byte. */
TEST(dma, bound_pasid_dma_lands_in_own_memory)
{
	struct pasid_why why;
	uint8_t *src = page[0], *dst = page[1];
	uint32_t n;

	ASSERT_TRUE(mmio != NULL);
	ASSERT_OK(pasid_alloc(&bound, &why), &why);
	ASSERT_OK(pasid_bind(bound, dev, PADDOCK_BIND_SECOND_LEVEL, 0, &why),
		  &why);
	ASSERT_EQ(steer(dev, bound), 0);
	faults_settle(); /* nothing pending before */
	fill(src, 4096, 0xa5);
	memset(dst, 0x5a, 4096);
	/* RAM -> device from an odd offset, device -> RAM to another one. */
	ASSERT_EQ(timed_dma(gaddr(src + 256), EDU_BUF + 0x100, XFER, 0), 0);
	ASSERT_EQ(timed_dma(EDU_BUF + 0x100, gaddr(dst + 512), XFER, 1), 0);
	EXPECT_EQ(memcmp(dst + 512, src + 256, XFER), 0);
	EXPECT_TRUE(all(dst, 512, 0x5a));
	EXPECT_TRUE(all(dst + 512 + XFER, 4096 - 512 - XFER, 0x5a));
	/* And again with a second pattern, 2 KiB at once. */
	fill(src, 4096, 0x3c);
	ASSERT_EQ(timed_dma(gaddr(src), EDU_BUF, BIG_XFER, 0), 0);
	ASSERT_EQ(timed_dma(EDU_BUF, gaddr(dst), BIG_XFER, 1), 0);
	EXPECT_EQ(memcmp(dst, src, BIG_XFER), 0);
	EXPECT_TRUE(all(dst + BIG_XFER, 4096 - BIG_XFER, 0x5a));
	EXPECT_EQ(faults_within(1, NULL), 0);
	(void)n;
	test_note("PASID %u, one DMA took %lu TSC ticks", bound,
		  (unsigned long)dma_tsc);
}

/*
 * What the IOMMU records for a device write through a PASID with no entry
 * on the device.  VT-d (7.1.3, fault record): the page address and the
 * direction.  SMMUv3: no context descriptor for the SubstreamID is a
 * configuration error, C_BAD_CD (IHI 0070 E.a, 7.3, event 0x0a), whose record
 * has no input address and no direction: the reason says it.
 */
#define SMMU_EVT_C_BAD_CD 0x0a
static void expect_unbound_fault(const struct paddock_pasid_fault *f,
				 uint64_t want_page)
{
#if defined(__aarch64__)
	(void)want_page;
	EXPECT_EQ(f->reason, SMMU_EVT_C_BAD_CD);
#else
	EXPECT_EQ(f->write, 1);
	EXPECT_EQ(f->address & ~0xfffull, want_page);
#endif
}

/*
 * (b) UNBIND: the device just wrote this page through the PASID; after
 * the UNBIND the same DMA faults instead of landing, and the fault is ours
 * and names the PASID.  (QEMU 7.2 reads the PASID entry of an untagged
 * request before its IOTLB, so a missing entry is caught even with a stale
 * IOTLB: the stale-IOTLB proof is the FREE test below, where the entry
 * stays present.)  Rebinding the same PASID makes the new entry translate.
 */
TEST(dma, unbind_blocks_rebind_translates)
{
	struct paddock_pasid_fault f;
	struct pasid_why why;
	uint8_t *dst = page[2];

	ASSERT_NE(bound, 0);
	memset(dst, 0x11, 4096);
	ASSERT_EQ(timed_dma(EDU_BUF, gaddr(dst), XFER, 1), 0);
	ASSERT_TRUE(!all(dst, XFER, 0x11)); /* it landed: IOTLB warm */
	memset(dst, 0x33, 4096);
	ASSERT_OK(pasid_unbind(bound, dev, &why), &why);
	ASSERT_EQ(timed_dma(EDU_BUF, gaddr(dst), XFER, 1), 0);
	EXPECT_TRUE(all(dst, 4096, 0x33));
	ASSERT_EQ(faults_within(10, &f) >= 1, 1);
	EXPECT_EQ(f.pasid, bound);
	EXPECT_EQ(f.device, dev);
	expect_unbound_fault(&f, gaddr(dst));
	test_note("fault: PASID %u device %#x address %#lx reason %#x", f.pasid,
		  f.device, (unsigned long)f.address, f.reason);

	/* Rebind: the new entry is used at once. */
	ASSERT_OK(pasid_bind(bound, dev, PADDOCK_BIND_SECOND_LEVEL, 0, &why),
		  &why);
	ASSERT_EQ(timed_dma(EDU_BUF, gaddr(dst), XFER, 1), 0);
	EXPECT_TRUE(!all(dst, XFER, 0x33));
	EXPECT_TRUE(all(dst + XFER, 4096 - XFER, 0x33));
}

/*
 * (b), (c) FREE while bound parks the PASID: its entry is switched, while
 * present, to blocked with fault reporting disabled.  The device has just
 * written this page through the PASID, so the IOMMU's IOTLB holds the old
 * translation: only if the driver's IOTLB invalidation really reaches the
 * IOMMU (QEMU honours only the domain-selective type-2 descriptor) does
 * the DMA land nowhere.  No fault is ours: the IOMMU suppresses it (FPD;
 * QEMU does) or the hypervisor counts it as suppressed.  Then UNBIND
 * recycles the PASID, the entry goes, and a DMA still lands nowhere; its
 * fault is still ours, since our device issued it, counted as a fault on
 * a PASID we no longer hold (faults_foreign).
 */
TEST(dma, free_parks_and_flushes_stale_iotlb)
{
	struct paddock_pasid_info before, parked, after, later;
	struct paddock_pasid_fault f;
	struct pasid_why why;
	uint8_t *dst = page[3];
	uint32_t n;

	ASSERT_NE(bound, 0);
	memset(dst, 0x44, 4096);
	ASSERT_EQ(timed_dma(EDU_BUF, gaddr(dst), XFER, 1), 0); /* IOTLB warm */
	ASSERT_TRUE(!all(dst, XFER, 0x44));
	memset(dst, 0x44, 4096);
	faults_settle(); /* the previous test's last faults */
	QUERY_OR_RETURN(&before);
	ASSERT_OK(pasid_free(bound, &why), &why);
	ASSERT_EQ(timed_dma(EDU_BUF, gaddr(dst), XFER, 1), 0);
	EXPECT_TRUE(all(dst, 4096, 0x44));
	EXPECT_EQ(faults_within(5, NULL), 0);
	QUERY_OR_RETURN(&parked);
	EXPECT_EQ(parked.parked, before.parked + 1);
	EXPECT_EQ(parked.faults, before.faults);
	test_note("parked PASID %u: faults_suppressed %u -> %u (QEMU honours "
		  "FPD, so 0 more is expected there)",
		  bound, before.faults_suppressed, parked.faults_suppressed);
	ASSERT_OK(pasid_unbind(bound, dev, &why), &why);
	QUERY_OR_RETURN(&after);
	EXPECT_EQ(after.parked, before.parked);
	EXPECT_EQ(after.allocated, before.allocated - 1);
	ASSERT_EQ(timed_dma(EDU_BUF, gaddr(dst), XFER, 1), 0);
	EXPECT_TRUE(all(dst, 4096, 0x44));
	n = faults_within(5, &f); /* a free PASID, but our device */
	EXPECT_GE(n, 1);
	if (n) {
		EXPECT_EQ(f.pasid, bound);
		EXPECT_EQ(f.device, dev);
	}
	n += faults_settle(); /* the DMA's other transactions' */
	/* Every fault read was counted as foreign, and no other: GET_FAULTS
	 * routes all the IOMMU holds before it answers, so none is still on
	 * its way once the faults have settled. */
	QUERY_OR_RETURN(&later);
	EXPECT_EQ(later.faults_foreign - after.faults_foreign, n);
	bound = 0;
}

/* (d) Another domain's PASID cannot be bound to our device or steered to,
 * and looks to us exactly like a free one. */
TEST(dma, foreign_pasid_refused_on_own_device)
{
	struct paddock_pasid_info before, after;
	struct pasid_why why;
	uint32_t foreign = victim_pasid();
	uint64_t cookie;

	if (!foreign)
		SKIP("no victim domain posted a PASID");
	QUERY_OR_RETURN(&before);
	EXPECT_REFUSED(
		pasid_bind(foreign, dev, PADDOCK_BIND_SECOND_LEVEL, 0, &why),
		&why, PADDOCK_PASID_R_NOT_ALLOCATED);
	EXPECT_REFUSED(pasid_get_data(foreign, &cookie, &why), &why,
		       PADDOCK_PASID_R_NOT_ALLOCATED);
	EXPECT_EQ(steer(dev, foreign), -XEN_EPERM);
	QUERY_OR_RETURN(&after);
	EXPECT_EQ(after.bound, before.bound);
	test_note("foreign PASID %u refused", foreign);
}

/* (d) Our PASID cannot be bound to a device we do not own, and another
 * domain's device looks to us exactly like a missing one. */
TEST(dma, own_pasid_refused_on_foreign_device)
{
	struct pasid_why why;
	uint32_t p;

	ASSERT_OK(pasid_alloc(&p, &why), &why);
	EXPECT_REFUSED(pasid_bind(p, TESTCONF_DMA_FOREIGN_DEVICE,
				  PADDOCK_BIND_SECOND_LEVEL, 0, &why),
		       &why, PADDOCK_PASID_R_NO_DEVICE);
	EXPECT_REFUSED(
		pasid_bind(p, 0x7f00, PADDOCK_BIND_SECOND_LEVEL, 0, &why), &why,
		PADDOCK_PASID_R_NO_DEVICE);
	EXPECT_OK(pasid_free(p, &why), &why);
}

/*
 * (e) First-level binds (docs/vtd.md, "First-level binds").  A table of
 * our own that maps all host memory below 512 GiB (the VT-d root table
 * included) and the neighbour's memory is refused, and nothing is bound.
 * A first-level bind with fl_root 0 gets the hypervisor's first-level
 * copy of our DMA view.  QEMU 7.2 ignores FLPTR and walks the entry as
 * second level from SLPTPTR, which the driver points at our DMA tables
 * (the first-level tables themselves are proven by the host walker,
 * suite vtd): a DMA through it lands in our memory at the guest address,
 * and one aimed at the neighbour's host-physical address, or at the
 * address where the hostile table mapped it, lands nowhere and is our
 * fault.
 */
TEST(dma, first_level_hostile_table_refused_own_view_bound)
{
	static uint64_t table[HOSTILE_FL_PAGES][512]
		__attribute__((aligned(4096)));
	const uint64_t victim = si()->probe_other_addr;
	const uint64_t aims[] = {victim, HOSTILE_FL_VICTIM_IOVA};
	struct paddock_pasid_info before, after;
	struct paddock_pasid_fault f;
	struct pasid_why why;
	uint8_t *dst = page[5];
	uint64_t root;
	uint32_t p;

	ASSERT_TRUE(mmio != NULL);
	ASSERT_NE(victim, 0);
	root = hostile_fl_table(table, victim);
	ASSERT_OK(pasid_alloc(&p, &why), &why);
	QUERY_OR_RETURN(&before);
	EXPECT_REFUSED(pasid_bind(p, dev, PADDOCK_BIND_FIRST_LEVEL, root, &why),
		       &why, PADDOCK_PASID_R_BAD_TABLE_ROOT);
	EXPECT_TRUE(strstr(why.text, "fl_root must be 0") != NULL);
	QUERY_OR_RETURN(&after);
	EXPECT_EQ(after.bound, before.bound);
	EXPECT_EQ(steer(dev, p), -XEN_ENOENT); /* nothing was bound */

	ASSERT_OK(pasid_bind(p, dev, PADDOCK_BIND_FIRST_LEVEL, 0, &why), &why);
	ASSERT_EQ(steer(dev, p), 0);
	faults_settle(); /* nothing pending before */
	memset(dst, 0x21, 4096);
	ASSERT_EQ(timed_dma(EDU_BUF, gaddr(dst + 256), XFER, 1), 0);
	EXPECT_TRUE(!all(dst + 256, XFER, 0x21));
	EXPECT_TRUE(all(dst, 256, 0x21));
	EXPECT_TRUE(all(dst + 256 + XFER, 4096 - 256 - XFER, 0x21));
	EXPECT_EQ(faults_within(1, NULL), 0);
	for (unsigned i = 0; i < sizeof(aims) / sizeof(aims[0]); i++) {
		if (aims[i] >= si()->mem_base &&
		    aims[i] < si()->mem_base + si()->mem_size) {
			test_note("%#lx is inside our own window: not aimed at",
				  (unsigned long)aims[i]);
			continue;
		}
		memset(dst, 0x21, 4096);
		ASSERT_EQ(timed_dma(EDU_BUF, aims[i], XFER, 1), 0);
		ASSERT_EQ(fault_at(aims[i], 10, &f), 1);
		EXPECT_EQ(f.pasid, p);
		EXPECT_EQ(f.device, dev);
		EXPECT_EQ(f.write, 1);
		EXPECT_EQ(f.address & ~0xfffull, aims[i] & ~0xfffull);
		EXPECT_TRUE(all(dst, 4096, 0x21));
		test_note("first-level PASID %u: DMA to %#lx blocked, reason "
			  "%#x",
			  p, (unsigned long)aims[i], f.reason);
	}
	EXPECT_OK(pasid_unbind(p, dev, &why), &why);
	EXPECT_OK(pasid_free(p, &why), &why);
}

#if defined(__aarch64__)
/*
 * The MSI doorbell: a device write to the GIC ITS's GITS_TRANSLATER would
 * raise an interrupt the hypervisor never set up.  The doorbell is not in
 * the domain's DMA tables, so the write must fault as any other address
 * outside the window (docs/smmuv3.md, "The MSI doorbell").
 */
TEST(dma, msi_doorbell_write_blocked)
{
	struct paddock_pasid_fault f;
	struct pasid_why why;
	uint32_t p;

	ASSERT_TRUE(mmio != NULL);
	ASSERT_OK(pasid_alloc(&p, &why), &why);
	ASSERT_OK(pasid_bind(p, dev, PADDOCK_BIND_SECOND_LEVEL, 0, &why), &why);
	ASSERT_EQ(steer(dev, p), 0);
	faults_settle(); /* nothing pending before */
	ASSERT_EQ(timed_dma(EDU_BUF, TESTCONF_ARM_ITS_DOORBELL, 4, 1), 0);
	ASSERT_EQ(fault_at(TESTCONF_ARM_ITS_DOORBELL, 10, &f), 1);
	EXPECT_EQ(f.pasid, p);
	EXPECT_EQ(f.device, dev);
	EXPECT_EQ(f.write, 1);
	EXPECT_EQ(f.address & ~0xfffull, TESTCONF_ARM_ITS_DOORBELL & ~0xfffull);
	test_note("DMA to the ITS doorbell %#lx blocked, reason %#x",
		  (unsigned long)TESTCONF_ARM_ITS_DOORBELL, f.reason);
	EXPECT_OK(pasid_unbind(p, dev, &why), &why);
	EXPECT_OK(pasid_free(p, &why), &why);
}
#endif

/*
 * Fault attribution: our device emits the victim's bound PASID (STEER_ANY
 * models a device that puts any PASID on its requests, as hardware can)
 * and its DMA faults, since our device has no entry for that PASID.  The
 * fault is ours, in our ring and counted as foreign; the victim checks
 * from its side that its counters and ring did not move.
 */
static uint32_t attack_faults; /* posted to the victim at the end */

TEST(dma, foreign_pasid_fault_is_charged_to_our_device)
{
	struct paddock_pasid_info before, after;
	struct paddock_pasid_fault f;
	uint32_t victim = victim_pasid(), n;
	uint8_t *dst = page[5];

	if (!victim)
		SKIP("no victim domain posted a PASID");
	ASSERT_TRUE(mmio != NULL);
	faults_settle(); /* nothing of ours pending before */
	QUERY_OR_RETURN(&before);
	ASSERT_EQ(
		HYPERVISOR_paddock_test_op(PADDOCK_TEST_STEER_ANY, dev, victim),
		0);
	memset(dst, 0x21, 4096);
	ASSERT_EQ(timed_dma(EDU_BUF, gaddr(dst), XFER, 1), 0);
	EXPECT_TRUE(all(dst, 4096, 0x21));
	n = faults_within(10, &f);
	ASSERT_GE(n, 1);
	EXPECT_EQ(f.pasid, victim);
	EXPECT_EQ(f.device, dev);
	expect_unbound_fault(&f, gaddr(dst));
	n += faults_settle(); /* the DMA's other transactions' */
	/* Every fault read was counted, as foreign, and no other (GET_FAULTS
	 * routes all the IOMMU holds before it answers). */
	QUERY_OR_RETURN(&after);
	EXPECT_EQ(after.faults - before.faults, n);
	EXPECT_EQ(after.faults_foreign - before.faults_foreign, n);
	EXPECT_EQ(after.faults_suppressed, before.faults_suppressed);
	attack_faults = n;
	test_note("%u faults of our device with the victim's PASID %u, reason "
		  "%#x: ours (foreign %u -> %u)",
		  n, victim, f.reason, before.faults_foreign,
		  after.faults_foreign);
}

/*
 * (b) teardown: a PASID bound and steered, a DMA proven to land, then the
 * WATCH armed on a page and a device-to-RAM DMA started just before the
 * domain powers off.  The DMA runs 100 ms later, after the teardown; the
 * hypervisor's end of run checks the page and the fault ("DMA TEST").
 */
TEST(dma, teardown_check_armed)
{
	struct pasid_why why;
	uint8_t *dst = page[4];

	ASSERT_OK(pasid_alloc(&bound, &why), &why);
	ASSERT_OK(pasid_bind(bound, dev, PADDOCK_BIND_SECOND_LEVEL, 0, &why),
		  &why);
	ASSERT_EQ(steer(dev, bound), 0);
	memset(dst, 0x66, 4096);
	ASSERT_EQ(timed_dma(EDU_BUF, gaddr(dst), XFER, 1), 0);
	ASSERT_TRUE(!all(dst, XFER, 0x66));
	memset(dst, 0x77, 4096);
	ASSERT_EQ(HYPERVISOR_paddock_test_op(PADDOCK_TEST_WATCH, gaddr(dst),
					     4096),
		  0);
}

int main(int argc, char **argv)
{
	int rc = test_run_all();

	(void)argc;
	(void)argv;
	/* The victim waits for this before it checks its counters. */
	HYPERVISOR_paddock_test_op(PADDOCK_TEST_POST, TESTCONF_SLOT_ATTACK_DONE,
				   attack_faults);
	if (bound && mmio) {
		/* Runs 100 ms from now, after the teardown below. */
		edu_write64(mmio, EDU_DMA_SRC, EDU_BUF);
		edu_write64(mmio, EDU_DMA_DST, gaddr(page[4]));
		edu_write64(mmio, EDU_DMA_COUNT, XFER);
		edu_write64(mmio, EDU_DMA_CMD, EDU_START | EDU_TO_RAM);
	}
	return rc;
}
