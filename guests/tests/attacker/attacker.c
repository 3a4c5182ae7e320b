/* SPDX-License-Identifier: MIT */
/*
 * attacker: the red team (config/systems/x86_64/x86-redteam.c, docs/guests.md).
 * An unprivileged domain with an edu of its own.  Once the referee says
 * go (our quota becomes TESTCONF_REDTEAM_ATTACKER_GO_QUOTA), it throws
 * hostile arguments at every hypercall and every PASID sub-operation,
 * aims the victim's PASIDs and device, and points its own device's DMA
 * (through its own bound PASID, steered with the test-only STEER) at the
 * victim's memory and at the hypervisor's.  Every call must be refused
 * with the XEN_E* code docs/abi.md gives, counted as one refusal of ours,
 * and leave our own state as it was; the victim checks from its side
 * that nothing of its moved, and the referee from LIST.
 *
 * The redteam_fix.* tests demand what issue 7 asks to be fixed (what a
 * domain may learn about others; GET_FAULTS with a bad buffer and no
 * records): they fail on the code before it.
 */
#include <stdio.h>
#include <string.h>

#include "edu.h"
#include "pasid_check.h"
#include "testconf.h"

#define POISON32 0xa5a5a5a5u
#define POISON64 0xa5a5a5a5a5a5a5a5ull
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
/* PASIDs the foreign scan walks, from 1: covers the victim's range and
 * the first pool blocks. */
#define SCAN_LIMIT 0x400u
/* Detailed failures per scan before only counting. */
#define REPORTS 6
#define XFER	64u
/* The kernel window: virtual = physical + this (docs/x86.md). */
#define KERNEL_WINDOW 0xffffffff80000000ull
/* Multiboot v1 header magic, in the first 8 KiB of the hypervisor. */
#define MB_MAGIC 0x1badb002u
#define MB_LOAD	 0x100000ull
/* A PASID of the shared pool no domain of this system reaches. */
#define FAR_FREE_PASID 0xf0000u
#define DOMID_XEN_SET  0x7ff2u

static uint32_t mine;  /* allocated, with MINE_COOKIE */
static uint32_t dmap;  /* bound to our device, steered to */
static uint32_t dev;   /* our edu */
static uint64_t limit; /* 2^pasid_bits */
static int go;	       /* the referee said go */
static int steered;    /* STEER(dev, dmap) done */
static volatile uint8_t *mmio;
static uint8_t page[4][4096] __attribute__((aligned(4096)));
#define MINE_COOKIE 0xa77ac4e2a77ac4e2ull

/* Read-only ops (rodata), one per command, to be refused unread. */
static const struct paddock_pasid_op ro_ops[] = {
	{.cmd = PADDOCK_PASID_ALLOC},
	{.cmd = PADDOCK_PASID_FREE},
	{.cmd = PADDOCK_PASID_BIND},
	{.cmd = PADDOCK_PASID_UNBIND},
	{.cmd = PADDOCK_PASID_SET_DATA, .cookie = 1},
	{.cmd = PADDOCK_PASID_GET_DATA},
	{.cmd = PADDOCK_PASID_QUERY},
	{.cmd = PADDOCK_PASID_LIST},
	{.cmd = PADDOCK_PASID_SET_QUOTA},
	{.cmd = PADDOCK_PASID_GET_FAULTS},
	{.cmd = PADDOCK_PASID_REFUSALS},
};

static const struct paddock_start_info *si(void)
{
	return paddock_start_info;
}

static uint64_t mem_end(void)
{
	return si()->mem_base + si()->mem_size;
}

static int in_own_memory(uint64_t addr, uint64_t len)
{
	return addr >= si()->mem_base && addr + len > addr &&
	       addr + len <= mem_end();
}

/* Our own read-only text: the address of a function. */
static uint64_t own_text(void)
{
	return (uint64_t)(uintptr_t)&si;
}

static uint64_t own_rodata(void)
{
	return (uint64_t)(uintptr_t)&ro_ops[0];
}

static uint64_t own_mmio(void)
{
	return si()->dev_mmio[0];
}

/* The victim's host-physical memory (domain 0's first byte). */
static uint64_t victim_phys(void)
{
	return si()->probe_other_addr;
}

/*
 * Guest addresses no call may read or write for us: the hypervisor's
 * halves, non-canonical and unmapped addresses, our device's registers,
 * and ranges straddling the end of our memory by `len`.
 */
static unsigned bad_addresses(uint64_t *a, uint64_t len)
{
	unsigned n = 0;

	a[n++] = 0;
	a[n++] = 8;
	a[n++] = si()->probe_hv_addr;
	a[n++] = 0xffff800000000000ull;		      /* physmap */
	a[n++] = 0xffff800000000000ull + MB_LOAD;     /* physmap image */
	a[n++] = KERNEL_WINDOW + MB_LOAD;	      /* hypervisor image */
	a[n++] = 0xffffffffffff0000ull;		      /* top of the half */
	a[n++] = 0x0000800000000000ull;		      /* non-canonical */
	a[n++] = 0x8000000000000000ull;		      /* non-canonical */
	a[n++] = ~0ull - 8;			      /* wraps */
	a[n++] = si()->mem_base - 0x1000;	      /* below our memory */
	a[n++] = mem_end();			      /* just above */
	a[n++] = mem_end() - len / 2;		      /* straddles the end */
	a[n++] = victim_phys();			      /* victim, physical */
	a[n++] = own_mmio() ? own_mmio() : mem_end(); /* device registers */
	return n;
}
#define MAX_BAD 16

/*
 * Every attack follows the same pattern: snapshot, attack, then
 * UNHARMED(before, n): n refusals were counted, nothing else of ours
 * moved, and our PASID still holds its cookie.
 */
#define UNHARMED(before, refused)                                              \
	expect_unharmed_(__FILE__, __LINE__, (before), (refused), mine,        \
			 MINE_COOKIE)

#define SNAPSHOT(info)                                                         \
	do {                                                                   \
		ASSERT_TRUE(go);                                               \
		QUERY_OR_RETURN(info);                                         \
	} while (0)

static long raw_pasid_op(uint64_t addr, uint64_t size)
{
	return _hypercall2(__HYPERVISOR_paddock_pasid_op, addr, size);
}

static long steer(uint64_t device, uint64_t pasid)
{
	return _hypercall3(__HYPERVISOR_paddock_test_op, PADDOCK_TEST_STEER,
			   device, pasid);
}

/* Compares n bytes at p with what they were (a copy at q). */
static int unchanged(const void *p, const void *q, size_t n)
{
	return memcmp(p, q, n) == 0;
}

/* ---- the start ---------------------------------------------------- */

TEST(attacker, waits_for_go)
{
	struct paddock_pasid_info q;
	struct pasid_why why;
	unsigned polls;

	ASSERT_EQ(si()->flags & PADDOCK_START_PRIVILEGED, 0);
	ASSERT_GE(si()->ndevices, 1);
	dev = si()->devices[0];
	ASSERT_EQ(dev, TESTCONF_REDTEAM_ATTACKER_DEVICE);
	for (polls = 0; polls < TESTCONF_REDTEAM_POLLS; polls++) {
		QUERY_OR_RETURN(&q);
		if (q.quota == TESTCONF_REDTEAM_ATTACKER_GO_QUOTA)
			break;
		if (q.quota != TESTCONF_REDTEAM_ATTACKER_QUOTA)
			FAIL("quota %u: neither ours nor the referee's",
			     q.quota);
		paddock_yield();
	}
	ASSERT_LT(polls, TESTCONF_REDTEAM_POLLS);
	limit = 1ull << q.pasid_bits;
	ASSERT_EQ(q.allocated, 0);
	ASSERT_OK(pasid_alloc(&mine, &why), &why);
	ASSERT_OK(pasid_set_data(mine, MINE_COOKIE, &why), &why);
	ASSERT_OK(pasid_alloc(&dmap, &why), &why);
	ASSERT_OK(pasid_bind(dmap, dev, PADDOCK_BIND_SECOND_LEVEL, 0, &why),
		  &why);
	test_note("domain %u, go after %u polls; own PASIDs %u and %u "
		  "(bound); victim at physical %#lx; hypervisor probe %#lx",
		  si()->domid, polls, mine, dmap, (unsigned long)victim_phys(),
		  (unsigned long)si()->probe_hv_addr);
	go = 1;
}

/* ---- the standard hypercalls --------------------------------------- */

