/* SPDX-License-Identifier: MIT */
/*
 * hostile: an unprivileged domain tries what it must not be able to do,
 * and checks after each attempt that it was refused, counted as a refusal,
 * and that its own PASID state is exactly as before:
 *   - PASIDs it does not own (another domain's, free, out of range),
 *   - pointers into hypervisor memory, unmapped memory, another domain's
 *     memory (start_info.probe_hv_addr / probe_other_addr),
 *   - privileged commands (LIST, SET_QUOTA, pass-through binds),
 *   - wrong sizes, unknown commands and unknown hypercalls,
 *   - devices that are not its own and bad table roots, among them a
 *     first-level table of its own that maps all host memory.
 * Reaching the summary line at all shows the hypervisor survived.
 */
#include <stdio.h>
#include <string.h>

#include "pasid_check.h"

#define MINE_COOKIE 0x5afe5afe5afe5afeull
/* Values a refused call must leave in place. */
#define POISON32 0xa5a5a5a5u
#define POISON64 0xa5a5a5a5a5a5a5a5ull
/* How many PASIDs the foreign scan walks, from 1. */
#define SCAN_LIMIT 4096u
/* Detailed FAIL messages per scan before only counting. */
#define SCAN_REPORTS 5

static uint32_t mine;  /* one PASID of our own, with MINE_COOKIE */
static int dev_served; /* devices[0] exists and takes bindings */
static uint64_t limit; /* 2^pasid_bits */
static struct paddock_pasid_info start;

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

static int own_device(uint32_t dev)
{
	for (uint32_t i = 0; i < si()->ndevices; i++)
		if (si()->devices[i] == dev)
			return 1;
	return 0;
}

/*
 * Every test follows the same pattern: snapshot, attack, then
 * UNHARMED(n): n refusals were counted, nothing else moved, and our PASID
 * still holds its cookie.
 */
#define UNHARMED(before, refused)                                              \
	expect_unharmed_(__FILE__, __LINE__, (before), (refused), mine,        \
			 MINE_COOKIE)

/** A raw call with an op at an arbitrary guest address. */
static long op_at(uint64_t addr, unsigned long size)
{
	return HYPERVISOR_paddock_pasid_op(
		(struct paddock_pasid_op *)(uintptr_t)addr, size);
}

TEST(hostile, setup)
{
	struct pasid_why why;

	ASSERT_EQ(si()->flags & PADDOCK_START_PRIVILEGED, 0);
	QUERY_OR_RETURN(&start);
	ASSERT_EQ(start.allocated, 0);
	limit = 1ull << start.pasid_bits;
	ASSERT_OK(pasid_alloc(&mine, &why), &why);
	ASSERT_OK(pasid_set_data(mine, MINE_COOKIE, &why), &why);
	if (si()->ndevices) {
		long ret = pasid_bind(mine, si()->devices[0],
				      PADDOCK_BIND_SECOND_LEVEL, 0, &why);

		dev_served = !device_unserved(ret, &why);
		if (dev_served) {
			EXPECT_OK(ret, &why);
			EXPECT_OK(pasid_unbind(mine, si()->devices[0], &why),
				  &why);
		} else {
			test_note("device %#x is in the start info but not "
				  "registered; device attacks skipped",
				  si()->devices[0]);
		}
	}
	QUERY_OR_RETURN(&start);
	test_note("domain %u, own PASID %u, pasid_bits %u, probe_hv %#lx, "
		  "probe_other %#lx, memory [%#lx, %#lx)",
		  si()->domid, mine, start.pasid_bits,
		  (unsigned long)si()->probe_hv_addr,
		  (unsigned long)si()->probe_other_addr,
		  (unsigned long)si()->mem_base, (unsigned long)mem_end());
}

/*
 * docs/abi.md, "What a domain may learn about others": a PASID we do not
 * hold gets one answer, -XEN_ENOENT NOT_ALLOCATED and the same words,
 * whether it is free or another domain's (spin holds two all run).
 */
