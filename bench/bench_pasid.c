/* SPDX-License-Identifier: MIT */
/*
 * Host-side benchmarks of the PASID manager and the hypercall dispatcher
 * (make bench).  Every figure is printed as "bench: NAME VALUE UNIT";
 * lines starting with '#' say how it was measured.  See bench/README.md.
 *
 * Timings: clock_gettime(CLOCK_MONOTONIC) around batches of BATCH
 * operations, NBATCH batches, the median batch divided by BATCH.  Both
 * sides of every ratio come from this one run.
 */
#include "bench.h"
#include "internal.h" /* struct pasid_set: to set up the chunk states */

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xen/errno.h>

#define BITS	    20
#define SPACE	    ((1u << BITS) - 1) /* PASIDs 1 .. 2^20 - 1 */
#define BATCH	    1000
#define NBATCH	    1001
#define FILL_DOMS   64	 /* domains 1..64 fill the space round-robin */
#define TIMED_DOM   3000 /* alloc+free pairs that claim a chunk */
#define INCHUNK_DOM 3001 /* alloc+free pairs inside a chunk with room */
#define META_DOMS   1024 /* realistic fill: 1024 domains x 16 PASIDs */
#define META_PER    16

static struct pasid_mgr mgr;
static struct pasid_mgr ref; /* at 0 %: timed in the same batches */
static struct pasid_err err;
static uint32_t *held; /* PASIDs allocated by the fill, in order */
static uint32_t nheld;
static double samples[NBATCH];

static void fail(const char *what)
{
	fprintf(stderr, "bench: %s failed: reason %u: %s\n", what, err.reason,
		err.text);
	exit(1);
}

static void mgr_init(void)
{
	if (pasid_mgr_init(&mgr, BITS, 16, &err) < 0)
		fail("pasid_mgr_init");
}

static void make_set(domid_t d, uint32_t quota)
{
	struct pasid_set_cfg cfg = {.domain = d, .quota = quota};

	if (pasid_set_create(&mgr, &cfg, &err) < 0)
		fail("pasid_set_create");
}

/* Allocates round-robin over domains first..first+ndoms-1 (one PASID each
 * per round) until `target` PASIDs are held or every domain is refused.
 * Records the PASIDs in held[]; with per_dom, also in per_dom[d][round]. */
static void fill(domid_t first, unsigned ndoms, uint64_t target,
		 uint32_t (*per_dom)[META_PER])
{
	bool *full = calloc(ndoms, sizeof(*full));
	unsigned nfull = 0;

	for (uint32_t round = 0; nheld < target && nfull < ndoms; round++) {
		for (unsigned i = 0; i < ndoms && nheld < target; i++) {
			uint32_t p;

			if (full[i])
				continue;
			if (pasid_alloc(&mgr, (domid_t)(first + i), &p, &err)) {
				if (err.reason != PADDOCK_PASID_R_SPACE &&
				    err.reason != PADDOCK_PASID_R_QUOTA)
					fail("fill: pasid_alloc");
				full[i] = true;
				nfull++;
				continue;
			}
			held[nheld++] = p;
			if (per_dom)
				per_dom[i][round] = p;
		}
	}
	free(full);
}

/* ---- alloc + free at an occupancy ------------------------------------ */

static double batch_pairs(struct pasid_mgr *m, domid_t d)
{
	int rc = 0;
	double t0 = now_ns();

	for (int i = 0; i < BATCH; i++) {
		uint32_t p;

		rc |= pasid_alloc(m, d, &p, &err);
		rc |= pasid_free(m, d, p, &err);
	}
	if (rc)
		fail("timed alloc/free");
	return (now_ns() - t0) / BATCH;
}

static double time_pairs(domid_t d)
{
	for (int b = 0; b < NBATCH; b++)
		samples[b] = batch_pairs(&mgr, d);
	return median(samples, NBATCH);
}

/* d's pairs on mgr and on ref, batch by batch in turn; the medians. */
static double time_pairs_against_ref(domid_t d, double *on_ref)
{
	static double ref_samples[NBATCH];

	for (int b = 0; b < NBATCH; b++) {
		samples[b] = batch_pairs(&mgr, d);
		ref_samples[b] = batch_pairs(&ref, d);
	}
	*on_ref = median(ref_samples, NBATCH);
	return median(samples, NBATCH);
}