TEST(attacker, console_io)
{
	struct paddock_pasid_info before;
	static const char msg[] = "attacker: this line must not print\n";
	const uint64_t counts[] = {4097,	  1ull << 20,	 0x7fffffffull,
				   0x80000000ull, 0xffffffffull, 1ull << 32 | 8,
				   1ull << 63,	  ~0ull};
	const uint64_t cmds[] = {CONSOLEIO_read,
				 2,
				 3,
				 0xffffffffull,
				 1ull << 32 | CONSOLEIO_write,
				 ~0ull};
	uint64_t bad[MAX_BAD];
	unsigned n = bad_addresses(bad, 64);
	long ret;

	SNAPSHOT(&before);
	for (unsigned i = 0; i < COUNT(counts); i++) {
		ret = _hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write,
				  counts[i], (uintptr_t)msg);
		if (ret != -XEN_EINVAL)
			FAIL("console_io count %#lx: %ld, expected -XEN_EINVAL",
			     (unsigned long)counts[i], ret);
	}
	for (unsigned i = 0; i < n; i++) {
		if (in_own_memory(bad[i], 64))
			continue;
		ret = _hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, 64,
				  bad[i]);
		if (ret != -XEN_EFAULT)
			FAIL("console_io from %#lx: %ld, expected -XEN_EFAULT",
			     (unsigned long)bad[i], ret);
		/* The biggest count it takes, from the same place. */
		ret = _hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write,
				  4096, bad[i]);
		if (ret != -XEN_EFAULT)
			FAIL("console_io 4096 from %#lx: %ld",
			     (unsigned long)bad[i], ret);
	}
	/* Nothing to read: nothing read, whatever the pointer. */
	ret = _hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, 0, 0);
	EXPECT_TRUE(ret == 0 || ret == -XEN_EFAULT);
	for (unsigned i = 0; i < COUNT(cmds); i++) {
		ret = _hypercall3(__HYPERVISOR_console_io, cmds[i], 8,
				  (uintptr_t)msg);
		if (ret != -XEN_ENOSYS)
			FAIL("console_io cmd %#lx: %ld, expected -XEN_ENOSYS",
			     (unsigned long)cmds[i], ret);
	}
	UNHARMED(&before, 0);
}

TEST(attacker, sched_op)
{
	struct paddock_pasid_info before;
	/* A shutdown that would end us as crashed, were it taken. */
	struct sched_shutdown crash = {.reason = SHUTDOWN_crash};
	/* Xen's remote_shutdown: aimed at the victim (domain 0) and the
	 * referee (domain 1). */
	struct {
		uint16_t domain_id;
		uint16_t pad;
		uint32_t reason;
	} remote[] = {{0, 0, SHUTDOWN_poweroff}, {1, 0, SHUTDOWN_crash}};
	const uint64_t cmds[] = {1,
				 3,
				 5,
				 6,
				 7,
				 8,
				 99,
				 0xffffffffull,
				 1ull << 32 | SCHEDOP_shutdown,
				 ~0ull};
	uint64_t bad[MAX_BAD];
	unsigned n = bad_addresses(bad, sizeof(crash));
	long ret;

	SNAPSHOT(&before);
	for (unsigned i = 0; i < COUNT(cmds); i++) {
		ret = _hypercall2(__HYPERVISOR_sched_op, cmds[i],
				  (uintptr_t)&crash);
		if (ret != -XEN_ENOSYS)
			FAIL("sched_op cmd %#lx: %ld, expected -XEN_ENOSYS",
			     (unsigned long)cmds[i], ret);
	}
	for (unsigned i = 0; i < COUNT(remote); i++) {
		ret = _hypercall2(__HYPERVISOR_sched_op,
				  4 /* remote_shutdown */,
				  (uintptr_t)&remote[i]);
		EXPECT_EQ(ret, -XEN_ENOSYS);
	}
	/* A shutdown whose argument cannot be read: we keep running. */
	for (unsigned i = 0; i < n; i++) {
		if (in_own_memory(bad[i], sizeof(crash)))
			continue;
		ret = _hypercall2(__HYPERVISOR_sched_op, SCHEDOP_shutdown,
				  bad[i]);
		if (ret != -XEN_EFAULT)
			FAIL("shutdown from %#lx: %ld, expected -XEN_EFAULT",
			     (unsigned long)bad[i], ret);
	}
	/* A yield ignores its argument. */
	EXPECT_EQ(_hypercall2(__HYPERVISOR_sched_op, SCHEDOP_yield,
			      si()->probe_hv_addr),
		  0);
	UNHARMED(&before, 0);
}

TEST(attacker, xen_version)
{
	struct paddock_pasid_info before;
	const uint64_t cmds[] = {2,
				 3,
				 4,
				 5,
				 6,
				 7,
				 8,
				 9,
				 10,
				 99,
				 0xffffffffull,
				 1ull << 32 | XENVER_extraversion};
	uint8_t text[32], ro[32];
	uint64_t bad[MAX_BAD];
	unsigned n = bad_addresses(bad, sizeof(xen_extraversion_t));
	xen_extraversion_t extra;
	long ret;

	SNAPSHOT(&before);
	memcpy(text, (const void *)(uintptr_t)own_text(), sizeof(text));
	memcpy(ro, (const void *)(uintptr_t)own_rodata(), sizeof(ro));
	EXPECT_EQ(_hypercall2(__HYPERVISOR_xen_version, XENVER_version,
			      si()->probe_hv_addr),
		  (4 << 16) | 17);
	for (unsigned i = 0; i < COUNT(cmds); i++) {
		ret = _hypercall2(__HYPERVISOR_xen_version, cmds[i],
				  (uintptr_t)&extra);
		if (ret != -XEN_ENOSYS)
			FAIL("xen_version cmd %#lx: %ld, expected -XEN_ENOSYS",
			     (unsigned long)cmds[i], ret);
	}
	for (unsigned i = 0; i < n; i++) {
		if (in_own_memory(bad[i], sizeof(extra)))
			continue;
		ret = _hypercall2(__HYPERVISOR_xen_version, XENVER_extraversion,
				  bad[i]);
		if (ret != -XEN_EFAULT)
			FAIL("extraversion into %#lx: %ld, expected "
			     "-XEN_EFAULT",
			     (unsigned long)bad[i], ret);
	}
	/* Our read-only text and data are no output buffers. */
	EXPECT_EQ(_hypercall2(__HYPERVISOR_xen_version, XENVER_extraversion,
			      own_text()),
		  -XEN_EFAULT);
	EXPECT_EQ(_hypercall2(__HYPERVISOR_xen_version, XENVER_extraversion,
			      own_rodata()),
		  -XEN_EFAULT);
	EXPECT_TRUE(unchanged((const void *)(uintptr_t)own_text(), text,
			      sizeof(text)));
	EXPECT_TRUE(unchanged((const void *)(uintptr_t)own_rodata(), ro,
			      sizeof(ro)));
	UNHARMED(&before, 0);
}

TEST(attacker, unknown_hypercalls)
{
	struct paddock_pasid_info before;
	const uint64_t ops[] = {0,
				1,
				2,
				16,
				19,
				24,
				28,
				30,
				48,
				53,
				56,
				63,
				64,
				255,
				1000,
				1ull << 32 | __HYPERVISOR_console_io,
				1ull << 32 | __HYPERVISOR_paddock_pasid_op,
				1ull << 63,
				~0ull};

	SNAPSHOT(&before);
	for (unsigned i = 0; i < COUNT(ops); i++) {
		long ret =
			_hypercall5(ops[i], si()->probe_hv_addr, 120, 0, 0, 0);

		if (ret != -XEN_ENOSYS)
			FAIL("hypercall %#lx: %ld, expected -XEN_ENOSYS",
			     (unsigned long)ops[i], ret);
	}
	UNHARMED(&before, 0);
}

/* ---- the test-only hypercall (a test image) ------------------------- */

