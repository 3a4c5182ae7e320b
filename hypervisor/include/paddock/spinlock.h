/* SPDX-License-Identifier: MIT */
/*
 * A test-and-test-and-set spinlock on C11 atomics, so that the same code
 * runs in the hypervisor and (under ThreadSanitizer) in the host tests.
 *
 * Lock witnesses (docs/design.md, "Lock order"): a function that needs a
 * lock held takes a small `struct <thing>_locked` that only the lock
 * function hands out and the unlock function takes back, so that the
 * requirement is in its signature (SPIN_LOCK_WITNESS below).  In builds with
 * PADDOCK_LOCK_CHECKS (the host tests) the lock also records which thread holds
 * it, and spin_assert_held() aborts when the caller does not hold it: a witness
 * made up without the lock is caught on every run, not only when a race
 * happens to show.  Without PADDOCK_LOCK_CHECKS (the hypervisor, the
 * benchmarks) the lock is one word and the checks compile to nothing.
 */
#ifndef PADDOCK_SPINLOCK_H
#define PADDOCK_SPINLOCK_H

#include <stdatomic.h>
#include <stdbool.h>

#ifdef PADDOCK_LOCK_CHECKS
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#endif

struct spinlock {
	atomic_uint held;
#ifdef PADDOCK_LOCK_CHECKS
	_Atomic(uintptr_t) holder; /* pthread_self() of the holder */
#endif
};

#define SPINLOCK_INIT                                                          \
	{                                                                      \
		0                                                              \
	}

static inline void cpu_relax(void)
{
#if defined(__x86_64__)
	__asm__ volatile("pause");
#elif defined(__aarch64__)
	__asm__ volatile("yield");
#endif
}

#ifdef PADDOCK_LOCK_CHECKS
static inline uintptr_t spin_self(void)
{
	return (uintptr_t)pthread_self();
}

static inline void spin_check_failed(const char *what, const char *file,
				     int line)
{
	fprintf(stderr, "%s:%d: lock check failed: %s\n", file, line, what);
	abort();
}

/* Only the holder reads its own mark, so relaxed order is enough. */
static inline void spin_note_holder(struct spinlock *l, uintptr_t who)
{
	atomic_store_explicit(&l->holder, who, memory_order_relaxed);
}

static inline void spin_check_held(struct spinlock *l, const char *file,
				   int line)
{
	if (!atomic_load_explicit(&l->held, memory_order_relaxed) ||
	    atomic_load_explicit(&l->holder, memory_order_relaxed) !=
		    spin_self())
		spin_check_failed("not held by this thread", file, line);
}

/** Aborts unless the calling thread holds `l` (test builds only). */
#define spin_assert_held(l) spin_check_held((l), __FILE__, __LINE__)
#else
#define spin_assert_held(l) ((void)(l))
#endif

static inline void spin_lock(struct spinlock *l)
{
	for (;;) {
		if (!atomic_exchange_explicit(&l->held, 1,
					      memory_order_acquire))
			break;
		while (atomic_load_explicit(&l->held, memory_order_relaxed))
			cpu_relax();
	}
#ifdef PADDOCK_LOCK_CHECKS
	spin_note_holder(l, spin_self());
#endif
}

/** Takes l if it is free, without waiting; true when taken. */
static inline bool spin_trylock(struct spinlock *l)
{
	if (atomic_load_explicit(&l->held, memory_order_relaxed) ||
	    atomic_exchange_explicit(&l->held, 1, memory_order_acquire))
		return false;
#ifdef PADDOCK_LOCK_CHECKS
	spin_note_holder(l, spin_self());
#endif
	return true;
}

static inline void spin_unlock(struct spinlock *l)
{
#ifdef PADDOCK_LOCK_CHECKS
	spin_assert_held(l);
	spin_note_holder(l, 0);
#endif
	atomic_store_explicit(&l->held, 0, memory_order_release);
}

static inline void spin_init(struct spinlock *l)
{
	atomic_init(&l->held, 0);
#ifdef PADDOCK_LOCK_CHECKS
	atomic_init(&l->holder, 0);
#endif
}

/**
 * Defines the witness of the spinlock `lock_field` of a `type`:
 * `struct name { type *member; }`, made only by lock_fn(p), which takes
 * p->lock_field, and spent by unlock_fn(&w), which lets go of it and
 * clears w.  held_fn(w) gives the object back and, in test builds,
 * asserts that the caller holds the lock: every function taking the
 * witness starts with it.  Use as a declaration, followed by `;`.
 */
#define SPIN_LOCK_WITNESS(name, type, member, lock_field, lock_fn, unlock_fn,  \
			  held_fn)                                             \
	struct name {                                                          \
		type *member;                                                  \
	};                                                                     \
	static inline struct name lock_fn(type *p)                             \
	{                                                                      \
		spin_lock(&p->lock_field);                                     \
		return (struct name){p};                                       \
	}                                                                      \
	static inline void unlock_fn(struct name *w)                           \
	{                                                                      \
		spin_unlock(&w->member->lock_field);                           \
		w->member = NULL;                                              \
	}                                                                      \
	static inline type *held_fn(struct name w)                             \
	{                                                                      \
		spin_assert_held(&w.member->lock_field);                       \
		return w.member;                                               \
	}                                                                      \
	struct name

#endif
