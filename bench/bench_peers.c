/* SPDX-License-Identifier: MIT */
/*
 * The PASID manager against Linux's allocators, side by side, in one
 * process (make bench; bench/README.md, "Peers").
 *
 * For each fill (seq: one domain; rr: 64 domains round-robin; random:
 * 64 domains fill everything, then a seeded random subset is freed) and
 * occupancy (0, 50, 99 % of [1, 2^20)), Paddock is filled first; Linux's
 * IDA and an allocating xarray then hold exactly the PASIDs Paddock holds.
 * Then, batch by batch and interleaved (so that a noisy neighbour hits
 * every side alike), the bench times:
 *   ida       ida_alloc_range(1, 2^20 - 1) + ida_free
 *   xa        xa_alloc(XA_LIMIT(1, 2^20 - 1)) + xa_erase
 *   paddock   pasid_alloc + pasid_free by a domain holding one PASID
 *   newchunk  the same by a domain whose chunks are all full: each alloc
 *             needs a new chunk, which is the set's spare (the chunk the
 *             previous free emptied, kept: alloc.c), or, when no chunk is
 *             free, a free PASID in another domain's chunk
 *   poolchunk the same with spares off (pasid_mgr.no_spares, set around
 *             these batches only): each alloc claims a chunk from the
 *             pool, each free gives it back
 * and, over every held PASID in one shuffled order, xa_load against
 * pasid_lookup.  Paddock's pairs are also timed, interleaved with the
 * rest, on a second manager at 0% with the same timed domains, so that
 * the 99%/0% ratios compare batches of one time window.  Every call goes
 * through a function in another object file on both sides; nothing is allocated
 * inside a timed loop on either side (counted by wrapping malloc and
 * posix_memalign, and printed).
 */
#include "bench.h"
#include "internal.h"
#include "peer_linux.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BITS	    20
#define SPACE	    ((1u << BITS) - 1)
#define BATCH	    1000
#define NBATCH	    301
#define FILL_DOMS   64
#define PAIR_DOM    3001 /* holds one PASID: its pairs stay in its chunk */
#define NEW_DOM	    3000 /* holds full chunks: each alloc needs a new one */
#define POOL_DOM    2999 /* the same, spares off: each alloc claims one */
#define RANDOM_SEED 13

enum side {
	IDA,
	XA,
	PADDOCK,
	NEWCHUNK,
	POOLCHUNK,
	PADDOCK0, /* the same three on the 0% manager */
	NEWCHUNK0,
	POOLCHUNK0,
	NSIDES
};
static const char *const side_name[NSIDES] = {"ida",
					      "xa",
					      "paddock",
					      "paddock.newchunk",
					      "paddock.poolchunk",
					      "paddock (0%)",
					      "newchunk (0%)",
					      "poolchunk (0%)"};

static struct pasid_mgr mgr, mgr0; /* the fill's, and one at 0% */
static struct pasid_err err;
static uint32_t *held;
static uint32_t nheld;
static double samples[NSIDES][NBATCH];

#ifdef HAVE_LINUX_PEERS
static const bool peers = true;
#else
static const bool peers = false;
/* Stand-ins so that the bench links without the peers; never timed. */
void peer_init(void)
{
}
void peer_ida_reset(void)
{
}
int peer_ida_hold(uint32_t id)
{
	return (int)id * 0;
}
int64_t peer_ida_alloc(uint32_t lo, uint32_t hi)
{
	return hi * 0 + lo;
}
void peer_ida_free(uint32_t id)
{
	(void)id;
}
void peer_xa_reset(void)
{
}
int peer_xa_hold(uint32_t id)
{
	return (int)id * 0;
}
int64_t peer_xa_alloc(uint32_t lo, uint32_t hi)
{
	return hi * 0 + lo;
}
void peer_xa_erase(uint32_t id)
{
	(void)id;
}
int peer_xa_load(uint32_t id)
{
	return id != 0;
}
long peer_objects(void)
{
	return 0;
}
void peer_lock_pair(void)
{
}
#endif

/* ---- counting allocations (-Wl,--wrap=malloc,--wrap=posix_memalign) -- */

static long nmallocs;
void *__real_malloc(size_t size);
int __real_posix_memalign(void **p, size_t align, size_t size);

void *__wrap_malloc(size_t size)
{
	nmallocs++;
	return __real_malloc(size);
}

int __wrap_posix_memalign(void **p, size_t align, size_t size)
{
	nmallocs++;
	return __real_posix_memalign(p, align, size);
}

/* ---- helpers ----------------------------------------------------------- */

static void fail(const char *what)
{
	fprintf(stderr, "bench_peers: %s failed: reason %u: %s\n", what,
		err.reason, err.text);
	exit(1);
}

