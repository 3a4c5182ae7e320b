/* SPDX-License-Identifier: MIT */
/*
 * basic: the ordinary life of a PASID seen from an unprivileged domain:
 * alloc, set and get its data, query, bind and unbind on an assigned
 * device (when the system gives the domain one), free.  Also the runtime
 * itself: start information, console, yield, heap.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pasid_check.h"

extern char _end[];

static const struct paddock_start_info *si(void)
{
	return paddock_start_info;
}

static int in_domain_range(uint32_t pasid, const struct paddock_pasid_info *q)
{
	if (pasid == 0 || (uint64_t)pasid >= (1ull << q->pasid_bits))
		return 0;
	if (q->range_lo == 0 && q->range_hi == 0)
		return 1;
	return pasid >= q->range_lo && pasid <= q->range_hi;
}

TEST(runtime, start_info)
{
	const struct paddock_start_info *s = si();

	ASSERT_TRUE(s != NULL);
	EXPECT_EQ(s->magic, PADDOCK_START_MAGIC);
	EXPECT_TRUE(s->name[0] != '\0');
	EXPECT_GT(s->mem_size, 0);
	/* The heap follows the image, rounded up to a page. */
	EXPECT_EQ(s->heap_start % 4096, 0);
	EXPECT_GE(s->heap_start, (uintptr_t)_end);
	EXPECT_LT(s->heap_start - (uintptr_t)_end, 4096);
	EXPECT_LE(s->heap_start, s->heap_end);
	EXPECT_GE(s->heap_start, s->mem_base);
	EXPECT_LE(s->heap_end, s->mem_base + s->mem_size);
	EXPECT_LE(s->ndevices, PADDOCK_START_MAX_DEVICES);
	EXPECT_EQ(s->flags & PADDOCK_START_PRIVILEGED, 0);
}

TEST(runtime, console_and_version)
{
	static const char line[] = "basic: console_io write works\n";
	long ver = HYPERVISOR_xen_version(XENVER_version, NULL);

	EXPECT_EQ(
		HYPERVISOR_console_io(CONSOLEIO_write, sizeof(line) - 1, line),
		0);
	/* Xen reports (major << 16) | minor; never an error. */
	EXPECT_GE(ver, 0);
	test_note("xen_version reports %ld.%ld", ver >> 16, ver & 0xffff);
}

TEST(runtime, yield_returns)
{
	for (int i = 0; i < 10; i++)
		EXPECT_EQ(paddock_yield(), 0);
}

TEST(runtime, heap_is_bounded)
{
	const struct paddock_start_info *s = si();
	uint64_t heap = s->heap_end - s->heap_start;
	char *small = malloc(4096);

	ASSERT_TRUE(small != NULL);
	EXPECT_GE((uintptr_t)small, s->heap_start);
	EXPECT_LE((uintptr_t)small + 4096, s->heap_end);
	memset(small, 0xa5, 4096);
	/* More than the whole heap can never be handed out. */
	EXPECT_TRUE(malloc(heap + 4096) == NULL);
	free(small);
}

/* The newlib system calls behave as docs/guests.md says. */
TEST(runtime, syscalls)
{
	const struct paddock_start_info *s = si();
	char c;
	void *brk0;

	EXPECT_EQ(write(1, "basic: write(1)\n", 16), 16);
	errno = 0;
	EXPECT_EQ(write(3, "x", 1), -1);
	EXPECT_EQ(errno, EBADF);
	EXPECT_EQ(read(0, &c, 1), 0);
	EXPECT_EQ(isatty(1), 1);
	errno = 0;
	EXPECT_EQ(lseek(1, 0, SEEK_SET), -1);
	EXPECT_EQ(errno, ESPIPE);
	EXPECT_EQ(getpid(), s->domid);

	/* sbrk refuses to leave [heap_start, heap_end) either way. */
	brk0 = sbrk(0);
	EXPECT_GE((uintptr_t)brk0, s->heap_start);
	EXPECT_LE((uintptr_t)brk0, s->heap_end);
	errno = 0;
	EXPECT_TRUE(sbrk((intptr_t)(s->heap_end - (uintptr_t)brk0) + 1) ==
		    (void *)-1);
	EXPECT_EQ(errno, ENOMEM);
	errno = 0;
	EXPECT_TRUE(sbrk(-(intptr_t)((uintptr_t)brk0 - s->heap_start) - 1) ==
		    (void *)-1);
	EXPECT_EQ(errno, ENOMEM);
	EXPECT_TRUE(sbrk(0) == brk0);
}