static int not_held_answer(long ret, const struct pasid_why *why,
			   uint32_t pasid)
{
	char text[PADDOCK_PASID_REASON_MAX];

	snprintf(text, sizeof(text), "PASID %u is not allocated to domain %u",
		 pasid, si()->domid);
	return ret == -XEN_ENOENT &&
	       why->code == PADDOCK_PASID_R_NOT_ALLOCATED &&
	       strcmp(why->text, text) == 0;
}

TEST(hostile, foreign_pasids)
{
	struct paddock_pasid_info before;
	uint32_t scan = limit < SCAN_LIMIT ? (uint32_t)limit : SCAN_LIMIT;
	uint32_t refused = 0, bad = 0;
	uint32_t dev = si()->ndevices ? si()->devices[0] : 0;
	static const uint32_t cmds_[] = {
		PADDOCK_PASID_GET_DATA, PADDOCK_PASID_SET_DATA,
		PADDOCK_PASID_BIND,	PADDOCK_PASID_UNBIND,
		PADDOCK_PASID_FREE,
	};

	ASSERT_NE(mine, 0);
	/* Let the other domains run first, so that some PASIDs are live. */
	for (int i = 0; i < 50; i++)
		paddock_yield();
	QUERY_OR_RETURN(&before);

	for (uint32_t p = 1; p < scan; p++) {
		struct paddock_pasid_op op;
		struct pasid_why why;
		const uint32_t *cmds = cmds_;

		if (p == mine)
			continue;
		for (unsigned c = 0; c < sizeof(cmds_) / sizeof(cmds_[0]);
		     c++) {
			long ret;

			op = (struct paddock_pasid_op){
				.cmd = cmds[c],
				.pasid = p,
				.device = dev,
				.bind_type = PADDOCK_BIND_SECOND_LEVEL,
				.cookie = POISON64,
			};
			ret = pasid_call(&op, &why);
			refused += ret < 0;
			/* Ownership is checked first, even for a BIND on a
			 * device the hypervisor could not register. */
			if (not_held_answer(ret, &why, p) &&
			    op.cookie == POISON64)
				continue;
			if (bad++ < SCAN_REPORTS)
				FAIL("cmd %u on foreign PASID %u: %ld %s, %s "
				     "\"%s\", cookie %#lx",
				     cmds[c], p, ret, xen_errno_str(ret),
				     pasid_reason_str(why.code), why.text,
				     (unsigned long)op.cookie);
		}
	}
	if (bad > SCAN_REPORTS)
		FAIL("%u more wrong answers in the scan", bad - SCAN_REPORTS);
	/* The spin domain holds two PASIDs all run (docs/guests.md): they
	 * were among these, and answered like every free one. */
	test_note("scanned PASIDs 1..%u: %u refusals, all \"not allocated to "
		  "domain %u\"",
		  scan - 1, refused, si()->domid);
	UNHARMED(&before, refused);
}

TEST(hostile, out_of_range_ids)
{
	const uint64_t ids[] = {0, limit, limit + 1, 0x7fffffffu, 0xffffffffu};
	const uint32_t cmds[] = {PADDOCK_PASID_GET_DATA, PADDOCK_PASID_SET_DATA,
				 PADDOCK_PASID_FREE, PADDOCK_PASID_UNBIND};
	struct paddock_pasid_info before;
	uint32_t refused = 0;

	QUERY_OR_RETURN(&before);
	for (unsigned i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		if (ids[i] > 0xffffffffu)
			continue;
		for (unsigned c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++) {
			struct paddock_pasid_op op = {.cmd = cmds[c],
						      .pasid = (uint32_t)ids[i],
						      .cookie = POISON64};
			struct pasid_why why;
			long ret = pasid_call(&op, &why);

			refused++;
			if (!expect_refused_(__FILE__, __LINE__,
					     "call on an out-of-range PASID",
					     ret, &why,
					     PADDOCK_PASID_R_OUT_OF_RANGE))
				test_note("cmd %u pasid %#lx", cmds[c],
					  (unsigned long)ids[i]);
			EXPECT_EQ(op.cookie, POISON64);
		}
	}
	UNHARMED(&before, refused);
}