/* Lookups in random order over held[0..n): pasid_lookup() (what fault
 * routing uses) when `pin` is false, else get + put per PASID. */
static double time_lookups(uint32_t n, bool pin)
{
	uint32_t *order = malloc(n * sizeof(*order));
	uint32_t pos = 0;

	memcpy(order, held, n * sizeof(*order));
	shuffle(order, n, 42);
	for (int b = 0; b < NBATCH; b++) {
		uintptr_t bad = 0;
		double t0 = now_ns();

		for (int i = 0; i < BATCH; i++) {
			if (pin) {
				struct pasid_record *r =
					pasid_lookup_get(&mgr, order[pos]);

				bad |= !r;
				if (r)
					pasid_put(&mgr, order[pos]);
			} else {
				bad |= pasid_lookup(&mgr, order[pos]).state ==
				       PASID_FREE;
			}
			if (++pos == n)
				pos = 0;
		}
		samples[b] = (now_ns() - t0) / BATCH;
		if (bad)
			fail("lookup of an allocated PASID");
	}
	free(order);
	return median(samples, NBATCH);
}

/* The hardware floor of time_lookups(): the same random order over a
 * plain array, one compare-exchange and one fetch-sub per element. */
static double time_floor(uint32_t n)
{
	uint32_t *order = malloc(n * sizeof(*order));
	atomic_uint *ctr = calloc(n, sizeof(*ctr));
	uint32_t pos = 0;

	for (uint32_t i = 0; i < n; i++) {
		order[i] = i;
		atomic_init(&ctr[i], 1);
	}
	shuffle(order, n, 42);
	for (int b = 0; b < NBATCH; b++) {
		double t0 = now_ns();

		for (int i = 0; i < BATCH; i++) {
			atomic_uint *c = &ctr[order[pos]];
			unsigned v =
				atomic_load_explicit(c, memory_order_relaxed);

			while (!atomic_compare_exchange_weak_explicit(
				c, &v, v + 1, memory_order_acquire,
				memory_order_relaxed))
				;
			atomic_fetch_sub_explicit(c, 1, memory_order_acq_rel);
			if (++pos == n)
				pos = 0;
		}
		samples[b] = (now_ns() - t0) / BATCH;
	}
	free(ctr);
	free(order);
	return median(samples, NBATCH);
}

struct occ_result {
	double claim, claim_ref, inchunk, lookup;
	uint32_t held;
};

/* d takes PASIDs on m until every chunk it holds is full. */
static void fill_chunks(struct pasid_mgr *m, domid_t d)
{
	struct pasid_set *t = pasid_set_of(m, d);
	uint32_t p;

	do {
		if (pasid_alloc(m, d, &p, &err))
			fail("timed domain setup");
		if (m == &mgr)
			held[nheld++] = p;
	} while (t->room_head != CHUNK_NONE);
}

/*
 * One occupancy: a fresh manager; TIMED_DOM holds exactly full chunks, so
 * each timed alloc claims a chunk from the pool and each free gives it
 * back (the path whose cost could depend on occupancy); INCHUNK_DOM holds
 * one PASID, so its pairs stay inside a chunk with room.  FILL_DOMS
 * domains fill the rest round-robin to the occupancy.
 */
static struct occ_result run_occupancy(unsigned pct, bool lookups)
{
	struct occ_result res = {0};
	uint64_t target = (uint64_t)SPACE * pct / 100;
	struct pasid_set *t;
	uint32_t p;

	nheld = 0;
	mgr_init();
	/* No spare chunks: every timed alloc claims from the pool. */
	mgr.no_spares = true;
	for (unsigned i = 0; i < FILL_DOMS; i++)
		make_set((domid_t)(1 + i), SPACE);
	make_set(TIMED_DOM, SPACE);
	make_set(INCHUNK_DOM, SPACE);
	fill(1, FILL_DOMS, target > 17 ? target - 17 : 0, NULL);
	t = pasid_set_of(&mgr, TIMED_DOM);
	fill_chunks(&mgr, TIMED_DOM);
	if (pasid_alloc(&mgr, INCHUNK_DOM, &p, &err))
		fail("in-chunk domain setup");
	held[nheld++] = p;
	res.held = nheld;
	/* The same timed domain on an empty manager, in the same batches:
	 * ratio99_0 then compares one time window. */
	if (pasid_mgr_init(&ref, BITS, 16, &err) < 0 ||
	    pasid_set_create(&ref,
			     &(struct pasid_set_cfg){.domain = TIMED_DOM,
						     .quota = SPACE},
			     &err) < 0)
		fail("reference manager");
	ref.no_spares = true;
	fill_chunks(&ref, TIMED_DOM);
	res.claim = time_pairs_against_ref(TIMED_DOM, &res.claim_ref);
	pasid_mgr_fini(&ref);
	if (t->nchunks != 1 || t->room_head != CHUNK_NONE)
		fail("timed domain no longer on the chunk-claim path");
	res.inchunk = time_pairs(INCHUNK_DOM);
	if (lookups)
		res.lookup = time_lookups(nheld, false);
	pasid_mgr_fini(&mgr);
	return res;
}

