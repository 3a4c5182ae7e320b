/* SPDX-License-Identifier: MIT */
/*
 * victim: the red team's target (config/systems/x86_64/x86-redteam.c).  An
 * unprivileged domain that holds PASIDs in every state a guest can reach
 * (docs/design.md, "The lifecycle"):
 *   plain   allocated, unbound, no data;
 *   data    allocated, with a cookie (SET_DATA);
 *   bound   bound second-level to its edu, the device's untagged DMA
 *           steered to it, and proven with real DMA;
 *   parked  bound, then freed: parked behind its binding, still charged.
 * It records what it expects (QUERY figures, cookies, its own refusal
 * counters, an empty fault ring, sentinel pages in its heap and the bytes
 * of its image) and checks all of it again every round, yielding between
 * rounds, for as long as the attacker runs: until the referee raises its
 * quota to TESTCONF_REDTEAM_VICTIM_DONE_QUOTA (guests/lib/testconf.h).
 * Then it proves its binding still carries DMA, lets go of everything and
 * powers off.
 */
#include <string.h>
#include <unistd.h>

#include "edu.h"
#include "pasid_check.h"
#include "testconf.h"

enum { P_PLAIN, P_DATA, P_BOUND, P_PARKED, NHELD };
/* Failures reported in detail per round check before only counting. */
#define REPORTS 8
#define XFER	64u

extern const char __start_paddock_tests[];

static uint32_t held[NHELD];
static int ready;    /* every PASID in its state */
static uint32_t dev; /* our edu */
static volatile uint8_t *mmio;
static struct paddock_pasid_info expect;	   /* QUERY as it must stay */
static uint32_t refusals[PADDOCK_PASID_R_MAX + 1]; /* what we provoked */
static uint64_t *sentinel;			   /* in our heap */
static uint64_t image_sum;			   /* text and rodata */
static unsigned rounds;
static uint8_t page[2][4096] __attribute__((aligned(4096)));

static const struct paddock_start_info *si(void)
{
	return paddock_start_info;
}

#define SENTINEL_WORDS (TESTCONF_REDTEAM_SENTINEL_PAGES * 4096 / 8)

/* The text and read-only data of our image: nothing may write them. */
static uint64_t sum_image(void)
{
	const uint8_t *p = (const uint8_t *)(uintptr_t)si()->mem_base;
	uint64_t h = 0xcbf29ce484222325ull;

	for (; p < (const uint8_t *)__start_paddock_tests; p++)
		h = (h ^ *p) * 0x100000001b3ull;
	return h;
}

static void note_refusal(long ret, const struct pasid_why *why)
{
	if (ret < 0 && why->code <= PADDOCK_PASID_R_MAX)
		refusals[why->code]++;
}

static uint32_t refusals_total(void)
{
	uint32_t n = 0;

	for (unsigned i = 0; i <= PADDOCK_PASID_R_MAX; i++)
		n += refusals[i];
	return n;
}