TEST(attacker, test_op_bad_arguments)
{
	struct paddock_pasid_info before;
	/* Sub-ops 1-5 exist (STEER, WATCH, STEER_ANY, POST, PEEK:
	 * include/public/paddock/test_op.h); the rest must not. */
	const uint64_t cmds[] = {0,
				 6,
				 7,
				 0xff,
				 0xffffffffull,
				 1ull << 32 | PADDOCK_TEST_STEER,
				 ~0ull};
	const uint64_t ids[] = {
		0,	    1ull << 20, (1ull << 20) + 1, 0xffffffffull,
		1ull << 32, ~0ull};
	unsigned wrong = 0;

	SNAPSHOT(&before);
	for (unsigned i = 0; i < COUNT(cmds); i++) {
		long ret = _hypercall3(__HYPERVISOR_paddock_test_op, cmds[i],
				       dev, dmap);

		if (ret != -XEN_ENOSYS)
			FAIL("test op %#lx: %ld, expected -XEN_ENOSYS",
			     (unsigned long)cmds[i], ret);
	}
	/* Not steered yet: there is nothing to watch. */
	EXPECT_EQ(HYPERVISOR_paddock_test_op(PADDOCK_TEST_WATCH,
					     (uintptr_t)page[0], 64),
		  -XEN_ENOENT);
	/* Devices that are not ours, with our own bound PASID. */
	EXPECT_EQ(steer(TESTCONF_REDTEAM_VICTIM_DEVICE, dmap), -XEN_EPERM);
	EXPECT_EQ(steer(TESTCONF_REDTEAM_NO_DEVICE, dmap), -XEN_EPERM);
	/* PASIDs out of range, ours unbound, and the 64-bit argument. */
	for (unsigned i = 0; i < COUNT(ids); i++)
		if (steer(dev, ids[i]) != -XEN_EINVAL)
			FAIL("STEER to PASID %#lx: expected -XEN_EINVAL",
			     (unsigned long)ids[i]);
	EXPECT_EQ(steer(dev, 1ull << 32 | dmap), -XEN_EINVAL);
	EXPECT_EQ(steer(dev, mine), -XEN_ENOENT);
	/* Every PASID of the victim's range, held or not: one answer. */
	for (uint32_t p = TESTCONF_REDTEAM_VICTIM_RANGE_LO;
	     p <= TESTCONF_REDTEAM_VICTIM_RANGE_HI; p++) {
		long ret = steer(dev, p);

		if (ret != -XEN_EPERM && wrong++ < REPORTS)
			FAIL("STEER to the victim's range, PASID %u: %ld", p,
			     ret);
	}
	EXPECT_EQ(steer(dev, FAR_FREE_PASID), -XEN_EPERM);
	/* Not PASID requests: no PASID refusal is counted. */
	UNHARMED(&before, 0);
}

/* ---- the PASID hypercall -------------------------------------------- */

TEST(attacker, pasid_bad_sizes)
{
	const uint64_t sizes[] = {
		0,
		1,
		sizeof(struct paddock_pasid_op) - 1,
		sizeof(struct paddock_pasid_op) + 1,
		2 * sizeof(struct paddock_pasid_op),
		4096,
		~0ull,
		1ull << 32 | sizeof(struct paddock_pasid_op),
		1ull << 63 | sizeof(struct paddock_pasid_op),
	};
	struct paddock_pasid_info before;
	uint32_t refused = 0;

	SNAPSHOT(&before);
	for (uint32_t cmd = 0; cmd <= PADDOCK_PASID_CMD_MAX + 1; cmd++) {
		for (unsigned i = 0; i < COUNT(sizes); i++) {
			struct paddock_pasid_op op;
			long ret;

			memset(&op, 0xa5, sizeof(op));
			op.cmd = cmd;
			op.pasid = mine;
			op.device = dev;
			ret = raw_pasid_op((uintptr_t)&op, sizes[i]);
			refused++;
			if (ret != -XEN_EINVAL)
				FAIL("cmd %u size %#lx: %ld, expected "
				     "-XEN_EINVAL",
				     cmd, (unsigned long)sizes[i], ret);
			/* Nothing is written back. */
			if (op.reason != POISON32 || op.cookie != POISON64 ||
			    op.pasid != mine)
				FAIL("cmd %u size %#lx wrote the op back", cmd,
				     (unsigned long)sizes[i]);
		}
	}
	UNHARMED(&before, refused);
}

TEST(attacker, pasid_bad_op_pointers)
{
	struct paddock_pasid_info before;
	uint64_t bad[MAX_BAD];
	unsigned n = bad_addresses(bad, sizeof(struct paddock_pasid_op));
	uint32_t refused = 0;

	SNAPSHOT(&before);
	for (unsigned i = 0; i < n; i++) {
		long ret;

		if (in_own_memory(bad[i], sizeof(struct paddock_pasid_op)))
			continue;
		ret = raw_pasid_op(bad[i], sizeof(struct paddock_pasid_op));
		refused++;
		if (ret != -XEN_EFAULT)
			FAIL("op at %#lx: %ld, expected -XEN_EFAULT",
			     (unsigned long)bad[i], ret);
	}
	/* Our own text: readable, not writable. */
	EXPECT_EQ(raw_pasid_op(own_text(), sizeof(struct paddock_pasid_op)),
		  -XEN_EFAULT);
	refused++;
	UNHARMED(&before, refused);
}

/*
 * Every command from a read-only op (our rodata): refused before it acts,
 * so the ALLOC charges nothing.
 */
TEST(attacker, pasid_read_only_ops)
{
	struct paddock_pasid_info before;
	uint32_t refused = 0;

	SNAPSHOT(&before);
	for (unsigned i = 0; i < COUNT(ro_ops); i++) {
		long ret = HYPERVISOR_paddock_pasid_op(
			(struct paddock_pasid_op *)&ro_ops[i],
			sizeof(ro_ops[i]));

		refused++;
		if (ret != -XEN_EFAULT)
			FAIL("read-only op, cmd %u: %ld, expected -XEN_EFAULT",
			     ro_ops[i].cmd, ret);
	}
	/* UNHARMED: the ALLOC charged nothing. */
	UNHARMED(&before, refused);
}

/*
 * The first writable page after our read-only data, found by asking the
 * hypervisor to write 16 bytes there (and putting them back): 0 if none
 * within 64 pages.
 */
static uint64_t first_writable_after_rodata(void)
{
	uint64_t pg = own_rodata() & ~0xfffull;

	for (unsigned i = 0; i < 64; i++, pg += 0x1000) {
		uint8_t keep[sizeof(xen_extraversion_t)];

		memcpy(keep, (const void *)(uintptr_t)pg, sizeof(keep));
		if (_hypercall2(__HYPERVISOR_xen_version, XENVER_extraversion,
				pg) == 0) {
			memcpy((void *)(uintptr_t)pg, keep, sizeof(keep));
			return pg;
		}
	}
	return 0;
}

/*
 * An op half in a read-only page, half in the writable page after it:
 * refused as a whole (the result could not be written back), and the
 * writable half is not written either.
 */
TEST(attacker, pasid_op_half_read_only)
{
	struct paddock_pasid_info before;
	uint64_t w;
	uint8_t keep[sizeof(struct paddock_pasid_op)];
	uint32_t refused = 0;

	SNAPSHOT(&before);
	w = first_writable_after_rodata();
	ASSERT_NE(w, 0);
	for (unsigned half = 8; half < sizeof(keep); half += 56) {
		uint64_t at = w - half;

		memcpy(keep, (const void *)(uintptr_t)at, sizeof(keep));
		EXPECT_EQ(raw_pasid_op(at, sizeof(struct paddock_pasid_op)),
			  -XEN_EFAULT);
		refused++;
		EXPECT_TRUE(unchanged((const void *)(uintptr_t)at, keep,
				      sizeof(keep)));
	}
	test_note("first writable page after rodata: %#lx", (unsigned long)w);
	UNHARMED(&before, refused);
}

TEST(attacker, pasid_out_of_range_ids)
{
	const uint64_t ids[] = {0,	     limit,	  limit + 1,  1u << 20,
				0x7fffffffu, 0xfffffffeu, 0xffffffffu};
	const uint32_t cmds[] = {PADDOCK_PASID_FREE, PADDOCK_PASID_BIND,
				 PADDOCK_PASID_UNBIND, PADDOCK_PASID_SET_DATA,
				 PADDOCK_PASID_GET_DATA};
	struct paddock_pasid_info before;
	uint32_t refused = 0;

	SNAPSHOT(&before);
	for (unsigned i = 0; i < COUNT(ids); i++) {
		if (ids[i] > 0xffffffffu)
			continue;
		for (unsigned c = 0; c < COUNT(cmds); c++) {
			struct paddock_pasid_op op = {
				.cmd = cmds[c],
				.pasid = (uint32_t)ids[i],
				.device = dev,
				.bind_type = PADDOCK_BIND_SECOND_LEVEL,
				.cookie = POISON64};
			struct pasid_why why;
			long ret = pasid_call(&op, &why);

			refused++;
			if (!expect_refused_(__FILE__, __LINE__,
					     "out-of-range PASID", ret, &why,
					     PADDOCK_PASID_R_OUT_OF_RANGE))
				test_note("cmd %u PASID %#lx", cmds[c],
					  (unsigned long)ids[i]);
			EXPECT_EQ(op.cookie, POISON64);
		}
	}
	UNHARMED(&before, refused);
}