/* ---- metadata bytes ---------------------------------------------------- */

/*
 * META_DOMS domains with the given quota each take META_PER PASIDs,
 * interleaved.  Fixed part: the heap right after pasid_mgr_init(bits=20):
 * record-leaf index, chunk array, pool bitmaps, the hypervisor's set; and
 * per domain, its struct pasid_set (measured as the heap the set
 * creations take, and printed).  Everything else the heap then holds
 * (record leaves, their extras) is divided by the PASIDs held.  Then,
 * quotas raised, the same domains fill the space until it is full: the
 * full-occupancy figure.
 */
static void meta_bytes(uint32_t quota, const char *suffix, bool lookups)
{
	long long fixed, fixed_req, sets, after;

	nheld = 0;
	mgr_init();
	fixed = bench_heap_bytes();
	fixed_req = bench_heap_requested();
	for (unsigned i = 0; i < META_DOMS; i++)
		make_set((domid_t)(1 + i), quota);
	sets = bench_heap_bytes() - fixed;
	fill(1, META_DOMS, (uint64_t)META_DOMS * META_PER, NULL);
	after = bench_heap_bytes();
	printf("# meta%s: %u domains x %u PASIDs (quota %u each), "
	       "interleaved; fixed part: the heap right after "
	       "pasid_mgr_init (bits=20: leaf index, chunk array, pool "
	       "bitmaps, hypervisor set) %lld bytes as the hypervisor heap "
	       "charges them (64-byte rounding + 64-byte header; %lld "
	       "requested), plus %.0f bytes per domain (its set); per PASID: "
	       "%.1f requested\n",
	       suffix, META_DOMS, META_PER, quota, fixed, fixed_req,
	       (double)sets / META_DOMS,
	       (double)(bench_heap_requested() - fixed_req - sets) / nheld);
	printf("bench: pasid.meta_bytes%s %.1f bytes\n", suffix,
	       (double)(after - fixed - sets) / nheld);
	printf("bench: pasid.set_bytes%s %.1f bytes\n", suffix,
	       (double)sets / META_DOMS);
	printf("bench: pasid.meta_bytes%s.with_sets %.1f bytes\n", suffix,
	       (double)(after - fixed) / nheld);
	if (lookups) {
		printf("# lookup: pasid_lookup() (owner + state, as fault "
		       "routing uses it) on the %u PASIDs above, random order; "
		       "lookup_get: pasid_lookup_get()+pasid_put(), which pin "
		       "the record; floor_2rmw: the same order over a plain "
		       "array of counters, one compare-exchange + one "
		       "fetch-sub each (the two atomics get+put cannot "
		       "avoid)\n",
		       nheld);
		printf("bench: pasid.lookup %.1f ns\n",
		       time_lookups(nheld, false));
		printf("bench: pasid.lookup_get %.1f ns\n",
		       time_lookups(nheld, true));
		printf("bench: pasid.lookup.floor_2rmw %.1f ns\n",
		       time_floor(nheld));
	}
	for (unsigned i = 0; i < META_DOMS; i++)
		if (pasid_set_quota(&mgr, (domid_t)(1 + i), SPACE, &err))
			fail("pasid_set_quota");
	fill(1, META_DOMS, SPACE, NULL);
	after = bench_heap_bytes();
	printf("# meta%s.full: then every domain fills until the space is "
	       "full: %u PASIDs held, same fixed part\n",
	       suffix, nheld);
	printf("bench: pasid.meta_bytes%s.full %.1f bytes\n", suffix,
	       (double)(after - fixed - sets) / nheld);
	pasid_mgr_fini(&mgr);
}