TEST(hostile, privileged_commands)
{
	struct paddock_pasid_info before, list[4];
	struct pasid_why why;
	uint32_t count = POISON32, refused = 0;
	uint32_t domains[] = {si()->domid, 0, 1, 2, 0x7ff2, 0xffff};

	QUERY_OR_RETURN(&before);
	memset(list, 0xa5, sizeof(list));
	EXPECT_REFUSED(pasid_list(list, 4, &count, &why), &why,
		       PADDOCK_PASID_R_NOT_PRIVILEGED);
	refused++;
	EXPECT_EQ(count, POISON32);
	/* Nothing about other domains may have leaked into the buffer. */
	for (size_t i = 0; i < sizeof(list); i++)
		if (((unsigned char *)list)[i] != 0xa5) {
			FAIL("LIST wrote into the buffer at byte %lu", i);
			break;
		}

	for (unsigned i = 0; i < sizeof(domains) / sizeof(domains[0]); i++) {
		EXPECT_REFUSED(pasid_set_quota(domains[i], 1000, &why), &why,
			       PADDOCK_PASID_R_NOT_PRIVILEGED);
		refused++;
	}
	EXPECT_REFUSED(pasid_set_quota(si()->domid, 0, &why), &why,
		       PADDOCK_PASID_R_NOT_PRIVILEGED);
	refused++;

	/* Pass-through DMA is for privileged domains only. */
	if (dev_served) {
		EXPECT_REFUSED(pasid_bind(mine, si()->devices[0],
					  PADDOCK_BIND_PASSTHROUGH, 0, &why),
			       &why, PADDOCK_PASID_R_NOT_PRIVILEGED);
		refused++;
	}
	UNHARMED(&before, refused);
}

TEST(hostile, bad_sizes)
{
	const unsigned long sizes[] = {
		0,
		1,
		sizeof(struct paddock_pasid_op) - 1,
		sizeof(struct paddock_pasid_op) + 1,
		2 * sizeof(struct paddock_pasid_op),
		4096,
		~0ul,
		/* Only the full register counts: no truncation to 32 bits. */
		(1ul << 32) | sizeof(struct paddock_pasid_op),
	};
	struct paddock_pasid_info before;
	uint32_t refused = 0;

	QUERY_OR_RETURN(&before);
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_ALLOC,
					      .pasid = POISON32,
					      .reason = POISON32};
		long ret = HYPERVISOR_paddock_pasid_op(&op, sizes[i]);

		refused++;
		if (ret != -XEN_EINVAL)
			FAIL("size %#lx: expected -XEN_EINVAL, got %ld %s",
			     sizes[i], ret, xen_errno_str(ret));
		/* docs/abi.md: with a wrong size nothing is written back. */
		EXPECT_EQ(op.pasid, POISON32);
		EXPECT_EQ(op.reason, POISON32);
	}
	UNHARMED(&before, refused);
}

TEST(hostile, unknown_commands)
{
	const uint32_t cmds[] = {0, PADDOCK_PASID_CMD_MAX + 1, 0x100,
				 0x7fffffff, 0xffffffff};
	struct paddock_pasid_info before;
	uint32_t refused = 0;

	QUERY_OR_RETURN(&before);
	for (unsigned i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		struct paddock_pasid_op op = {.cmd = cmds[i]};
		struct pasid_why why;

		EXPECT_REFUSED(pasid_call(&op, &why), &why,
			       PADDOCK_PASID_R_UNKNOWN_CMD);
		refused++;
	}
	UNHARMED(&before, refused);
}

TEST(hostile, unknown_hypercalls)
{
	const unsigned long ops[] = {55,	  63,	64,	  1000,
				     0xffffffffu, ~0ul, 1ul << 63};
	struct paddock_pasid_info before;

	QUERY_OR_RETURN(&before);
	for (unsigned i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		long ret = _hypercall5(ops[i], 1, 2, 3, 4, 5);

		if (ret != -XEN_ENOSYS)
			FAIL("hypercall %#lx: expected -XEN_ENOSYS, got %ld",
			     ops[i], ret);
	}
	/* Not PASID requests: no PASID refusal is counted. */
	UNHARMED(&before, 0);
}