TEST(pasid, query_initial)
{
	struct paddock_pasid_info q;

	QUERY_OR_RETURN(&q);
	EXPECT_EQ(q.domain, si()->domid);
	EXPECT_EQ(q.quota, si()->pasid_quota);
	EXPECT_EQ(q.flags & PADDOCK_PASID_INFO_PRIVILEGED, 0);
	EXPECT_EQ(q.allocated, 0);
	EXPECT_EQ(q.bound, 0);
	EXPECT_EQ(q.parked, 0);
	EXPECT_GT(q.pasid_bits, 0);
	EXPECT_LE(q.pasid_bits, 20);
}

TEST(pasid, alloc_data_free)
{
	struct paddock_pasid_info q0, q1, q2;
	struct pasid_why why;
	uint32_t pasid = 0;
	uint64_t cookie = 0;

	QUERY_OR_RETURN(&q0);
	ASSERT_OK(pasid_alloc(&pasid, &why), &why);
	EXPECT_TRUE(in_domain_range(pasid, &q0));

	QUERY_OR_RETURN(&q1);
	EXPECT_EQ(q1.allocated, q0.allocated + 1);
	EXPECT_GE(q1.peak, q1.allocated);

	EXPECT_OK(pasid_set_data(pasid, 0x1122334455667788ull, &why), &why);
	EXPECT_OK(pasid_get_data(pasid, &cookie, &why), &why);
	EXPECT_EQ(cookie, 0x1122334455667788ull);
	/* A second SET_DATA replaces the first. */
	EXPECT_OK(pasid_set_data(pasid, ~0ull, &why), &why);
	EXPECT_OK(pasid_get_data(pasid, &cookie, &why), &why);
	EXPECT_EQ(cookie, ~0ull);

	ASSERT_OK(pasid_free(pasid, &why), &why);
	QUERY_OR_RETURN(&q2);
	EXPECT_EQ(q2.allocated, q0.allocated);
	EXPECT_EQ(q2.parked, q0.parked);

	/*
	 * Once freed (it was never bound, so it recycled at once) the PASID
	 * is not ours: free, or another domain's since, the answer is the
	 * same (docs/abi.md, "What a domain may learn about others").
	 */
	EXPECT_REFUSED(pasid_get_data(pasid, &cookie, &why), &why,
		       PADDOCK_PASID_R_NOT_ALLOCATED);
	EXPECT_REFUSED(pasid_free(pasid, &why), &why,
		       PADDOCK_PASID_R_NOT_ALLOCATED);
}

TEST(pasid, several_distinct)
{
	enum { N = 4 };
	struct paddock_pasid_info q0, q;
	struct pasid_why why;
	uint32_t p[N];

	QUERY_OR_RETURN(&q0);
	if (q0.quota - q0.allocated < N)
		SKIP("quota %u leaves fewer than %d PASIDs", q0.quota, N);
	for (int i = 0; i < N; i++) {
		ASSERT_OK(pasid_alloc(&p[i], &why), &why);
		for (int j = 0; j < i; j++)
			EXPECT_NE(p[i], p[j]);
		/* Each PASID keeps its own data. */
		EXPECT_OK(pasid_set_data(p[i], 0xc0de0000u + i, &why), &why);
	}
	for (int i = 0; i < N; i++) {
		uint64_t c = 0;

		EXPECT_OK(pasid_get_data(p[i], &c, &why), &why);
		EXPECT_EQ(c, 0xc0de0000u + i);
	}
	QUERY_OR_RETURN(&q);
	EXPECT_EQ(q.allocated, q0.allocated + N);
	EXPECT_GE(q.peak, q0.allocated + N);
	for (int i = 0; i < N; i++)
		EXPECT_OK(pasid_free(p[i], &why), &why);
	QUERY_OR_RETURN(&q);
	EXPECT_EQ(q.allocated, q0.allocated);
}