/* ---- two domains on two threads ---------------------------------------- */

#define SCALE_PAIRS  100000 /* per thread per step: a few ms */
#define SCALE_ROUNDS 41

/* What a thread runs in one step of a round. */
enum scale_work {
	SCALE_SPIN,	/* keeps its CPU busy on its own line, untimed */
	SCALE_PAIRS_ON, /* alloc+free pairs on (manager, domain) */
	SCALE_FLOOR,	/* the pairs' locked operations alone */
	SCALE_QUIT,
};

struct scale_task {
	enum scale_work work;
	struct pasid_mgr *mgr;
	domid_t domain;
	atomic_uint *line; /* the thread's own cache lines */
};

/*
 * The main thread is one side of every step; the other side is a thread
 * that lives for the whole measurement and never sleeps.  Between steps
 * and while it sits a step out it spins, each time on lines only it
 * touches, so that neither virtual CPU is ever idle: an idle one may be
 * descheduled by the host and start the next step late, which once made
 * the steps after a solo one look slower than the rest.
 */
static struct {
	_Alignas(64) atomic_uint step; /* bumped by main: a step starts */
	_Alignas(64) atomic_uint done; /* = step: the other side finished */
	_Alignas(64) atomic_uint stop; /* main finished a solo step */
	_Alignas(64) struct scale_task task; /* the other side's step */
	double ns;
} scale;

/* What the machine allows: per pair, the locked operations an in-chunk
 * alloc+free cannot avoid (two lock/unlock pairs, one compare-exchange,
 * one fetch-sub), each thread on cache lines of its own. */
static void floor_pairs(atomic_uint *l)
{
	for (int i = 0; i < SCALE_PAIRS; i++) {
		unsigned zero = 0;

		for (int k = 0; k < 2; k++) {
			while (atomic_exchange_explicit(&l[0], 1,
							memory_order_acquire))
				;
			atomic_store_explicit(&l[0], 0, memory_order_release);
		}
		atomic_compare_exchange_strong(&l[16], &zero, 0);
		atomic_fetch_sub_explicit(&l[32], 1, memory_order_acq_rel);
	}
}

static void alloc_free_pairs(struct pasid_mgr *m, domid_t domain)
{
	struct pasid_err e;
	int rc = 0;

	for (int i = 0; i < SCALE_PAIRS; i++) {
		uint32_t p;

		rc |= pasid_alloc(m, domain, &p, &e);
		rc |= pasid_free(m, domain, p, &e);
	}
	if (rc)
		fail("scaling pairs");
}

/* Spins on the thread's own line until `until` is set. */
static void spin_until(atomic_uint *own, atomic_uint *until)
{
	while (!atomic_load_explicit(until, memory_order_acquire))
		atomic_fetch_add_explicit(own, 1, memory_order_relaxed);
}

/* One step's work; its time in ns. */
static double scale_run(const struct scale_task *t)
{
	double t0 = now_ns();

	if (t->work == SCALE_PAIRS_ON)
		alloc_free_pairs(t->mgr, t->domain);
	else if (t->work == SCALE_FLOOR)
		floor_pairs(t->line);
	else
		spin_until(&t->line[48], &scale.stop);
	return now_ns() - t0;
}

static void *scale_other_side(void *unused)
{
	unsigned seen = 0;

	for (;;) {
		struct scale_task t;

		while (atomic_load_explicit(&scale.step,
					    memory_order_acquire) == seen)
			; /* between steps: spins on a line main rarely writes
			   */
		seen++;
		t = scale.task;
		if (t.work == SCALE_QUIT)
			return NULL;
		scale.ns = scale_run(&t);
		atomic_store_explicit(&scale.done, seen, memory_order_release);
	}
}

/* Runs one step, main's task and the other side's at once, and returns
 * its wall time: the slower side's (a spinning side does not count). */
static double scale_step(struct scale_task mine, struct scale_task other)
{
	unsigned step = atomic_load(&scale.step) + 1;
	double ns;

	scale.task = other;
	atomic_store(&scale.stop, 0);
	atomic_store_explicit(&scale.step, step, memory_order_release);
	if (other.work == SCALE_QUIT)
		return 0;
	ns = scale_run(&mine);
	atomic_store_explicit(&scale.stop, 1, memory_order_release);
	while (atomic_load_explicit(&scale.done, memory_order_acquire) != step)
		;
	return other.work == SCALE_SPIN || scale.ns < ns ? ns : scale.ns;
}