/*
 * This is not a test image: the test-only hypercall is refused as unknown
 * even for what a test image would allow (our device, our bound PASID).
 */
TEST(hostile, test_hypercall_absent)
{
	struct pasid_why why;

	if (!dev_served)
		SKIP("no usable device assigned to this domain");
	ASSERT_OK(pasid_bind(mine, si()->devices[0], PADDOCK_BIND_SECOND_LEVEL,
			     0, &why),
		  &why);
	EXPECT_EQ(HYPERVISOR_paddock_test_op(PADDOCK_TEST_STEER,
					     si()->devices[0], mine),
		  -XEN_ENOSYS);
	EXPECT_EQ(HYPERVISOR_paddock_test_op(PADDOCK_TEST_WATCH, si()->mem_base,
					     64),
		  -XEN_ENOSYS);
	EXPECT_OK(pasid_unbind(mine, si()->devices[0], &why), &why);
}

/* The standard hypercalls refuse what they do not know or cannot read. */
TEST(hostile, standard_hypercalls)
{
	uint64_t bad[] = {si()->probe_hv_addr, mem_end(), ~0ull - 2};
	struct paddock_pasid_info before;

	QUERY_OR_RETURN(&before);
	EXPECT_EQ(HYPERVISOR_sched_op(99, NULL), -XEN_ENOSYS);
	EXPECT_EQ(HYPERVISOR_console_io(CONSOLEIO_read, 16, "................"),
		  -XEN_ENOSYS);
	EXPECT_EQ(HYPERVISOR_xen_version(99, NULL), -XEN_ENOSYS);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (!bad[i] || in_own_memory(bad[i], 8))
			continue;
		/* Reaching the next line at all: no shutdown happened. */
		EXPECT_EQ(HYPERVISOR_sched_op(SCHEDOP_shutdown,
					      (void *)(uintptr_t)bad[i]),
			  -XEN_EFAULT);
		EXPECT_EQ(HYPERVISOR_xen_version(XENVER_extraversion,
						 (void *)(uintptr_t)bad[i]),
			  -XEN_EFAULT);
	}
	UNHARMED(&before, 0);
}

/* An op the hypervisor must not read, at each of these addresses. */
static void attack_op_pointers(const uint64_t *addrs, unsigned n,
			       const char *what)
{
	struct paddock_pasid_info before;
	uint32_t refused = 0;

	QUERY_OR_RETURN(&before);
	for (unsigned i = 0; i < n; i++) {
		long ret;

		if (in_own_memory(addrs[i], sizeof(struct paddock_pasid_op))) {
			test_note("%s %#lx lies in our own memory; skipped",
				  what, (unsigned long)addrs[i]);
			continue;
		}
		ret = op_at(addrs[i], sizeof(struct paddock_pasid_op));
		refused++;
		if (ret != -XEN_EFAULT)
			FAIL("op at %s %#lx: expected -XEN_EFAULT, got %ld %s",
			     what, (unsigned long)addrs[i], ret,
			     xen_errno_str(ret));
	}
	UNHARMED(&before, refused);
}

TEST(hostile, hypervisor_pointers)
{
	uint64_t hv = si()->probe_hv_addr;
	const uint64_t addrs[] = {
		hv,
		hv & ~0xfffull,
		hv + 0x1000,
		/* The x86_64 upper half, where hypervisors live. */
		0xffff800000000000ull,
		0xffffffff80000000ull,
		0xffffffff80100000ull,
	};

	if (!hv)
		test_note("start info gives no probe_hv_addr");
	attack_op_pointers(addrs, sizeof(addrs) / sizeof(addrs[0]),
			   "hypervisor address");
}