TEST(pasid, bind_unbind)
{
	const struct paddock_start_info *s = si();
	struct paddock_pasid_info q0, q;
	struct pasid_why why;
	uint32_t pasid, dev;
	long ret;

	if (s->ndevices == 0)
		SKIP("no device assigned to this domain");
	dev = s->devices[0];
	QUERY_OR_RETURN(&q0);
	ASSERT_OK(pasid_alloc(&pasid, &why), &why);

	ret = pasid_bind(pasid, dev, PADDOCK_BIND_SECOND_LEVEL, 0, &why);
	if (device_unserved(ret, &why)) {
		EXPECT_OK(pasid_free(pasid, &why), &why);
		SKIP("device %#x is in the start info but not registered (no "
		     "IOMMU serves it)",
		     dev);
	}
	EXPECT_OK(ret, &why);
	QUERY_OR_RETURN(&q);
	EXPECT_EQ(q.bound, q0.bound + 1);
	EXPECT_REFUSED(
		pasid_bind(pasid, dev, PADDOCK_BIND_SECOND_LEVEL, 0, &why),
		&why, PADDOCK_PASID_R_ALREADY_BOUND);

	EXPECT_OK(pasid_unbind(pasid, dev, &why), &why);
	QUERY_OR_RETURN(&q);
	EXPECT_EQ(q.bound, q0.bound);
	EXPECT_REFUSED(pasid_unbind(pasid, dev, &why), &why,
		       PADDOCK_PASID_R_NOT_BOUND);

	/* Every assigned device takes a binding of the same PASID. */
	for (uint32_t i = 0; i < s->ndevices; i++)
		EXPECT_OK(pasid_bind(pasid, s->devices[i],
				     PADDOCK_BIND_SECOND_LEVEL, 0, &why),
			  &why);
	QUERY_OR_RETURN(&q);
	EXPECT_EQ(q.bound, q0.bound + 1);
	for (uint32_t i = 0; i < s->ndevices; i++)
		EXPECT_OK(pasid_unbind(pasid, s->devices[i], &why), &why);

	EXPECT_OK(pasid_free(pasid, &why), &why);
	QUERY_OR_RETURN(&q);
	EXPECT_EQ(q.allocated, q0.allocated);
	EXPECT_EQ(q.bound, q0.bound);
}

/*
 * A first-level bind takes no table from the domain (docs/abi.md): with
 * fl_root 0 the device translates through the hypervisor's first-level
 * copy of the domain's DMA view; a table of the domain's own, even an
 * empty one in its memory, is refused.
 */
TEST(pasid, bind_first_level)
{
	static uint64_t table[512] __attribute__((aligned(4096)));
	const struct paddock_start_info *s = si();
	struct paddock_pasid_info q0, q;
	struct pasid_why why;
	uint32_t pasid, dev;
	long ret;

	if (s->ndevices == 0)
		SKIP("no device assigned to this domain");
	dev = s->devices[0];
	QUERY_OR_RETURN(&q0);
	ASSERT_OK(pasid_alloc(&pasid, &why), &why);
	ret = pasid_bind(pasid, dev, PADDOCK_BIND_FIRST_LEVEL, 0, &why);
	if (device_unserved(ret, &why)) {
		EXPECT_OK(pasid_free(pasid, &why), &why);
		SKIP("device %#x is in the start info but not registered (no "
		     "IOMMU serves it)",
		     dev);
	}
	EXPECT_OK(ret, &why);
	QUERY_OR_RETURN(&q);
	EXPECT_EQ(q.bound, q0.bound + 1);
	EXPECT_OK(pasid_unbind(pasid, dev, &why), &why);
	EXPECT_REFUSED(pasid_bind(pasid, dev, PADDOCK_BIND_FIRST_LEVEL,
				  (uintptr_t)table, &why),
		       &why, PADDOCK_PASID_R_BAD_TABLE_ROOT);
	EXPECT_OK(pasid_free(pasid, &why), &why);
	QUERY_OR_RETURN(&q);
	EXPECT_EQ(q.bound, q0.bound);
	EXPECT_EQ(q.allocated, q0.allocated);
}

/*
 * docs/abi.md: FREE of a bound PASID parks it (DMA blocked, still charged
 * to the quota); UNBIND is allowed on a parked PASID and the last one
 * recycles it.
 */