static void scale_domains(struct pasid_mgr *m, domid_t first, domid_t last)
{
	uint32_t p;

	for (domid_t d = first; d <= last; d++) {
		struct pasid_set_cfg cfg = {.domain = d, .quota = SPACE};

		/* One PASID held: the pairs stay inside its chunk. */
		if (pasid_set_create(m, &cfg, &err) < 0 ||
		    pasid_alloc(m, d, &p, &err))
			fail("scaling setup");
	}
}

/* The median over the rounds of each round's throughput ratio: two solo
 * pairs' time over the two threads' wall time, steps a few ms apart. */
static double median_ratio(const double *solo, const double *two)
{
	double r[SCALE_ROUNDS];

	for (int i = 0; i < SCALE_ROUNDS; i++)
		r[i] = 2.0 * solo[i] / two[i];
	return median(r, SCALE_ROUNDS);
}

/*
 * Throughput of alloc+free pairs: two threads, each on its own domain of
 * one manager, over one thread on one domain.  Each domain holds one
 * PASID, so its pairs stay in its own chunk and take no lock but its own
 * set's.  Two controls run in the same rounds: the same pairs on two
 * separate managers (nothing in common at all: what this code gets from
 * two CPUs here), and the pairs' locked operations alone on private
 * cache lines (the floor).  The steps of a round are interleaved, a few
 * ms each, so that a ratio compares steps run under the same load.
 */
static void scaling(void)
{
	static struct pasid_mgr other; /* for the nothing-shared control */
	static _Alignas(64) atomic_uint lines[2][64];
	struct scale_task spin = {SCALE_SPIN, NULL, 0, lines[1]};
	struct scale_task on1 = {SCALE_PAIRS_ON, &mgr, 1, lines[0]};
	struct scale_task on2 = {SCALE_PAIRS_ON, &mgr, 2, lines[1]};
	struct scale_task apart = {SCALE_PAIRS_ON, &other, 1, lines[1]};
	struct scale_task floor0 = {SCALE_FLOOR, NULL, 0, lines[0]};
	struct scale_task floor1 = {SCALE_FLOOR, NULL, 0, lines[1]};
	struct scale_task quit = {SCALE_QUIT, NULL, 0, NULL};
	double solo[SCALE_ROUNDS], shared[SCALE_ROUNDS], two_mgrs[SCALE_ROUNDS];
	double fsolo[SCALE_ROUNDS], ftwo[SCALE_ROUNDS];
	double r_shared, r_apart, r_floor;
	pthread_t thread;

	mgr_init();
	if (pasid_mgr_init(&other, BITS, 16, &err) < 0)
		fail("pasid_mgr_init");
	scale_domains(&mgr, 1, 2);
	scale_domains(&other, 1, 1);
	if (pthread_create(&thread, NULL, scale_other_side, NULL))
		fail("pthread_create");
	for (int r = 0; r < SCALE_ROUNDS; r++) {
		/* The three pair steps take turns at going first, so that
		 * none is always the one after a given other. */
		for (int k = 0; k < 3; k++) {
			int which = (r + k) % 3;

			if (which == 0)
				solo[r] = scale_step(on1, spin);
			else if (which == 1)
				shared[r] = scale_step(on1, on2);
			else
				two_mgrs[r] = scale_step(on1, apart);
		}
		fsolo[r] = scale_step(floor0, spin);
		ftwo[r] = scale_step(floor0, floor1);
	}
	scale_step(quit, quit);
	pthread_join(thread, NULL);
	pasid_mgr_fini(&other);
	pasid_mgr_fini(&mgr);
	/* The ratios first: median() sorts in place. */
	r_shared = median_ratio(solo, shared);
	r_apart = median_ratio(solo, two_mgrs);
	r_floor = median_ratio(fsolo, ftwo);
	printf("# scaling: %d rounds, each interleaving five steps of %d "
	       "alloc+free pairs per thread: one thread on one domain (the "
	       "other CPU spinning on its own line); two threads on two "
	       "domains of one manager; two threads on two managers (nothing "
	       "shared); the floor (the pairs' locked operations alone, "
	       "private lines) on one and on two threads; the first three "
	       "take turns at going first. Neither thread ever sleeps. Each "
	       "figure is the median of the rounds' "
	       "throughput ratios; ns per pair, median: one thread %.1f, two "
	       "threads %.1f\n",
	       SCALE_ROUNDS, SCALE_PAIRS,
	       median(solo, SCALE_ROUNDS) / SCALE_PAIRS,
	       median(shared, SCALE_ROUNDS) / (2.0 * SCALE_PAIRS));
	printf("bench: pasid.alloc_free.threads2_vs_1 %.2f ratio\n", r_shared);
	printf("bench: pasid.alloc_free.threads2_vs_1.nothing_shared %.2f "
	       "ratio\n",
	       r_apart);
	printf("bench: pasid.alloc_free.threads2_vs_1.floor %.2f ratio\n",
	       r_floor);
}