TEST(hostile, unmapped_pointers)
{
	uint64_t end = mem_end();
	const uint64_t addrs[] = {
		0, /* skipped if our memory starts at 0 */
		end,
		end + 0x1000,
		end + 0x200000,
		/* Straddling the end of our memory. */
		end - sizeof(struct paddock_pasid_op) / 2,
		/* Non-canonical, and wrapping around the address space. */
		0x0000800000000000ull,
		0x8000000000000000ull,
		~0ull - 16,
	};

	attack_op_pointers(addrs, sizeof(addrs) / sizeof(addrs[0]),
			   "unmapped address");
}

TEST(hostile, other_domain_memory)
{
	uint64_t other = si()->probe_other_addr;
	const uint64_t addrs[] = {other, other & ~0xfffull};

	if (!other)
		SKIP("start info gives no probe_other_addr");
	attack_op_pointers(addrs, sizeof(addrs) / sizeof(addrs[0]),
			   "other domain's address");
}

/*
 * A reason buffer the hypervisor must not write: the call is refused for
 * its own reason (FREE of PASID 0: out of range), and the bad buffer is
 * ignored rather than written or allowed to hide the real error.
 */
TEST(hostile, bad_reason_buffers)
{
	const uint64_t bufs[] = {
		si()->probe_hv_addr, si()->probe_other_addr,
		mem_end(),	     0xffff800000000000ull,
		~0ull - 8,
	};
	struct paddock_pasid_info before;
	uint32_t refused = 0;

	QUERY_OR_RETURN(&before);
	for (unsigned i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++) {
		struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_FREE,
					      .pasid = 0,
					      .reason_buf = bufs[i],
					      .reason_len = 0xffffffffu};
		long ret;

		if (!bufs[i] || in_own_memory(bufs[i], 1))
			continue;
		ret = HYPERVISOR_paddock_pasid_op(&op, sizeof(op));
		refused++;
		EXPECT_EQ(ret, -XEN_EINVAL);
		EXPECT_EQ(op.reason, PADDOCK_PASID_R_OUT_OF_RANGE);
	}
	UNHARMED(&before, refused);
}

/*
 * GET_FAULTS into memory the domain cannot write: NULL, the hypervisor's,
 * another domain's, past its end, its own read-only text.  It has no
 * DMA device, so no record is pending: the buffer must be refused all
 * the same (BAD_POINTER), not answered with count 0.
 */
TEST(hostile, fault_buffer_pointers)
{
	const uint64_t bufs[] = {
		0,				    /* NULL */
		(uint64_t)(uintptr_t)&test_run_all, /* its read-only text */
		si()->probe_hv_addr,
		si()->probe_other_addr,
		mem_end(),
		0xffff800000000000ull,
		~0ull - 8,
	};
	struct paddock_pasid_info before;
	uint32_t refused = 0;

	QUERY_OR_RETURN(&before);
	for (unsigned i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++) {
		struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_GET_FAULTS};
		struct pasid_why why;
		long ret;

		/* A probe address the start info does not give is 0. */
		if (i >= 2 && (!bufs[i] || in_own_memory(bufs[i], 1)))
			continue;
		op.u.faults.buf = bufs[i];
		op.u.faults.max = 4;
		op.u.faults.count = POISON32;
		ret = pasid_call(&op, &why);
		refused++;
		expect_refused_(__FILE__, __LINE__,
				"GET_FAULTS into unwritable memory", ret, &why,
				PADDOCK_PASID_R_BAD_POINTER);
	}
	UNHARMED(&before, refused);
}

/* reason_len is a hard limit: the text is cut to fit, NUL included. */
TEST(hostile, short_reason_buffer)
{
	struct paddock_pasid_info before;
	char buf[32];
	struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_FREE,
				      .pasid = 0,
				      .reason_buf = (uintptr_t)buf,
				      .reason_len = 4};
	long ret;

	QUERY_OR_RETURN(&before);
	memset(buf, 0x5a, sizeof(buf));
	ret = HYPERVISOR_paddock_pasid_op(&op, sizeof(op));
	EXPECT_EQ(ret, -XEN_EINVAL);
	EXPECT_EQ(buf[3], '\0');
	for (size_t i = 4; i < sizeof(buf); i++)
		if (buf[i] != 0x5a) {
			FAIL("reason text overran reason_len at byte %lu", i);
			break;
		}
	UNHARMED(&before, 1);
}