static int foreign_reason(uint32_t code)
{
	return code == PADDOCK_PASID_R_NOT_OWNER ||
	       code == PADDOCK_PASID_R_NOT_ALLOCATED ||
	       code == PADDOCK_PASID_R_PARKED;
}

static int device_reason(uint32_t code)
{
	return code == PADDOCK_PASID_R_NO_DEVICE ||
	       code == PADDOCK_PASID_R_DEVICE_NOT_OWNED;
}

/*
 * Every PASID from 1 up (the victim's among them), with every per-PASID
 * command, on our device and on the victim's: refused as not ours,
 * counted, the victim's cookies never written back into our op.
 */
TEST(attacker, pasid_scan_foreign)
{
	struct {
		uint32_t cmd, device;
	} const tries[] = {
		{PADDOCK_PASID_GET_DATA, 0},
		{PADDOCK_PASID_SET_DATA, 0},
		{PADDOCK_PASID_FREE, 0},
		{PADDOCK_PASID_BIND, TESTCONF_REDTEAM_ATTACKER_DEVICE},
		{PADDOCK_PASID_UNBIND, TESTCONF_REDTEAM_ATTACKER_DEVICE},
		{PADDOCK_PASID_BIND, TESTCONF_REDTEAM_VICTIM_DEVICE},
		{PADDOCK_PASID_UNBIND, TESTCONF_REDTEAM_VICTIM_DEVICE},
	};
	struct paddock_pasid_info before;
	uint32_t refused = 0, bad = 0, not_owner_in_range = 0;

	SNAPSHOT(&before);
	for (uint32_t p = 1; p < SCAN_LIMIT + 16; p++) {
		/* The last 16: the top of the PASID space. */
		uint32_t pasid = p < SCAN_LIMIT ? p
						: (uint32_t)limit - 16 +
							  (p - SCAN_LIMIT);

		if (pasid == mine || pasid == dmap)
			continue;
		for (unsigned t = 0; t < COUNT(tries); t++) {
			struct paddock_pasid_op op = {
				.cmd = tries[t].cmd,
				.pasid = pasid,
				.device = tries[t].device,
				.bind_type = PADDOCK_BIND_SECOND_LEVEL,
				.cookie = POISON64,
			};
			struct pasid_why why;
			long ret = pasid_call(&op, &why);
			int ok;

			refused += ret < 0;
			if (ret < 0 && why.code == PADDOCK_PASID_R_NOT_OWNER &&
			    pasid >= TESTCONF_REDTEAM_VICTIM_RANGE_LO &&
			    pasid <= TESTCONF_REDTEAM_VICTIM_RANGE_HI)
				not_owner_in_range++;
			ok = ret < 0 && ret == abi_errno_of(why.code) &&
			     why.text[0] != '\0' &&
			     (foreign_reason(why.code) ||
			      (tries[t].cmd == PADDOCK_PASID_BIND &&
			       device_reason(why.code)) ||
			      (tries[t].cmd == PADDOCK_PASID_UNBIND &&
			       why.code == PADDOCK_PASID_R_NOT_BOUND)) &&
			     op.cookie == POISON64 && op.pasid == pasid;
			if (!ok && bad++ < REPORTS)
				FAIL("cmd %u device %#x on PASID %u: %ld %s, "
				     "%s \"%s\", cookie %#lx",
				     tries[t].cmd, tries[t].device, pasid, ret,
				     xen_errno_str(ret),
				     pasid_reason_str(why.code), why.text,
				     (unsigned long)op.cookie);
		}
	}
	if (bad > REPORTS)
		FAIL("%u wrong answers in the scan", bad);
	test_note("%u refusals; %u NOT_OWNER answers inside the victim's "
		  "range (what an attacker learns; redteam_fix wants 0)",
		  refused, not_owner_in_range);
	UNHARMED(&before, refused);
}

TEST(attacker, pasid_devices_not_ours)
{
	const uint32_t devs[] = {TESTCONF_REDTEAM_VICTIM_DEVICE,
				 TESTCONF_REDTEAM_NO_DEVICE,
				 0,
				 0x0208, /* 02:01.0: exists, nobody's */
				 0x0210, /* 02:02.0 */
				 0x0010, /* 00:02.0 */
				 0xffff,
				 0x10000 | TESTCONF_REDTEAM_ATTACKER_DEVICE,
				 0xffffffffu};
	struct paddock_pasid_info before;
	uint32_t refused = 0;

	SNAPSHOT(&before);
	for (unsigned i = 0; i < COUNT(devs); i++) {
		{
			struct pasid_why why;
			long ret =
				pasid_bind(mine, devs[i],
					   PADDOCK_BIND_SECOND_LEVEL, 0, &why);

			refused++;
			if (ret >= 0 || ret != abi_errno_of(why.code) ||
			    !device_reason(why.code))
				FAIL("BIND on device %#x: %ld %s \"%s\"",
				     devs[i], ret, pasid_reason_str(why.code),
				     why.text);
		}
		{
			struct pasid_why why;
			long ret = pasid_unbind(mine, devs[i], &why);

			refused++;
			if (ret >= 0 || ret != abi_errno_of(why.code) ||
			    (why.code != PADDOCK_PASID_R_NOT_BOUND &&
			     !device_reason(why.code)))
				FAIL("UNBIND from device %#x: %ld %s \"%s\"",
				     devs[i], ret, pasid_reason_str(why.code),
				     why.text);
		}
	}
	UNHARMED(&before, refused);
}

TEST(attacker, pasid_bad_bind_types_and_roots)
{
	const uint32_t types[] = {3, 4, 0x80000000u, 0xffffffffu};
	uint64_t roots[] = {
		0,
		victim_phys(),
		victim_phys() + TESTCONF_REDTEAM_SENTINEL_OFFSET,
		MB_LOAD,
		si()->probe_hv_addr,
		si()->probe_hv_addr - KERNEL_WINDOW,
		(uintptr_t)page[0] + 8, /* not page aligned */
		mem_end(),
		si()->mem_base - 0x1000,
		own_mmio(),
		~0ull & ~0xfffull,
	};
	struct paddock_pasid_info before;
	struct pasid_why why;
	uint32_t refused = 0;

	SNAPSHOT(&before);
	for (unsigned i = 0; i < COUNT(types); i++) {
		EXPECT_REFUSED(pasid_bind(mine, dev, types[i], 0, &why), &why,
			       PADDOCK_PASID_R_BAD_BIND_TYPE);
		refused++;
	}
	EXPECT_REFUSED(pasid_bind(mine, dev, PADDOCK_BIND_PASSTHROUGH, 0, &why),
		       &why, PADDOCK_PASID_R_NOT_PRIVILEGED);
	refused++;
	/*
	 * Any first-level root a guest names, outside its memory or in it, is
	 * refused (BAD_TABLE_ROOT) with a reason and nothing bound: first-
	 * level tables are the hypervisor's, asked for with fl_root 0 (which
	 * is therefore not an attack and is skipped here).
	 */
	for (unsigned i = 0; i < COUNT(roots); i++) {
		long ret;

		if (roots[i] == 0)
			continue;
		ret = pasid_bind(mine, dev, PADDOCK_BIND_FIRST_LEVEL, roots[i],
				 &why);
		refused++;
		if (ret >= 0 || why.code == PADDOCK_PASID_R_OK ||
		    !why.text[0] ||
		    (abi_errno_of(why.code) && ret != abi_errno_of(why.code)))
			FAIL("first-level BIND with root %#lx: %ld %s \"%s\"",
			     (unsigned long)roots[i], ret,
			     pasid_reason_str(why.code), why.text);
	}
	UNHARMED(&before, refused);
}