TEST(victim, holds_every_state)
{
	struct pasid_why why;
	long ret;
	uint64_t cookie = 0;
	uint8_t *heap;
	uint64_t want = si()->mem_base + TESTCONF_REDTEAM_SENTINEL_OFFSET;

	ASSERT_EQ(si()->flags & PADDOCK_START_PRIVILEGED, 0);
	ASSERT_EQ(si()->pasid_quota, TESTCONF_REDTEAM_VICTIM_QUOTA);
	ASSERT_GE(si()->ndevices, 1);
	dev = si()->devices[0];
	ASSERT_EQ(dev, TESTCONF_REDTEAM_VICTIM_DEVICE);

	/* The sentinel pages: reserve the heap up to and over them. */
	heap = sbrk(0);
	ASSERT_TRUE((uint64_t)(uintptr_t)heap <= want);
	ASSERT_TRUE(sbrk((ptrdiff_t)(want - (uintptr_t)heap) +
			 TESTCONF_REDTEAM_SENTINEL_PAGES * 4096) != (void *)-1);
	sentinel = (uint64_t *)(uintptr_t)want;
	for (unsigned i = 0; i < SENTINEL_WORDS; i++)
		sentinel[i] = TESTCONF_REDTEAM_SECRET;
	image_sum = sum_image();

	for (unsigned i = 0; i < NHELD; i++)
		ASSERT_OK(pasid_alloc(&held[i], &why), &why);
	ASSERT_OK(pasid_set_data(held[P_DATA], TESTCONF_REDTEAM_COOKIE_DATA,
				 &why),
		  &why);
	ASSERT_OK(pasid_set_data(held[P_BOUND], TESTCONF_REDTEAM_COOKIE_BOUND,
				 &why),
		  &why);
	ASSERT_OK(pasid_bind(held[P_BOUND], dev, PADDOCK_BIND_SECOND_LEVEL, 0,
			     &why),
		  &why);
	ASSERT_OK(pasid_bind(held[P_PARKED], dev, PADDOCK_BIND_SECOND_LEVEL, 0,
			     &why),
		  &why);
	ASSERT_OK(pasid_free(held[P_PARKED], &why), &why);
	/* Parked: refused as such, still charged. */
	ret = pasid_get_data(held[P_PARKED], &cookie, &why);
	EXPECT_REFUSED(ret, &why, PADDOCK_PASID_R_PARKED);
	note_refusal(ret, &why);
	QUERY_OR_RETURN(&expect);
	EXPECT_EQ(expect.allocated, TESTCONF_REDTEAM_VICTIM_HELD);
	EXPECT_EQ(expect.bound, TESTCONF_REDTEAM_VICTIM_BOUND);
	EXPECT_EQ(expect.parked, TESTCONF_REDTEAM_VICTIM_PARKED);
	EXPECT_EQ(expect.range_lo, TESTCONF_REDTEAM_VICTIM_RANGE_LO);
	EXPECT_EQ(expect.range_hi, TESTCONF_REDTEAM_VICTIM_RANGE_HI);
	EXPECT_EQ(expect.refusals, refusals_total());
	EXPECT_EQ(expect.faults, 0);
	for (unsigned i = 0; i < NHELD; i++) {
		EXPECT_GE(held[i], TESTCONF_REDTEAM_VICTIM_RANGE_LO);
		EXPECT_LE(held[i], TESTCONF_REDTEAM_VICTIM_RANGE_HI);
	}
	test_note("domain %u holds PASIDs plain %u, data %u, bound %u, "
		  "parked %u; sentinel at %#lx",
		  si()->domid, held[P_PLAIN], held[P_DATA], held[P_BOUND],
		  held[P_PARKED], (unsigned long)want);
	ready = !test_failures();
}

/* Our device's DMA through the bound PASID lands where we aim it. */
static void own_dma_lands(void)
{
	uint8_t *src = page[0], *dst = page[1];

	for (unsigned i = 0; i < 4096; i++) {
		src[i] = (uint8_t)(i * 7 + rounds);
		dst[i] = 0x5a;
	}
	ASSERT_EQ(edu_dma(mmio, (uintptr_t)src, EDU_BUF, XFER, 0), 0);
	ASSERT_EQ(edu_dma(mmio, EDU_BUF, (uintptr_t)dst + 128, XFER, 1), 0);
	EXPECT_EQ(memcmp(dst + 128, src, XFER), 0);
	EXPECT_EQ(dst[127], 0x5a);
	EXPECT_EQ(dst[128 + XFER], 0x5a);
}

TEST(victim, bound_pasid_carries_dma)
{
	ASSERT_TRUE(ready);
	ASSERT_NE(si()->dev_mmio[0], 0);
	mmio = (volatile uint8_t *)(uintptr_t)si()->dev_mmio[0];
	ASSERT_EQ(*(volatile uint32_t *)(mmio + EDU_REG_ID), EDU_ID_VALUE);
	ASSERT_EQ(HYPERVISOR_paddock_test_op(PADDOCK_TEST_STEER, dev,
					     held[P_BOUND]),
		  0);
	own_dma_lands();
}

