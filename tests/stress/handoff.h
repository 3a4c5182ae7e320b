/* SPDX-License-Identifier: MIT */
/*
 * Two calls on two threads, the second strictly after the first, ordered
 * by a relaxed flag only: ThreadSanitizer draws happens-before from
 * acquire/release operations, locks, and thread creation and joining,
 * never from a relaxed load.  So the only order between what the first
 * call wrote and what the second reads is the one the code's own locks
 * give, and a lock left out on either side is reported on every run
 * (docs/testing.md, "A missing lock, caught on every run").
 */
#ifndef PADDOCK_TESTS_HANDOFF_H
#define PADDOCK_TESTS_HANDOFF_H

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

struct handoff_pair {
	void (*first)(void *ctx);
	void (*second)(void *ctx);
	void *ctx;
	_Atomic int first_done;
};

static void *handoff_first(void *arg)
{
	struct handoff_pair *hp = arg;

	hp->first(hp->ctx);
	atomic_store_explicit(&hp->first_done, 1, memory_order_relaxed);
	return NULL;
}

static void *handoff_second(void *arg)
{
	struct handoff_pair *hp = arg;

	while (!atomic_load_explicit(&hp->first_done, memory_order_relaxed))
		sched_yield();
	hp->second(hp->ctx);
	return NULL;
}

/** Runs first(ctx), then second(ctx), each on a thread of its own. */
static inline void handoff_run(void (*first)(void *), void (*second)(void *),
			       void *ctx)
{
	struct handoff_pair hp = {.first = first, .second = second, .ctx = ctx};
	pthread_t a, b;

	/* The second thread starts first, so that it waits, not joins. */
	pthread_create(&b, NULL, handoff_second, &hp);
	pthread_create(&a, NULL, handoff_first, &hp);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
}

#endif