TEST(attacker, pasid_privileged_commands)
{
	const uint32_t domains[] = {
		0,	1,	2,	 si()->domid, 0x7ff0, DOMID_XEN_SET,
		0x7ff4, 0xffff, 0x10000, 0xffffffffu};
	const uint32_t quotas[] = {0, 1, TESTCONF_REDTEAM_VICTIM_DONE_QUOTA,
				   1u << 20, 0xffffffffu};
	struct paddock_pasid_info before, list[4];
	struct pasid_why why;
	uint32_t refused = 0;
	uint64_t bufs[] = {(uintptr_t)list, 0, si()->probe_hv_addr, own_text()};
	const uint32_t maxes[] = {0, 4, 0xffffffffu};

	SNAPSHOT(&before);
	for (unsigned b = 0; b < COUNT(bufs); b++) {
		for (unsigned m = 0; m < COUNT(maxes); m++) {
			struct paddock_pasid_op op = {
				.cmd = PADDOCK_PASID_LIST};

			memset(list, 0xa5, sizeof(list));
			op.u.list.buf = bufs[b];
			op.u.list.max =
				bufs[b] == (uintptr_t)list && maxes[m] > 4
					? 4
					: maxes[m];
			op.u.list.count = POISON32;
			EXPECT_REFUSED(pasid_call(&op, &why), &why,
				       PADDOCK_PASID_R_NOT_PRIVILEGED);
			refused++;
			EXPECT_EQ(op.u.list.count, POISON32);
			for (size_t k = 0; k < sizeof(list); k++)
				if (((uint8_t *)list)[k] != 0xa5) {
					FAIL("LIST wrote into the buffer");
					break;
				}
		}
	}
	for (unsigned d = 0; d < COUNT(domains); d++)
		for (unsigned q = 0; q < COUNT(quotas); q++) {
			EXPECT_REFUSED(
				pasid_set_quota(domains[d], quotas[q], &why),
				&why, PADDOCK_PASID_R_NOT_PRIVILEGED);
			refused++;
		}
	UNHARMED(&before, refused);
}

TEST(attacker, pasid_unknown_commands)
{
	const uint32_t cmds[] = {0, PADDOCK_PASID_CMD_MAX + 1, 0x100,
				 0x80000000u, 0xffffffffu};
	struct paddock_pasid_info before;
	uint32_t refused = 0;

	SNAPSHOT(&before);
	for (unsigned i = 0; i < COUNT(cmds); i++) {
		struct paddock_pasid_op op = {.cmd = cmds[i], .pasid = mine};
		struct pasid_why why;

		EXPECT_REFUSED(pasid_call(&op, &why), &why,
			       PADDOCK_PASID_R_UNKNOWN_CMD);
		refused++;
	}
	UNHARMED(&before, refused);
}

/*
 * reason_buf: a bad one is ignored (the call still says why, in
 * op.reason, and nothing is written there); a good one gets the text,
 * cut to reason_len with its NUL.
 */
TEST(attacker, pasid_reason_buffers)
{
	struct paddock_pasid_info before;
	uint64_t bad[MAX_BAD];
	unsigned n = bad_addresses(bad, PADDOCK_PASID_REASON_MAX);
	uint8_t text[PADDOCK_PASID_REASON_MAX], ro[PADDOCK_PASID_REASON_MAX];
	char buf[PADDOCK_PASID_REASON_MAX + 16];
	const uint32_t lens[] = {1, 2, 5, 17, PADDOCK_PASID_REASON_MAX};
	uint32_t refused = 0;

	SNAPSHOT(&before);
	memcpy(text, (const void *)(uintptr_t)own_text(), sizeof(text));
	memcpy(ro, (const void *)(uintptr_t)own_rodata(), sizeof(ro));
	bad[n++] = own_text();
	bad[n++] = own_rodata();
	for (unsigned i = 0; i < n; i++) {
		const uint32_t rlens[] = {PADDOCK_PASID_REASON_MAX,
					  0xffffffffu};

		if (in_own_memory(bad[i], 1) && bad[i] != own_text() &&
		    bad[i] != own_rodata())
			continue;
		for (unsigned l = 0; l < COUNT(rlens); l++) {
			struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_FREE,
						      .pasid = 0,
						      .reason_buf = bad[i],
						      .reason_len = rlens[l]};
			long ret = HYPERVISOR_paddock_pasid_op(&op, sizeof(op));

			refused++;
			if (ret != -XEN_EINVAL ||
			    op.reason != PADDOCK_PASID_R_OUT_OF_RANGE)
				FAIL("reason_buf %#lx len %#x: %ld, reason %s",
				     (unsigned long)bad[i], rlens[l], ret,
				     pasid_reason_str(op.reason));
		}
	}
	EXPECT_TRUE(unchanged((const void *)(uintptr_t)own_text(), text,
			      sizeof(text)));
	EXPECT_TRUE(unchanged((const void *)(uintptr_t)own_rodata(), ro,
			      sizeof(ro)));

	/* reason_len 0: a valid buffer is not written at all. */
	{
		struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_FREE,
					      .pasid = 0,
					      .reason_buf = (uintptr_t)buf,
					      .reason_len = 0};

		memset(buf, 0x5a, sizeof(buf));
		EXPECT_EQ(HYPERVISOR_paddock_pasid_op(&op, sizeof(op)),
			  -XEN_EINVAL);
		refused++;
		EXPECT_EQ(buf[0], 0x5a);
	}
	/* Short buffers: cut to fit, NUL included, nothing beyond. */
	for (unsigned l = 0; l < COUNT(lens); l++) {
		struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_FREE,
					      .pasid = 0,
					      .reason_buf = (uintptr_t)buf,
					      .reason_len = lens[l]};
		size_t len;

		memset(buf, 0x5a, sizeof(buf));
		EXPECT_EQ(HYPERVISOR_paddock_pasid_op(&op, sizeof(op)),
			  -XEN_EINVAL);
		refused++;
		len = strnlen(buf, lens[l]);
		if (len >= lens[l] || buf[len] != '\0')
			FAIL("reason_len %u: no NUL inside it", lens[l]);
		for (size_t k = lens[l]; k < sizeof(buf); k++)
			if (buf[k] != 0x5a) {
				FAIL("reason_len %u: byte %lu written", lens[l],
				     (unsigned long)k);
				break;
			}
		if (lens[l] == PADDOCK_PASID_REASON_MAX)
			EXPECT_STR_CONTAINS(buf, "PASID 0");
	}
	UNHARMED(&before, refused);
}

/* REFUSALS and LIST-shaped buffers the hypervisor must not write. */
TEST(attacker, pasid_bad_result_buffers)
{
	struct paddock_pasid_info before;
	uint64_t bad[MAX_BAD];
	unsigned n = bad_addresses(bad, 4 * (PADDOCK_PASID_R_MAX + 1));
	uint8_t text[4 * (PADDOCK_PASID_R_MAX + 1)];
	uint32_t counts[PADDOCK_PASID_R_MAX + 8];
	uint32_t refused = 0;
	struct pasid_why why;

	SNAPSHOT(&before);
	memcpy(text, (const void *)(uintptr_t)own_text(), sizeof(text));
	bad[n++] = own_text();
	for (unsigned i = 0; i < n; i++) {
		struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_REFUSALS};

		if (in_own_memory(bad[i], sizeof(text)) && bad[i] != own_text())
			continue;
		op.u.list.buf = bad[i];
		op.u.list.max = PADDOCK_PASID_R_MAX + 1;
		EXPECT_REFUSED(pasid_call(&op, &why), &why,
			       PADDOCK_PASID_R_BAD_POINTER);
		refused++;
	}
	EXPECT_TRUE(unchanged((const void *)(uintptr_t)own_text(), text,
			      sizeof(text)));
	/* A huge max writes only the counters there are. */
	{
		struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_REFUSALS};

		memset(counts, 0xa5, sizeof(counts));
		op.u.list.buf = (uintptr_t)counts;
		op.u.list.max = 0xffffffffu;
		EXPECT_OK(pasid_call(&op, &why), &why);
		EXPECT_EQ(op.u.list.count, PADDOCK_PASID_R_MAX + 1);
		EXPECT_EQ(counts[PADDOCK_PASID_R_MAX + 1], POISON32);
		EXPECT_EQ(counts[PADDOCK_PASID_R_MAX + 7], POISON32);
	}
	UNHARMED(&before, refused);
}