/* ---- VT-d PASID-table memory ------------------------------------------ */

/*
 * Model (VT-d 4.x 9.4/9.5): per device, a PASID directory of 2^(PDTS+7)
 * 8-byte entries, each covering 64 PASIDs, sized to the device's highest
 * bound PASID and counted as at least a 4 KiB page (the directory pointer
 * is 4 KiB aligned), plus 4 KiB per 64-entry leaf table holding at least
 * one bound PASID.  Minimum per device: one 4 KiB directory page plus
 * ceil(16 / 64) = 1 leaf.
 */
static uint64_t device_table_bytes(const uint32_t *p, unsigned n)
{
	uint32_t max = 0, leaves[META_PER];
	unsigned nleaves = 0;
	uint64_t entries = 128, dir;

	for (unsigned i = 0; i < n; i++) {
		bool seen = false;

		if (p[i] > max)
			max = p[i];
		for (unsigned j = 0; j < nleaves; j++)
			seen |= leaves[j] == p[i] / 64;
		if (!seen)
			leaves[nleaves++] = p[i] / 64;
	}
	while (entries * 64 <= max)
		entries *= 2;
	dir = entries * 8 < 4096 ? 4096 : entries * 8;
	return dir + 4096ull * nleaves;
}

static uint64_t tables_bytes(uint32_t (*per_dom)[META_PER])
{
	uint64_t total = 0;

	for (unsigned d = 0; d < META_DOMS; d++)
		total += device_table_bytes(per_dom[d], META_PER);
	return total;
}

/* The manager's own policy, META_DOMS domains interleaved. */
static uint64_t clustered_bytes(uint32_t quota, uint32_t (*per_dom)[META_PER])
{
	nheld = 0;
	mgr_init();
	for (unsigned i = 0; i < META_DOMS; i++)
		make_set((domid_t)(1 + i), quota);
	fill(1, META_DOMS, (uint64_t)META_DOMS * META_PER, per_dom);
	pasid_mgr_fini(&mgr);
	return tables_bytes(per_dom);
}

static void vtd_tables(void)
{
	static uint32_t per_dom[META_DOMS][META_PER];
	static uint64_t used[(SPACE + 64) / 64];
	uint64_t min = META_DOMS * (4096ull + 4096ull * ((META_PER + 63) / 64));
	uint64_t clustered, bigquota, firstfit;

	clustered = clustered_bytes(META_PER, per_dom);
	bigquota = clustered_bytes(SPACE, per_dom);
	/* Naive global first fit: the lowest free PASID system-wide. */
	memset(used, 0, sizeof(used));
	used[0] = 1; /* PASID 0 is reserved */
	for (unsigned round = 0; round < META_PER; round++) {
		for (unsigned d = 0; d < META_DOMS; d++) {
			uint32_t w = 0;

			while (used[w] == ~0ull)
				w++;
			per_dom[d][round] =
				w * 64 + (uint32_t)__builtin_ctzll(~used[w]);
			used[w] |= 1ull << (per_dom[d][round] % 64);
		}
	}
	firstfit = tables_bytes(per_dom);
	printf("# vtd: %u domains x %u PASIDs, one device each, interleaved "
	       "round-robin; model in bench/README.md; format minimum %llu "
	       "bytes; clustered (quota %u each) %llu, clustered with quota "
	       "2^20 each %llu, global first fit %llu\n",
	       META_DOMS, META_PER, (unsigned long long)min, META_PER,
	       (unsigned long long)clustered, (unsigned long long)bigquota,
	       (unsigned long long)firstfit);
	printf("bench: vtd.table_mem_ratio.clustered %.3f ratio\n",
	       (double)clustered / (double)min);
	printf("bench: vtd.table_mem_ratio.clustered.bigquota %.3f ratio\n",
	       (double)bigquota / (double)min);
	printf("bench: vtd.table_mem_ratio.firstfit %.3f ratio\n",
	       (double)firstfit / (double)min);
}