/* Everything we hold, as we left it.  Returns the number of mismatches. */
static unsigned check_round(unsigned *reported)
{
	struct paddock_pasid_info now;
	struct paddock_pasid_fault faults[4];
	uint32_t counts[PADDOCK_PASID_R_MAX + 1], n = 0;
	struct pasid_why why;
	unsigned bad = 0;
	uint64_t cookie;
	long ret;

#define MISMATCH(...)                                                          \
	do {                                                                   \
		bad++;                                                         \
		if ((*reported)++ < REPORTS)                                   \
			FAIL("round %u: " __VA_ARGS__);                        \
	} while (0)
#define SAME_FIELD(f)                                                          \
	do {                                                                   \
		if (now.f != expect.f)                                         \
			MISMATCH(#f " %lu, expected %lu", rounds,              \
				 (unsigned long)now.f,                         \
				 (unsigned long)expect.f);                     \
	} while (0)

	ret = pasid_query(&now, &why);
	if (ret < 0) {
		MISMATCH("QUERY refused: %ld %s", rounds, ret, why.text);
		return bad;
	}
	SAME_FIELD(domain);
	SAME_FIELD(flags);
	SAME_FIELD(allocated);
	SAME_FIELD(bound);
	SAME_FIELD(parked);
	SAME_FIELD(peak);
	SAME_FIELD(range_lo);
	SAME_FIELD(range_hi);
	SAME_FIELD(refusals_quota);
	SAME_FIELD(faults);
	SAME_FIELD(faults_suppressed);
	SAME_FIELD(pasid_bits);
	if (now.quota != TESTCONF_REDTEAM_VICTIM_QUOTA &&
	    now.quota != TESTCONF_REDTEAM_VICTIM_DONE_QUOTA)
		MISMATCH("quota %u: neither ours nor the referee's signal",
			 rounds, now.quota);
	if (now.refusals != refusals_total())
		MISMATCH("%u refusals counted, we caused %u", rounds,
			 now.refusals, refusals_total());

	/* Refusal counters, reason by reason: only ours. */
	{
		struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_REFUSALS};

		op.u.list.buf = (uintptr_t)counts;
		op.u.list.max = PADDOCK_PASID_R_MAX + 1;
		ret = pasid_call(&op, &why);
		if (ret < 0)
			MISMATCH("REFUSALS refused: %s", rounds, why.text);
		else
			for (unsigned i = 0; i <= PADDOCK_PASID_R_MAX; i++)
				if (counts[i] != refusals[i])
					MISMATCH("refusals[%s] %u, we caused "
						 "%u",
						 rounds, pasid_reason_str(i),
						 counts[i], refusals[i]);
	}

	/* Cookies, and the parked PASID still parked. */
	cookie = 1;
	ret = pasid_get_data(held[P_PLAIN], &cookie, &why);
	if (ret < 0 || cookie != 0)
		MISMATCH("plain PASID %u: %ld, cookie %#lx", rounds,
			 held[P_PLAIN], ret, (unsigned long)cookie);
	ret = pasid_get_data(held[P_DATA], &cookie, &why);
	if (ret < 0 || cookie != TESTCONF_REDTEAM_COOKIE_DATA)
		MISMATCH("data PASID %u: %ld, cookie %#lx", rounds,
			 held[P_DATA], ret, (unsigned long)cookie);
	ret = pasid_get_data(held[P_BOUND], &cookie, &why);
	if (ret < 0 || cookie != TESTCONF_REDTEAM_COOKIE_BOUND)
		MISMATCH("bound PASID %u: %ld, cookie %#lx", rounds,
			 held[P_BOUND], ret, (unsigned long)cookie);
	ret = pasid_get_data(held[P_PARKED], &cookie, &why);
	note_refusal(ret, &why);
	if (ret != -XEN_ENOENT || why.code != PADDOCK_PASID_R_PARKED)
		MISMATCH("parked PASID %u: %ld %s", rounds, held[P_PARKED], ret,
			 pasid_reason_str(why.code));

	/* The binding is still there: binding again is refused. */
	ret = pasid_bind(held[P_BOUND], dev, PADDOCK_BIND_SECOND_LEVEL, 0,
			 &why);
	note_refusal(ret, &why);
	if (ret != -XEN_EEXIST || why.code != PADDOCK_PASID_R_ALREADY_BOUND)
		MISMATCH("rebinding the bound PASID %u: %ld %s", rounds,
			 held[P_BOUND], ret, pasid_reason_str(why.code));

	/* LIST is not ours to call. */
	ret = pasid_list(NULL, 0, &n, &why);
	note_refusal(ret, &why);
	if (ret != -XEN_EPERM || why.code != PADDOCK_PASID_R_NOT_PRIVILEGED)
		MISMATCH("LIST: %ld %s", rounds, ret,
			 pasid_reason_str(why.code));

	/* No fault is ours: the attacker's DMA must not be filed here. */
	n = 0;
	ret = pasid_get_faults(faults, 4, &n, &why);
	if (ret < 0 || n != 0)
		MISMATCH("GET_FAULTS: %ld, %u records (first: PASID %u "
			 "device %#x address %#lx)",
			 rounds, ret, n, n ? faults[0].pasid : 0,
			 n ? faults[0].device : 0,
			 n ? (unsigned long)faults[0].address : 0ul);

	/* Memory: the sentinel pages and our image, to the byte. */
	for (unsigned i = 0; i < SENTINEL_WORDS; i++)
		if (sentinel[i] != TESTCONF_REDTEAM_SECRET) {
			MISMATCH("sentinel word %u is %#lx", rounds, i,
				 (unsigned long)sentinel[i]);
			sentinel[i] = TESTCONF_REDTEAM_SECRET;
		}
	if (sum_image() != image_sum)
		MISMATCH("the bytes of our image changed", rounds);
	return bad;