TEST(attacker, pasid_quota_and_own_lifecycle)
{
	struct paddock_pasid_info before, now;
	struct pasid_why why;
	uint32_t got[TESTCONF_REDTEAM_ATTACKER_GO_QUOTA], n = 0, p;
	uint64_t cookie = POISON64;
	long ret;

	SNAPSHOT(&before);
	/* mine and dmap are held: the quota leaves room for the rest. */
	while (n < TESTCONF_REDTEAM_ATTACKER_GO_QUOTA - 2) {
		ASSERT_OK(pasid_alloc(&got[n], &why), &why);
		n++;
	}
	ret = pasid_alloc(&p, &why);
	EXPECT_REFUSED(ret, &why, PADDOCK_PASID_R_QUOTA);
	EXPECT_STR_CONTAINS(why.text, "quota exhausted");
	for (uint32_t i = 0; i < n; i++) {
		EXPECT_LT(got[i], TESTCONF_REDTEAM_VICTIM_RANGE_LO);
		EXPECT_OK(pasid_free(got[i], &why), &why);
	}
	/* Our own PASID abused: double free, parked, unbound. */
	ASSERT_OK(pasid_alloc(&p, &why), &why);
	ASSERT_OK(pasid_bind(p, dev, PADDOCK_BIND_SECOND_LEVEL, 0, &why), &why);
	EXPECT_REFUSED(pasid_bind(p, dev, PADDOCK_BIND_SECOND_LEVEL, 0, &why),
		       &why, PADDOCK_PASID_R_ALREADY_BOUND);
	EXPECT_OK(pasid_free(p, &why), &why);
	EXPECT_REFUSED(pasid_free(p, &why), &why, PADDOCK_PASID_R_PARKED);
	EXPECT_REFUSED(pasid_set_data(p, 1, &why), &why,
		       PADDOCK_PASID_R_PARKED);
	EXPECT_REFUSED(pasid_get_data(p, &cookie, &why), &why,
		       PADDOCK_PASID_R_PARKED);
	EXPECT_REFUSED(pasid_bind(p, dev, PADDOCK_BIND_SECOND_LEVEL, 0, &why),
		       &why, PADDOCK_PASID_R_PARKED);
	EXPECT_EQ(cookie, POISON64);
	EXPECT_OK(pasid_unbind(p, dev, &why), &why); /* recycles it */
	EXPECT_REFUSED(pasid_unbind(p, dev, &why), &why,
		       PADDOCK_PASID_R_NOT_ALLOCATED);
	QUERY_OR_RETURN(&now);
	EXPECT_EQ(now.allocated, before.allocated);
	EXPECT_EQ(now.parked, 0);
	EXPECT_EQ(now.refusals_quota, before.refusals_quota + 1);
	EXPECT_EQ(now.refusals, before.refusals + 7);
}

/* ---- DMA: our device, aimed elsewhere -------------------------------- */

static int has_fault(const struct paddock_pasid_fault *recs, uint32_t n,
		     uint64_t addr, int write)
{
	for (uint32_t i = 0; i < n; i++)
		if (recs[i].pasid == dmap && recs[i].device == dev &&
		    (recs[i].address & ~0xfffull) == (addr & ~0xfffull) &&
		    recs[i].write == write)
			return 1;
	return 0;
}

/*
 * Waits (yielding) for a fault record of ours for (addr's page, write) to
 * arrive, draining the ring meanwhile: the hypervisor files DMA faults
 * from its timer tick.  1 when it came; 0 after about as many yields as
 * a hundred DMAs take, with the last records drained in recs.
 */
static int wait_for_fault(uint64_t addr, int write,
			  struct paddock_pasid_fault *recs, uint32_t *n)
{
	struct pasid_why why;

	for (unsigned i = 0; i < 20000; i++) {
		uint32_t got = 0;

		if (pasid_get_faults(recs, 16, &got, &why) == 0 && got) {
			*n = got;
			if (has_fault(recs, got, addr, write))
				return 1;
		}
		paddock_yield();
	}
	return 0;
}

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed ^ (i * 13));
}

TEST(attacker, dma_unsteered_lands_nowhere)
{
	uint8_t *dst = page[0];

	ASSERT_TRUE(go);
	ASSERT_NE(own_mmio(), 0);
	mmio = (volatile uint8_t *)(uintptr_t)own_mmio();
	ASSERT_EQ(*(volatile uint32_t *)(mmio + EDU_REG_ID), EDU_ID_VALUE);
	/* Before any STEER our untagged requests meet no translation. */
	memset(dst, 0x11, 4096);
	ASSERT_EQ(edu_dma(mmio, EDU_BUF, (uintptr_t)dst, XFER, 1), 0);
	EXPECT_TRUE(dst[0] == 0x11 && dst[XFER - 1] == 0x11);
	ASSERT_EQ(edu_dma(mmio, EDU_BUF,
			  victim_phys() + TESTCONF_REDTEAM_SENTINEL_OFFSET,
			  XFER, 1),
		  0);
	/* Where those faults go is issue 7's (device owner); the victim
	 * checks that none of them is its. */
}

TEST(attacker, dma_own_memory_through_own_pasid)
{
	uint8_t *src = page[0], *dst = page[1];

	ASSERT_TRUE(go && mmio != NULL);
	ASSERT_EQ(steer(dev, dmap), 0);
	steered = 1;
	fill(src, 4096, 0x3c);
	memset(dst, 0x22, 4096);
	ASSERT_EQ(edu_dma(mmio, (uintptr_t)src, EDU_BUF, EDU_MAX_XFER, 0), 0);
	ASSERT_EQ(edu_dma(mmio, EDU_BUF, (uintptr_t)dst, EDU_MAX_XFER, 1), 0);
	EXPECT_EQ(memcmp(dst, src, EDU_MAX_XFER), 0);
	EXPECT_EQ(dst[EDU_MAX_XFER], 0x22);
}

/*
 * Device-to-RAM writes at these physical addresses: each must fault,
 * charged to us (our PASID, our device, the page), and land nowhere.
 * The victim checks its pages; the hypervisor is still running the
 * others afterwards.  Addresses inside our own DMA window are our own
 * memory there, and skipped.  With bad_buffers, GET_FAULTS into bad
 * buffers first, while the records are pending: refused, none lost.
 */
static void dma_writes_fault(const uint64_t *targets, unsigned n,
			     const char *what, int bad_buffers)
{
	struct paddock_pasid_fault recs[16];
	struct paddock_pasid_info q;
	struct pasid_why why;

	for (unsigned i = 0; i < n; i++) {
		uint64_t t = targets[i];
		uint32_t got;

		if (in_own_memory(t, XFER)) {
			test_note("%s %#lx is inside our own DMA window; "
				  "skipped",
				  what, (unsigned long)t);
			continue;
		}
		QUERY_OR_RETURN(&q);
		ASSERT_EQ(edu_dma(mmio, EDU_BUF, t, XFER, 1), 0);
		if (bad_buffers && i == 0) {
			uint64_t bad[MAX_BAD];
			/* Straddling by half a record: even one pending
			 * record does not fit. */
			unsigned nb = bad_addresses(bad, sizeof(recs[0]));
			struct paddock_pasid_info q2;

			for (unsigned k = 0; k < 20000; k++) {
				QUERY_OR_RETURN(&q2);
				if (q2.faults > q.faults)
					break;
				paddock_yield();
			}
			bad[nb++] = own_text();
			for (unsigned b = 0; b < nb; b++) {
				struct paddock_pasid_op op = {
					.cmd = PADDOCK_PASID_GET_FAULTS};

				if (in_own_memory(bad[b], sizeof(recs)) &&
				    bad[b] != own_text())
					continue;
				op.u.faults.buf = bad[b];
				op.u.faults.max = 16;
				if (!expect_refused_(
					    __FILE__, __LINE__,
					    "GET_FAULTS into a bad buffer, "
					    "records pending",
					    pasid_call(&op, &why), &why,
					    PADDOCK_PASID_R_BAD_POINTER))
					test_note("buffer %#lx",
						  (unsigned long)bad[b]);
				EXPECT_EQ(op.u.faults.count, 0);
			}
		}
		got = 0;
		if (!wait_for_fault(t, 1, recs, &got))
			FAIL("DMA write to %s %#lx: no fault of ours for it "
			     "(%u records, first PASID %u address %#lx)",
			     what, (unsigned long)t, got,
			     got ? recs[0].pasid : 0,
			     got ? (unsigned long)recs[0].address : 0ul);
	}
}

TEST(attacker, dma_writes_to_victim_fault)
{
	const uint64_t v = victim_phys();
	const uint64_t targets[] = {
		v + TESTCONF_REDTEAM_SENTINEL_OFFSET,
		v + TESTCONF_REDTEAM_SENTINEL_OFFSET + 0x1000 + 0x800,
		v,	    /* the victim's first page: its text */
		v + 0x1000, /* more of its image */
	};

	ASSERT_TRUE(steered);
	ASSERT_NE(v, 0);
	dma_writes_fault(targets, COUNT(targets), "victim memory", 1);
}

