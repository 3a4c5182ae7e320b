/* SPDX-License-Identifier: MIT */
/*
 * A test-and-test-and-set spinlock on C11 atomics, so that the same code
 * runs in the hypervisor and (under ThreadSanitizer) in the host tests.
 */
#ifndef PADDOCK_SPINLOCK_H
#define PADDOCK_SPINLOCK_H

#include <stdatomic.h>

struct spinlock {
	atomic_uint held;
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

static inline void spin_lock(struct spinlock *l)
{
	for (;;) {
		if (!atomic_exchange_explicit(&l->held, 1,
					      memory_order_acquire))
			return;
		while (atomic_load_explicit(&l->held, memory_order_relaxed))
			cpu_relax();
	}
}

static inline void spin_unlock(struct spinlock *l)
{
	atomic_store_explicit(&l->held, 0, memory_order_release);
}

static inline void spin_init(struct spinlock *l)
{
	atomic_init(&l->held, 0);
}

#endif