/* ---- the dispatcher ---------------------------------------------------- */

#define GUEST_BASE 0x40000000ull

static void hcall_alloc(void)
{
	struct fake_domain f;
	struct domain *doms[2];
	struct hv_system sys = {.pasids = &mgr, .domains = doms, .ndomains = 2};
	struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_ALLOC};
	const uint64_t args[5] = {GUEST_BASE, sizeof(op)};
	static uint32_t got[BATCH];

	mgr_init();
	make_set(1, SPACE);
	fake_domain_init(&f, 1, "bench", false, GUEST_BASE, 4096);
	doms[0] = NULL;
	doms[1] = &f.dom;
	for (int b = 0; b < NBATCH; b++) {
		long rc = 0;
		double t0;

		memcpy(f.mem, &op, sizeof(op));
		t0 = now_ns();
		for (int i = 0; i < BATCH; i++) {
			rc |= hypercall_dispatch(&sys, &f.dom,
						 __HYPERVISOR_paddock_pasid_op,
						 args);
			got[i] = ((struct paddock_pasid_op *)f.mem)->pasid;
		}
		samples[b] = (now_ns() - t0) / BATCH;
		if (rc)
			fail("ALLOC hypercall");
		for (int i = 0; i < BATCH; i++) /* untimed */
			if (pasid_free(&mgr, 1, got[i], &err))
				fail("free after ALLOC");
	}
	printf("# hcall: %d ALLOC hypercalls per batch from one domain (op in "
	       "fake guest memory, copied in and out), freed untimed after "
	       "each batch\n",
	       BATCH);
	printf("bench: hcall.alloc.ns %.1f ns\n", median(samples, NBATCH));
	pasid_mgr_fini(&mgr);
	fake_domain_fini(&f);
}

int main(void)
{
	struct occ_result r0, r50, r99;

	held = malloc((SPACE + 1) * sizeof(*held));
	setvbuf(stdout, NULL, _IOLBF, 0);
	r0 = run_occupancy(0, false);
	r50 = run_occupancy(50, false);
	r99 = run_occupancy(99, true);
	printf("# alloc_free: 2^20 space filled round-robin by %d domains to "
	       "%u / %u / %u PASIDs; timed pairs in a domain whose chunks are "
	       "full (each alloc claims a pool chunk, each free returns it); "
	       "median of %d batches of %d pairs\n",
	       FILL_DOMS, r0.held, r50.held, r99.held, NBATCH, BATCH);
	printf("bench: pasid.alloc_free.occ0 %.1f ns\n", r0.claim);
	printf("bench: pasid.alloc_free.occ50 %.1f ns\n", r50.claim);
	printf("bench: pasid.alloc_free.occ99 %.1f ns\n", r99.claim);
	printf("# ratio99_0: occ99's pairs over the same domain's on an empty "
	       "manager timed in the same batches (%.1f ns); at occ0 the "
	       "two read %.1f and %.1f\n",
	       r99.claim_ref, r0.claim, r0.claim_ref);
	printf("bench: pasid.alloc_free.ratio99_0 %.2f ratio\n",
	       r99.claim / r99.claim_ref);
	printf("# inchunk: the same, in a domain holding one PASID (pairs stay "
	       "inside its chunk)\n");
	printf("bench: pasid.alloc_free.inchunk.occ0 %.1f ns\n", r0.inchunk);
	printf("bench: pasid.alloc_free.inchunk.occ99 %.1f ns\n", r99.inchunk);
	printf("# lookup.occ99: all %u PASIDs held at 99%%, random order "
	       "(records mostly out of cache)\n",
	       r99.held);
	printf("bench: pasid.lookup.occ99 %.1f ns\n", r99.lookup);
	meta_bytes(META_PER, "", true);
	meta_bytes(SPACE, ".bigquota", false);
	vtd_tables();
	scaling();
	hcall_alloc();
	free(held);
	return 0;
}