TEST(attacker, dma_writes_to_hypervisor_fault)
{
	const uint64_t hv_phys = si()->probe_hv_addr - KERNEL_WINDOW;
	const uint64_t targets[] = {
		MB_LOAD,	       /* the hypervisor's image */
		hv_phys & ~0xfffull,   /* its system structure */
		0x200000,	       /* the heap's first page */
		0x1000000,	       /* deeper in the heap */
		0xfed90000,	       /* the VT-d unit's registers */
		0,		       /* the real-mode IVT */
		si()->probe_hv_addr,   /* a kernel address, as IOVA */
		0x0000ffffffff0000ull, /* top of a 48-bit space */
	};

	ASSERT_TRUE(steered);
	dma_writes_fault(targets, COUNT(targets), "hypervisor address", 0);
}

/*
 * RAM-to-device reads from the victim's sentinel and the hypervisor's
 * image: each faults, and what reaches our device's buffer (read back
 * into our memory) holds none of their bytes.
 */
static void dma_read_leaks_nothing(uint64_t from, uint64_t word, int wide,
				   const char *what)
{
	struct paddock_pasid_fault recs[16];
	struct paddock_pasid_info q;
	uint8_t *own = page[2], *back = page[3];
	uint32_t got;

	if (in_own_memory(from, EDU_MAX_XFER)) {
		test_note("%s %#lx is inside our own DMA window; skipped", what,
			  (unsigned long)from);
		return;
	}
	fill(own, 4096, 0x77);
	memset(back, 0, 4096);
	ASSERT_EQ(edu_dma(mmio, (uintptr_t)own, EDU_BUF, EDU_MAX_XFER, 0), 0);
	QUERY_OR_RETURN(&q);
	ASSERT_EQ(edu_dma(mmio, from, EDU_BUF, EDU_MAX_XFER, 0), 0);
	ASSERT_EQ(edu_dma(mmio, EDU_BUF, (uintptr_t)back, EDU_MAX_XFER, 1), 0);
	for (unsigned k = 0; k + 8 <= EDU_MAX_XFER; k += wide ? 8 : 4) {
		uint64_t v = 0;

		memcpy(&v, back + k, wide ? 8 : 4);
		if (v == word) {
			FAIL("DMA read of %s %#lx leaked %#lx at byte %u", what,
			     (unsigned long)from, (unsigned long)word, k);
			break;
		}
	}
	got = 0;
	if (!wait_for_fault(from, 0, recs, &got))
		FAIL("DMA read of %s %#lx: no fault of ours for it", what,
		     (unsigned long)from);
	test_note("DMA read of %s %#lx: buffer kept %s", what,
		  (unsigned long)from,
		  !memcmp(back, own, EDU_MAX_XFER) ? "its old bytes"
						   : "other bytes");
}

TEST(attacker, dma_reads_leak_nothing)
{
	ASSERT_TRUE(steered);
	dma_read_leaks_nothing(victim_phys() + TESTCONF_REDTEAM_SENTINEL_OFFSET,
			       TESTCONF_REDTEAM_SECRET, 1,
			       "the victim's secret");
	dma_read_leaks_nothing(MB_LOAD, MB_MAGIC, 0, "the hypervisor's image");
}

TEST(attacker, dma_watch_bad_arguments)
{
	uint64_t bad[MAX_BAD];
	unsigned n = bad_addresses(bad, 64);

	ASSERT_TRUE(steered);
	EXPECT_EQ(HYPERVISOR_paddock_test_op(PADDOCK_TEST_WATCH,
					     (uintptr_t)page[0], 0),
		  -XEN_EINVAL);
	EXPECT_EQ(HYPERVISOR_paddock_test_op(PADDOCK_TEST_WATCH,
					     (uintptr_t)page[0], 4097),
		  -XEN_EINVAL);
	EXPECT_EQ(HYPERVISOR_paddock_test_op(PADDOCK_TEST_WATCH,
					     (uintptr_t)page[0], ~0ull),
		  -XEN_EINVAL);
	for (unsigned i = 0; i < n; i++) {
		long ret;

		if (in_own_memory(bad[i], 64))
			continue;
		ret = HYPERVISOR_paddock_test_op(PADDOCK_TEST_WATCH, bad[i],
						 64);
		if (ret != -XEN_EFAULT)
			FAIL("WATCH at %#lx: %ld, expected -XEN_EFAULT",
			     (unsigned long)bad[i], ret);
	}
}

/*
 * Issue 7, section 2: our device emits each of the victim's PASIDs (as
 * hardware lets a device do; STEER_ANY models it in test images).  Every
 * fault is ours, counted as foreign, in our ring; the victim, re-checking
 * its counters and ring every round, must see nothing move.
 */
TEST(attacker, dma_with_victims_pasids_is_ours)
{
	struct paddock_pasid_fault recs[16];
	struct paddock_pasid_info before, after;
	struct pasid_why why;
	uint8_t *dst = page[2];
	unsigned charged = 0;

	ASSERT_TRUE(steered);
	QUERY_OR_RETURN(&before);
	for (uint32_t p = TESTCONF_REDTEAM_VICTIM_RANGE_LO;
	     p <= TESTCONF_REDTEAM_VICTIM_RANGE_HI; p++) {
		int seen = 0;

		ASSERT_EQ(HYPERVISOR_paddock_test_op(PADDOCK_TEST_STEER_ANY,
						     dev, p),
			  0);
		memset(dst, 0x5d, 4096);
		ASSERT_EQ(edu_dma(mmio, EDU_BUF, (uintptr_t)dst, XFER, 1), 0);
		EXPECT_TRUE(dst[0] == 0x5d && dst[XFER - 1] == 0x5d);
		for (unsigned k = 0; k < 20000 && !seen; k++) {
			uint32_t got = 0;

			if (pasid_get_faults(recs, 16, &got, &why) == 0)
				for (uint32_t r = 0; r < got; r++)
					seen |= recs[r].pasid == p &&
						recs[r].device == dev;
			if (!seen)
				paddock_yield();
		}
		if (!seen)
			FAIL("no fault of ours carried the victim's PASID %#x",
			     p);
		charged += seen;
	}
	ASSERT_EQ(steer(dev, dmap), 0);
	QUERY_OR_RETURN(&after);
	EXPECT_GE(after.faults_foreign - before.faults_foreign, charged);
	test_note("%u faults with the victim's PASIDs, all ours (foreign "
		  "%u -> %u)",
		  charged, before.faults_foreign, after.faults_foreign);
}

/*
 * Issue 7, section 1: our device writes MSI data words into the interrupt
 * window (compatibility format, which QEMU 7.2 delivers even with
 * interrupt remapping on): #UD's vector, #DF's, and one above the timer's.
 * Whichever domain runs when they land must come to no harm (the victim
 * re-checks everything; suite-x86-irq covers every vector class).
 */
TEST(attacker, dma_into_the_interrupt_window)
{
	static uint32_t words[3]
		__attribute__((aligned(64))) = {0x06, 0x08, 0x80};

	ASSERT_TRUE(steered);
	ASSERT_EQ(edu_dma(mmio, (uintptr_t)words, EDU_BUF + 0x400,
			  sizeof(words), 0),
		  0);
	for (unsigned i = 0; i < COUNT(words); i++) {
		ASSERT_EQ(edu_dma(mmio, EDU_BUF + 0x400 + 4 * i, 0xfee00000ull,
				  4, 1),
			  0);
		for (unsigned k = 0; k < 8; k++)
			paddock_yield();
		test_note("vector %#x written to the interrupt window",
			  words[i]);
	}
}

/* ---- what issue 7 fixes ------------------------------------------- */

/*
 * Replaces every decimal and 0x-hex rendering of `num` in s by "#", so
 * that two answers about different PASIDs or devices compare equal when
 * they say the same thing.
 */
static void normalise(char *s, uint32_t num)
{
	char dec[16], hex[16], out[PADDOCK_PASID_REASON_MAX];
	size_t o = 0;

	snprintf(dec, sizeof(dec), "%u", num);
	snprintf(hex, sizeof(hex), "%#x", num);
	for (size_t i = 0; s[i] && o + 2 < sizeof(out);) {
		size_t lh = strlen(hex), ld = strlen(dec);

		if (!strncmp(s + i, hex, lh)) {
			out[o++] = '#';
			i += lh;
		} else if (!strncmp(s + i, dec, ld) &&
			   !(s[i + ld] >= '0' && s[i + ld] <= '9') &&
			   !(i && s[i - 1] >= '0' && s[i - 1] <= '9')) {
			out[o++] = '#';
			i += ld;
		} else {
			out[o++] = s[i++];
		}
	}
	out[o] = '\0';
	memcpy(s, out, o + 1);
}