static void make_set(domid_t d, uint32_t quota)
{
	struct pasid_set_cfg cfg = {.domain = d, .quota = quota};

	if (pasid_set_create(&mgr, &cfg, &err) < 0)
		fail("pasid_set_create");
}

/* Round-robin over ndoms domains until `target` are held in all or every
 * domain is refused. */
static uint32_t fill_rr(unsigned ndoms, uint32_t target)
{
	uint32_t n = 0;
	bool more = true;

	while (n < target && more) {
		more = false;
		for (unsigned i = 0; i < ndoms && n < target; i++) {
			uint32_t p;

			if (pasid_alloc(&mgr, (domid_t)(1 + i), &p, &err))
				continue;
			more = true;
			n++;
		}
	}
	return n;
}

/* Every PASID held, in increasing order (each domain's owner is read
 * back with pasid_lookup). */
static void collect_held(void)
{
	nheld = 0;
	for (uint32_t p = 1; p <= SPACE; p++)
		if (pasid_lookup(&mgr, p).state != PASID_FREE)
			held[nheld++] = p;
}

/* Frees a seeded random subset of what is held, down to `target`. */
static void free_random(uint32_t target)
{
	collect_held();
	shuffle(held, nheld, RANDOM_SEED);
	while (nheld > target) {
		uint32_t p = held[--nheld];

		if (pasid_free(&mgr, pasid_lookup(&mgr, p).domain, p, &err))
			fail("random free");
	}
}

static void fill(const char *how, uint32_t target)
{
	for (unsigned i = 0; i < FILL_DOMS; i++)
		make_set((domid_t)(1 + i), SPACE);
	if (!strcmp(how, "seq"))
		fill_rr(1, target);
	else if (!strcmp(how, "rr"))
		fill_rr(FILL_DOMS, target);
	else {
		fill_rr(FILL_DOMS, SPACE);
		free_random(target);
	}
}

/* The timed domains of manager m: PAIR_DOM holds one PASID, NEW_DOM and
 * POOL_DOM full chunks (at least one), so that their next alloc needs a
 * new chunk. */
static void timed_domains(struct pasid_mgr *m)
{
	static const domid_t full[] = {NEW_DOM, POOL_DOM};
	struct pasid_set_cfg cfg = {.quota = SPACE};
	uint32_t p;

	for (unsigned i = 0; i < 2; i++) {
		struct pasid_set *s;

		cfg.domain = full[i];
		if (pasid_set_create(m, &cfg, &err) < 0)
			fail("pasid_set_create");
		s = pasid_set_of(m, full[i]);
		do {
			if (pasid_alloc(m, full[i], &p, &err))
				fail("newchunk domain setup");
		} while (s->room_head != CHUNK_NONE);
	}
	cfg.domain = PAIR_DOM;
	if (pasid_set_create(m, &cfg, &err) < 0 ||
	    pasid_alloc(m, PAIR_DOM, &p, &err))
		fail("pair domain setup");
}

static long long heap_now(void)
{
	return (long long)mallinfo2().uordblks;
}

/* The peers hold exactly held[]; returns their bytes (glibc's heap). */
static void peers_hold(long long *ida_bytes, long long *xa_bytes)
{
	long long b0 = heap_now();

	for (uint32_t i = 0; i < nheld; i++)
		if (peer_ida_hold(held[i]))
			fail("ida hold");
	*ida_bytes = heap_now() - b0;
	b0 = heap_now();
	for (uint32_t i = 0; i < nheld; i++)
		if (peer_xa_hold(held[i]))
			fail("xa hold");
	*xa_bytes = heap_now() - b0;
}

/* ---- the timed loops ---------------------------------------------------- */

static int pairs(enum side s)
{
	int bad = 0;

	for (int i = 0; i < BATCH; i++) {
		int64_t id;
		uint32_t p;

		switch (s) {
		case IDA:
			id = peer_ida_alloc(1, SPACE);
			bad |= id < 0;
			peer_ida_free((uint32_t)id);
			break;
		case XA:
			id = peer_xa_alloc(1, SPACE);
			bad |= id < 0;
			peer_xa_erase((uint32_t)id);
			break;
		case PADDOCK:
		case NEWCHUNK:
		case POOLCHUNK:
		case PADDOCK0:
		case NEWCHUNK0:
		case POOLCHUNK0: {
			static const domid_t dom[] = {PAIR_DOM, NEW_DOM,
						      POOL_DOM};
			struct pasid_mgr *m = s >= PADDOCK0 ? &mgr0 : &mgr;
			domid_t d = dom[(s - PADDOCK) % 3];

			bad |= pasid_alloc(m, d, &p, &err);
			bad |= pasid_free(m, d, p, &err);
			break;
		}
		default:
			break;
		}
	}
	return bad;
}