/*
 * An op in a read-only page: the hypervisor can read it but not write the
 * result back.  An ALLOC must then not happen at all, or the domain would
 * be charged for a PASID it was never told about.
 */
TEST(hostile, read_only_op)
{
	static const struct paddock_pasid_op ro_op = {
		.cmd = PADDOCK_PASID_ALLOC};
	struct paddock_pasid_info before, now;
	struct pasid_why why;
	long ret;

	QUERY_OR_RETURN(&before);
	ret = HYPERVISOR_paddock_pasid_op((struct paddock_pasid_op *)&ro_op,
					  sizeof(ro_op));
	if (ret == 0) {
		/*
		 * The image's read-only segment was mapped writable.  Read
		 * the result through volatile: the compiler assumes const
		 * data never changes.
		 */
		uint32_t got =
			((const volatile struct paddock_pasid_op *)&ro_op)
				->pasid;

		FAIL("ALLOC through a read-only op succeeded (PASID %u)", got);
		(void)pasid_free(got, &why);
		return;
	}
	EXPECT_EQ(ret, -XEN_EFAULT);
	QUERY_OR_RETURN(&now);
	if (now.allocated != before.allocated)
		FAIL("refused ALLOC still charged the domain: allocated "
		     "%u -> %u",
		     before.allocated, now.allocated);
	UNHARMED(&before, 1);
}

TEST(hostile, devices_not_ours)
{
	/* Absent ones, a root port (00:01.0), and other domains' edus
	 * (basic's 01:00.0, crash's 02:01.0): one answer for all. */
	const uint32_t devs[] = {0,    1,      0x8,	    0x10,  0x18,
				 0xff, 0xffff, 0xffffffffu, 0x100, 0x208};
	struct paddock_pasid_info before;
	uint32_t refused = 0;

	QUERY_OR_RETURN(&before);
	for (unsigned i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
		struct pasid_why why;
		long ret;

		if (own_device(devs[i]))
			continue;
		char text[PADDOCK_PASID_REASON_MAX];

		ret = pasid_bind(mine, devs[i], PADDOCK_BIND_SECOND_LEVEL, 0,
				 &why);
		refused++;
		snprintf(text, sizeof(text),
			 "no device 0x%x is assigned to domain %u", devs[i],
			 si()->domid);
		if (ret != -XEN_ENODEV ||
		    why.code != PADDOCK_PASID_R_NO_DEVICE ||
		    strcmp(why.text, text) != 0)
			FAIL("BIND on device %#x: expected -XEN_ENODEV "
			     "NO_DEVICE \"%s\", got %ld %s \"%s\"",
			     devs[i], text, ret, pasid_reason_str(why.code),
			     why.text);
		ret = pasid_unbind(mine, devs[i], &why);
		refused++;
		EXPECT_LT(ret, 0);
	}
	UNHARMED(&before, refused);
}

/*
 * First-level binds take no table from the guest (docs/abi.md): every
 * non-zero fl_root is refused, even a good page of our own memory, since
 * the IOMMU would take the addresses in it as host-physical.  The first
 * root is such a table, mapping all host memory below 512 GiB (the VT-d
 * root table and the hypervisor among it) and another domain's memory.
 */