TEST(pasid, free_while_bound_parks)
{
	const struct paddock_start_info *s = si();
	struct paddock_pasid_info q0, q;
	struct pasid_why why;
	uint32_t pasid, dev;
	uint64_t cookie = 0;
	long ret;

	if (s->ndevices == 0)
		SKIP("no device assigned to this domain");
	dev = s->devices[0];
	QUERY_OR_RETURN(&q0);
	ASSERT_OK(pasid_alloc(&pasid, &why), &why);
	ret = pasid_bind(pasid, dev, PADDOCK_BIND_SECOND_LEVEL, 0, &why);
	if (device_unserved(ret, &why)) {
		EXPECT_OK(pasid_free(pasid, &why), &why);
		SKIP("device %#x is in the start info but not registered", dev);
	}
	ASSERT_OK(ret, &why);
	EXPECT_OK(pasid_set_data(pasid, 42, &why), &why);

	ASSERT_OK(pasid_free(pasid, &why), &why);
	QUERY_OR_RETURN(&q);
	EXPECT_EQ(q.parked, q0.parked + 1);
	EXPECT_EQ(q.allocated, q0.allocated + 1);
	/* Parked: no longer usable, not free either. */
	EXPECT_REFUSED(pasid_get_data(pasid, &cookie, &why), &why,
		       PADDOCK_PASID_R_PARKED);
	EXPECT_REFUSED(pasid_free(pasid, &why), &why, PADDOCK_PASID_R_PARKED);
	EXPECT_REFUSED(
		pasid_bind(pasid, dev, PADDOCK_BIND_SECOND_LEVEL, 0, &why),
		&why, PADDOCK_PASID_R_PARKED);

	EXPECT_OK(pasid_unbind(pasid, dev, &why), &why);
	QUERY_OR_RETURN(&q);
	EXPECT_EQ(q.parked, q0.parked);
	EXPECT_EQ(q.allocated, q0.allocated);
	EXPECT_EQ(q.bound, q0.bound);
}

/* docs/abi.md: parked PASIDs count against the quota until they recycle. */
TEST(pasid, parked_counts_against_quota)
{
	const struct paddock_start_info *s = si();
	struct paddock_pasid_info q0, q;
	struct pasid_why why;
	uint32_t *held, n = 0, dev, extra;
	long ret;

	if (s->ndevices == 0)
		SKIP("no device assigned to this domain");
	dev = s->devices[0];
	QUERY_OR_RETURN(&q0);
	if (q0.quota <= q0.allocated)
		SKIP("no quota left");
	held = calloc(q0.quota, sizeof(*held));
	ASSERT_TRUE(held != NULL);
	while (q0.allocated + n < q0.quota) {
		ret = pasid_alloc(&held[n], &why);
		EXPECT_OK(ret, &why);
		if (ret)
			break;
		n++;
	}
	if (n == 0) {
		free(held);
		return;
	}
	/* The last one is bound, then freed: parked, still charged. */
	ret = pasid_bind(held[n - 1], dev, PADDOCK_BIND_SECOND_LEVEL, 0, &why);
	if (device_unserved(ret, &why)) {
		while (n)
			EXPECT_OK(pasid_free(held[--n], &why), &why);
		free(held);
		SKIP("device %#x is in the start info but not registered", dev);
	}
	EXPECT_OK(ret, &why);
	EXPECT_OK(pasid_free(held[n - 1], &why), &why);
	EXPECT_REFUSED(pasid_alloc(&extra, &why), &why, PADDOCK_PASID_R_QUOTA);
	EXPECT_STR_CONTAINS(why.text, "1 parked");

	/* Its last binding gone, it recycles and the quota has room. */
	EXPECT_OK(pasid_unbind(held[n - 1], dev, &why), &why);
	if (expect_ok_(__FILE__, __LINE__, "ALLOC after recycling",
		       pasid_alloc(&extra, &why), &why))
		held[n - 1] = extra;
	else
		n--;
	while (n)
		EXPECT_OK(pasid_free(held[--n], &why), &why);
	free(held);
	QUERY_OR_RETURN(&q);
	EXPECT_EQ(q.allocated, q0.allocated);
	EXPECT_EQ(q.parked, q0.parked);
}

TEST(pasid, no_faults_without_dma)
{
	struct paddock_pasid_fault rec[4];
	struct pasid_why why;
	uint32_t count = 99;

	EXPECT_OK(pasid_get_faults(rec, 4, &count, &why), &why);
	EXPECT_EQ(count, 0);
}

TEST(pasid, state_after_all)
{
	struct paddock_pasid_info q;

	QUERY_OR_RETURN(&q);
	EXPECT_EQ(q.allocated, 0);
	EXPECT_EQ(q.bound, 0);
	EXPECT_EQ(q.parked, 0);
}