struct answer {
	long ret;
	uint32_t code;
	char text[PADDOCK_PASID_REASON_MAX];
};

static struct answer ask(uint32_t cmd, uint32_t pasid, uint32_t device,
			 uint32_t type, uint64_t root, uint32_t subject)
{
	struct paddock_pasid_op op = {.cmd = cmd,
				      .pasid = pasid,
				      .device = device,
				      .bind_type = type,
				      .fl_root = root};
	struct pasid_why why;
	struct answer a;

	a.ret = pasid_call(&op, &why);
	a.code = why.code;
	memcpy(a.text, why.text, sizeof(a.text));
	normalise(a.text, subject);
	return a;
}

static int same_answer(const struct answer *a, const struct answer *b)
{
	return a->ret == b->ret && a->code == b->code &&
	       !strcmp(a->text, b->text);
}

/*
 * An unprivileged domain learns nothing about which PASIDs another domain
 * holds: BIND, FREE and UNBIND of every PASID in the victim's range
 * (four held in every state, twelve free) answer exactly as for a PASID
 * nobody holds, reason text included (numbers aside).  Today NOT_OWNER
 * against NOT_ALLOCATED tells them apart.
 */
TEST(redteam_fix, foreign_pasid_same_as_free)
{
	struct {
		uint32_t cmd, device, type;
		uint64_t root;
	} const tries[] = {
		{PADDOCK_PASID_BIND, TESTCONF_REDTEAM_ATTACKER_DEVICE,
		 PADDOCK_BIND_SECOND_LEVEL, 0},
		{PADDOCK_PASID_BIND, TESTCONF_REDTEAM_ATTACKER_DEVICE,
		 PADDOCK_BIND_FIRST_LEVEL, (uintptr_t)page[0]},
		{PADDOCK_PASID_BIND, TESTCONF_REDTEAM_ATTACKER_DEVICE, 9, 0},
		{PADDOCK_PASID_BIND, TESTCONF_REDTEAM_VICTIM_DEVICE,
		 PADDOCK_BIND_SECOND_LEVEL, 0},
		{PADDOCK_PASID_FREE, 0, 0, 0},
		{PADDOCK_PASID_UNBIND, TESTCONF_REDTEAM_ATTACKER_DEVICE, 0, 0},
		{PADDOCK_PASID_UNBIND, TESTCONF_REDTEAM_VICTIM_DEVICE, 0, 0},
	};
	struct paddock_pasid_info before;
	uint32_t refused = 0, differ = 0;

	SNAPSHOT(&before);
	for (unsigned t = 0; t < COUNT(tries); t++) {
		struct answer free_one =
			ask(tries[t].cmd, FAR_FREE_PASID, tries[t].device,
			    tries[t].type, tries[t].root, FAR_FREE_PASID);

		refused++;
		for (uint32_t p = TESTCONF_REDTEAM_VICTIM_RANGE_LO;
		     p <= TESTCONF_REDTEAM_VICTIM_RANGE_HI; p++) {
			struct answer a = ask(tries[t].cmd, p, tries[t].device,
					      tries[t].type, tries[t].root, p);

			refused++;
			if (!same_answer(&a, &free_one) && differ++ < REPORTS)
				FAIL("cmd %u device %#x type %u: PASID %u "
				     "answers %ld %s \"%s\", a free one %ld "
				     "%s \"%s\"",
				     tries[t].cmd, tries[t].device,
				     tries[t].type, p, a.ret,
				     pasid_reason_str(a.code), a.text,
				     free_one.ret,
				     pasid_reason_str(free_one.code),
				     free_one.text);
		}
	}
	if (differ > REPORTS)
		FAIL("%u answers told a held PASID from a free one", differ);
	UNHARMED(&before, refused);
}

/*
 * Nor which devices another domain owns: BIND and UNBIND of our own
 * PASID on the victim's device answer as on a device that does not
 * exist.  Today DEVICE_NOT_OWNED against NO_DEVICE tells them apart.
 */
TEST(redteam_fix, foreign_device_same_as_none)
{
	struct {
		uint32_t cmd, type;
	} const tries[] = {
		{PADDOCK_PASID_BIND, PADDOCK_BIND_SECOND_LEVEL},
		{PADDOCK_PASID_BIND, PADDOCK_BIND_FIRST_LEVEL},
		{PADDOCK_PASID_BIND, PADDOCK_BIND_PASSTHROUGH},
		{PADDOCK_PASID_UNBIND, 0},
	};
	struct paddock_pasid_info before;
	uint32_t refused = 0;

	SNAPSHOT(&before);
	for (unsigned t = 0; t < COUNT(tries); t++) {
		struct answer victim =
			ask(tries[t].cmd, mine, TESTCONF_REDTEAM_VICTIM_DEVICE,
			    tries[t].type, (uintptr_t)page[0],
			    TESTCONF_REDTEAM_VICTIM_DEVICE);
		struct answer none =
			ask(tries[t].cmd, mine, TESTCONF_REDTEAM_NO_DEVICE,
			    tries[t].type, (uintptr_t)page[0],
			    TESTCONF_REDTEAM_NO_DEVICE);

		refused += 2;
		EXPECT_LT(victim.ret, 0);
		if (!same_answer(&victim, &none))
			FAIL("cmd %u type %u: the victim's device answers %ld "
			     "%s \"%s\", no device %ld %s \"%s\"",
			     tries[t].cmd, tries[t].type, victim.ret,
			     pasid_reason_str(victim.code), victim.text,
			     none.ret, pasid_reason_str(none.code), none.text);
	}
	UNHARMED(&before, refused);
}

/*
 * GET_FAULTS validates its buffer whatever the number of pending records
 * (docs/abi.md: BAD_POINTER).  Today a bad buffer with none pending
 * returns 0.
 */
TEST(redteam_fix, get_faults_bad_buffer_without_records)
{
	struct paddock_fault_drain {
		struct paddock_pasid_fault recs[16];
	} drain;
	struct paddock_pasid_info before;
	uint64_t bad[MAX_BAD];
	unsigned n = bad_addresses(bad, sizeof(drain.recs[0]));
	uint32_t got = 1, refused = 0;
	struct pasid_why why;

	ASSERT_TRUE(go);
	/* Nothing pending: drain, and let late records arrive first. */
	for (unsigned i = 0; i < 50 && got; i++) {
		got = 0;
		ASSERT_OK(pasid_get_faults(drain.recs, 16, &got, &why), &why);
		paddock_yield();
	}
	SNAPSHOT(&before);
	bad[n++] = own_text();
	for (unsigned i = 0; i < n; i++) {
		struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_GET_FAULTS};
		long ret;

		if (in_own_memory(bad[i], sizeof(drain)) &&
		    bad[i] != own_text())
			continue;
		op.u.faults.buf = bad[i];
		op.u.faults.max = 16;
		ret = pasid_call(&op, &why);
		refused++;
		if (!expect_refused_(__FILE__, __LINE__,
				     "GET_FAULTS into a bad buffer, none "
				     "pending",
				     ret, &why, PADDOCK_PASID_R_BAD_POINTER))
			test_note("buffer %#lx", (unsigned long)bad[i]);
	}
	UNHARMED(&before, refused);
}

/* ---- the end ------------------------------------------------------ */

TEST(attacker, still_whole)
{
	struct paddock_pasid_info now;
	struct pasid_why why;
	uint64_t cookie = 0;

	ASSERT_TRUE(go);
	QUERY_OR_RETURN(&now);
	EXPECT_EQ(now.allocated, 2);
	EXPECT_EQ(now.bound, 1);
	EXPECT_EQ(now.parked, 0);
	EXPECT_EQ(now.quota, TESTCONF_REDTEAM_ATTACKER_GO_QUOTA);
	EXPECT_OK(pasid_get_data(mine, &cookie, &why), &why);
	EXPECT_EQ(cookie, MINE_COOKIE);
	EXPECT_OK(pasid_free(mine, &why), &why);
	EXPECT_OK(pasid_unbind(dmap, dev, &why), &why);
	EXPECT_OK(pasid_free(dmap, &why), &why);
	QUERY_OR_RETURN(&now);
	EXPECT_EQ(now.allocated, 0);
	test_note("%u refusals and %u DMA faults counted against us",
		  now.refusals, now.faults);
}