TEST(hostile, bad_binds_on_own_device)
{
	static uint64_t table[HOSTILE_FL_PAGES][512]
		__attribute__((aligned(4096)));
	static char page[4096] __attribute__((aligned(4096)));
	uint64_t roots[] = {
		hostile_fl_table(table, si()->probe_other_addr),
		(uintptr_t)page, /* a page of our own, as the ABI once said */
		si()->probe_other_addr,
		si()->probe_hv_addr,
		(uintptr_t)page + 8, /* not page aligned */
		mem_end(),
		~0ull & ~0xfffull,
	};
	struct paddock_pasid_info before;
	struct pasid_why why;
	uint32_t dev, refused = 0;

	if (!dev_served)
		SKIP("no usable device assigned to this domain");
	dev = si()->devices[0];
	QUERY_OR_RETURN(&before);
	EXPECT_REFUSED(pasid_bind(mine, dev, 3, 0, &why), &why,
		       PADDOCK_PASID_R_BAD_BIND_TYPE);
	EXPECT_REFUSED(pasid_bind(mine, dev, 0xffffffffu, 0, &why), &why,
		       PADDOCK_PASID_R_BAD_BIND_TYPE);
	refused += 2;
	for (unsigned i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		if (!roots[i])
			continue;
		if (!expect_refused_(__FILE__, __LINE__,
				     "first-level BIND with a guest root",
				     pasid_bind(mine, dev,
						PADDOCK_BIND_FIRST_LEVEL,
						roots[i], &why),
				     &why, PADDOCK_PASID_R_BAD_TABLE_ROOT))
			test_note("root %#lx", (unsigned long)roots[i]);
		refused++;
	}
	UNHARMED(&before, refused);
	/* fl_root 0: the hypervisor's own tables, which bind. */
	EXPECT_OK(pasid_bind(mine, dev, PADDOCK_BIND_FIRST_LEVEL, 0, &why),
		  &why);
	EXPECT_OK(pasid_unbind(mine, dev, &why), &why);
}

TEST(hostile, console_pointers)
{
	const uint64_t bufs[] = {si()->probe_hv_addr, si()->probe_other_addr,
				 mem_end(), 0xffffffff80000000ull};

	for (unsigned i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++) {
		long ret;

		if (!bufs[i] || in_own_memory(bufs[i], 64))
			continue;
		ret = HYPERVISOR_console_io(CONSOLEIO_write, 64,
					    (const char *)(uintptr_t)bufs[i]);
		if (ret != -XEN_EFAULT)
			FAIL("console write from %#lx: expected -XEN_EFAULT, "
			     "got %ld",
			     (unsigned long)bufs[i], ret);
	}
	/* A negative count must not become a huge one. */
	EXPECT_LT(HYPERVISOR_console_io(CONSOLEIO_write, -1, "x"), 0);
}

TEST(hostile, freed_pasid_is_gone)
{
	struct paddock_pasid_info before;
	struct pasid_why why;
	uint32_t p;
	uint64_t c = POISON64;

	ASSERT_OK(pasid_alloc(&p, &why), &why);
	ASSERT_OK(pasid_free(p, &why), &why);
	QUERY_OR_RETURN(&before);
	/* Unbound, it recycled at once: free or someone else's by now, it
	 * answers as any PASID we do not hold. */
	EXPECT_TRUE(not_held_answer(pasid_free(p, &why), &why, p));
	EXPECT_TRUE(not_held_answer(pasid_set_data(p, 1, &why), &why, p));
	EXPECT_TRUE(not_held_answer(pasid_get_data(p, &c, &why), &why, p));
	EXPECT_EQ(c, POISON64);
	UNHARMED(&before, 3);
}

TEST(hostile, still_whole)
{
	struct paddock_pasid_info now;
	struct pasid_why why;
	uint64_t cookie = 0;

	QUERY_OR_RETURN(&now);
	EXPECT_EQ(now.allocated, 1);
	EXPECT_EQ(now.quota, start.quota);
	EXPECT_EQ(now.bound, 0);
	EXPECT_EQ(now.refusals_quota, 0);
	EXPECT_OK(pasid_get_data(mine, &cookie, &why), &why);
	EXPECT_EQ(cookie, MINE_COOKIE);
	EXPECT_OK(pasid_free(mine, &why), &why);
	QUERY_OR_RETURN(&now);
	EXPECT_EQ(now.allocated, 0);
	test_note("%u refusals counted in all", now.refusals);
}