#undef SAME_FIELD
#undef MISMATCH
}

/*
 * The attack: re-check everything each round until the referee says the
 * attacker is gone (our quota becomes DONE), then once more.
 */
TEST(victim, unharmed_while_attacked)
{
	struct paddock_pasid_info q;
	struct pasid_why why;
	unsigned reported = 0, bad = 0, polls;

	ASSERT_TRUE(ready);
	for (polls = 0; polls < TESTCONF_REDTEAM_POLLS; polls++) {
		bad += check_round(&reported);
		rounds++;
		ASSERT_OK(pasid_query(&q, &why), &why);
		if (q.quota == TESTCONF_REDTEAM_VICTIM_DONE_QUOTA)
			break;
		paddock_yield();
	}
	if (polls == TESTCONF_REDTEAM_POLLS)
		FAIL("the referee never said the attack was over (%u polls)",
		     polls);
	bad += check_round(&reported);
	rounds++;
	if (bad > REPORTS)
		FAIL("%u mismatches in all", bad);
	test_note("%u rounds of checks while the attacker ran", rounds);
	/* A check that ran only before or after the attack proves little. */
	EXPECT_GE(rounds, 10);
}

TEST(victim, binding_still_carries_dma)
{
	ASSERT_TRUE(ready && mmio != NULL);
	own_dma_lands();
}

/* Let go of everything, in the order that recycles the parked PASID. */
TEST(victim, lets_go)
{
	struct paddock_pasid_info q;
	struct pasid_why why;

	ASSERT_TRUE(ready);
	EXPECT_OK(pasid_unbind(held[P_PARKED], dev, &why), &why);
	QUERY_OR_RETURN(&q);
	EXPECT_EQ(q.allocated, TESTCONF_REDTEAM_VICTIM_HELD - 1);
	EXPECT_EQ(q.parked, 0);
	EXPECT_OK(pasid_unbind(held[P_BOUND], dev, &why), &why);
	EXPECT_OK(pasid_free(held[P_BOUND], &why), &why);
	EXPECT_OK(pasid_free(held[P_DATA], &why), &why);
	EXPECT_OK(pasid_free(held[P_PLAIN], &why), &why);
	QUERY_OR_RETURN(&q);
	EXPECT_EQ(q.allocated, 0);
	EXPECT_EQ(q.bound, 0);
	EXPECT_EQ(q.faults, 0);
	EXPECT_EQ(q.refusals, refusals_total());
}