static int lookups(enum side s, const uint32_t *order, uint32_t n,
		   uint32_t *pos)
{
	int bad = 0;

	for (int i = 0; i < BATCH; i++) {
		if (s == XA)
			bad |= !peer_xa_load(order[*pos]);
		else
			bad |= pasid_lookup(&mgr, order[*pos]).state ==
			       PASID_FREE;
		if (++*pos == n)
			*pos = 0;
	}
	return bad;
}

/* One batch of side s, spares off for the pool-path sides. */
static int side_batch(enum side s)
{
	bool pool = s == POOLCHUNK || s == POOLCHUNK0;
	int bad;

	mgr.no_spares = mgr0.no_spares = pool;
	bad = pairs(s);
	mgr.no_spares = mgr0.no_spares = false;
	return bad;
}

/* One warm-up batch per side (leaves, nodes, caches), then NBATCH
 * batches of every side in turn; medians into med[]. */
static void time_pairs(double med[NSIDES], long allocs[NSIDES])
{
	for (unsigned s = 0; s < NSIDES; s++)
		if ((s >= PADDOCK || peers) && side_batch(s))
			fail(side_name[s]);
	for (int b = 0; b < NBATCH; b++) {
		for (unsigned s = 0; s < NSIDES; s++) {
			long m0 = nmallocs;
			double t0;
			int bad;

			if (!peers && (s == IDA || s == XA))
				continue;
			t0 = now_ns();
			bad = side_batch(s);
			samples[s][b] = (now_ns() - t0) / BATCH;
			allocs[s] += nmallocs - m0;
			if (bad)
				fail(side_name[s]);
		}
	}
	for (unsigned s = 0; s < NSIDES; s++)
		med[s] = peers || s >= PADDOCK ? median(samples[s], NBATCH) : 0;
}

static void time_lookups(double *xa, double *pd)
{
	uint32_t *order = malloc(nheld * sizeof(*order));
	uint32_t pos_xa = 0, pos_pd = 0;

	memcpy(order, held, nheld * sizeof(*order));
	shuffle(order, nheld, 42);
	for (int b = 0; b < NBATCH; b++) {
		double t0 = now_ns();

		if (peers && lookups(XA, order, nheld, &pos_xa))
			fail("xa_load of a held id");
		samples[XA][b] = (now_ns() - t0) / BATCH;
		t0 = now_ns();
		if (lookups(PADDOCK, order, nheld, &pos_pd))
			fail("pasid_lookup of a held PASID");
		samples[PADDOCK][b] = (now_ns() - t0) / BATCH;
	}
	*xa = peers ? median(samples[XA], NBATCH) : 0;
	*pd = median(samples[PADDOCK], NBATCH);
	free(order);
}

/* ---- one fill at one occupancy ------------------------------------------ */

static void line(const char *name, const char *fill, unsigned occ, double v,
		 const char *unit)
{
	printf("bench: %s.%s.occ%u %.*f %s\n", name, fill, occ,
	       strcmp(unit, "ratio") ? 1 : 2, v, unit);
}

static void run(const char *how, unsigned occ)
{
	uint32_t target = (uint32_t)((uint64_t)SPACE * occ / 100);
	double med[NSIDES], lk_xa, lk_pd;
	long allocs[NSIDES] = {0};
	long long fixed, ida_bytes = 0, xa_bytes = 0, pd_bytes;
	struct paddock_pasid_info info, pool_info;

	if (pasid_mgr_init(&mgr, BITS, 16, &err) < 0)
		fail("pasid_mgr_init");
	fixed = bench_heap_bytes();
	fill(how, target > 17 ? target - 17 : 0);
	timed_domains(&mgr);
	pd_bytes = bench_heap_bytes() - fixed;
	if (pasid_mgr_init(&mgr0, BITS, 16, &err) < 0)
		fail("pasid_mgr_init");
	timed_domains(&mgr0);
	collect_held();
	if (peers)
		peers_hold(&ida_bytes, &xa_bytes);
	time_pairs(med, allocs);
	time_lookups(&lk_xa, &lk_pd);
	pasid_query(&mgr, NEW_DOM, &info);
	pasid_query(&mgr, POOL_DOM, &pool_info);
	printf("# peers %s occ%u: %u held; allocations inside the timed "
	       "loops: ida %ld, xa %ld, paddock %ld, newchunk %ld, "
	       "poolchunk %ld; fallbacks of the newchunk domain %u, of the "
	       "poolchunk domain %u; Paddock's pairs on the 0%% manager in "
	       "the same batches: %.1f, %.1f, %.1f ns\n",
	       how, occ, nheld, allocs[IDA], allocs[XA], allocs[PADDOCK],
	       allocs[NEWCHUNK], allocs[POOLCHUNK], info.fallbacks,
	       pool_info.fallbacks, med[PADDOCK0], med[NEWCHUNK0],
	       med[POOLCHUNK0]);
	if (peers) {
		line("peer.ida.alloc_free", how, occ, med[IDA], "ns");
		line("peer.xa.alloc_free", how, occ, med[XA], "ns");
		line("peer.xa.lookup", how, occ, lk_xa, "ns");
	}
	line("paddock.alloc_free", how, occ, med[PADDOCK], "ns");
	line("paddock.alloc_free.newchunk", how, occ, med[NEWCHUNK], "ns");
	line("paddock.alloc_free.poolchunk", how, occ, med[POOLCHUNK], "ns");
	line("paddock.lookup", how, occ, lk_pd, "ns");
	if (peers) {
		line("ratio.ida_over_paddock", how, occ,
		     med[IDA] / med[PADDOCK], "ratio");
		line("ratio.ida_over_paddock.newchunk", how, occ,
		     med[IDA] / med[NEWCHUNK], "ratio");
		line("ratio.ida_over_paddock.poolchunk", how, occ,
		     med[IDA] / med[POOLCHUNK], "ratio");
		line("ratio.xa_over_paddock.lookup", how, occ, lk_xa / lk_pd,
		     "ratio");
	}
	if (occ == 99) {
		printf("bench: paddock.alloc_free.ratio99_0.%s %.2f ratio\n",
		       how, med[PADDOCK] / med[PADDOCK0]);
		printf("bench: paddock.alloc_free.newchunk.ratio99_0.%s %.2f "
		       "ratio\n",
		       how, med[NEWCHUNK] / med[NEWCHUNK0]);
		printf("bench: paddock.alloc_free.poolchunk.ratio99_0.%s %.2f "
		       "ratio\n",
		       how, med[POOLCHUNK] / med[POOLCHUNK0]);
		if (peers) {
			line("peer.ida.bytes_per_id", how, occ,
			     (double)ida_bytes / nheld, "bytes");
			line("peer.xa.bytes_per_id", how, occ,
			     (double)xa_bytes / nheld, "bytes");
		}
		line("paddock.bytes_per_id", how, occ, (double)pd_bytes / nheld,
		     "bytes");
	}
	if (peers) {
		peer_ida_reset();
		peer_xa_reset();
	}
	pasid_mgr_fini(&mgr0);
	pasid_mgr_fini(&mgr);
}

static double lock_pair_ns(bool linux_lock)
{
	struct spinlock l = SPINLOCK_INIT;

	for (int b = 0; b < NBATCH; b++) {
		double t0 = now_ns();

		for (int i = 0; i < BATCH; i++) {
			if (linux_lock) {
				peer_lock_pair();
			} else {
				spin_lock(&l);
				spin_unlock(&l);
			}
		}
		samples[0][b] = (now_ns() - t0) / BATCH;
	}
	return median(samples[0], NBATCH);
}

int main(void)
{
	static const char *const fills[] = {"seq", "rr", "random"};
	static const unsigned occs[] = {0, 50, 99};
	FILE *why;
	char reason[256] = "";

	held = malloc((SPACE + 1) * sizeof(*held));
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!peers) {
		why = fopen(PEER_UNAVAILABLE, "r");
		if (why && fgets(reason, sizeof(reason), why))
			reason[strcspn(reason, "\n")] = '\0';
		if (why)
			fclose(why);
		printf("# peers: Linux's IDA and xarray are not available "
		       "(%s): "
		       "the peer.* and ratio.* lines are missing; Paddock's "
		       "lines follow\n",
		       reason);
	} else {
		peer_init();
		printf("# peers: Linux 6.1 lib/idr.c, lib/xarray.c, "
		       "lib/radix-tree.c unchanged, XA_CHUNK_SHIFT 6, built "
		       "with the same compiler at -O2 against "
		       "tools/testing/radix-tree's shims: spin_lock is a "
		       "pthread mutex, RCU is liburcu; Paddock's side takes "
		       "its own spinlock.  One lock+unlock pair: pthread "
		       "mutex %.1f ns, Paddock spinlock %.1f ns\n",
		       lock_pair_ns(true), lock_pair_ns(false));
	}
	for (unsigned f = 0; f < 3; f++)
		for (unsigned o = 0; o < 3; o++)
			run(fills[f], occs[o]);
	free(held);
	return 0;
}
