/* SPDX-License-Identifier: MIT */
/*
 * What generic code needs from the architecture.  The hypervisor links one
 * implementation per arch (hypervisor/arch/<arch>/); the host tests link a
 * fake one (tests/support/fake_arch.c).  No #ifdef ladders: the choice is
 * made at link time.
 */
#ifndef PADDOCK_ARCH_HOOKS_H
#define PADDOCK_ARCH_HOOKS_H

#include <paddock/domain.h>
#include <paddock/types.h>

/*
 * The one way generic code reaches guest memory.  Both return 0, or
 * -XEN_EFAULT when any byte of [addr, addr + len) is not mapped for the
 * domain with the needed permission (including wrap-around and hypervisor
 * or other domains' memory).  Nothing is copied on failure of the checks.
 */
int arch_copy_from_guest(struct domain *d, void *dst, gvaddr_t src, size_t len);
int arch_copy_to_guest(struct domain *d, gvaddr_t dst, const void *src,
		       size_t len);

/**
 * 0 when arch_copy_to_guest(d, addr, ..., len) would pass its checks,
 * -XEN_EFAULT when it would not; nothing is written.  For a caller that
 * must know a result can be delivered before it acts, without the cost
 * of writing the range twice.
 */
int arch_guest_writable(struct domain *d, gvaddr_t addr, size_t len);

/**
 * The root of the domain's first-level tables: a first-level copy of its
 * DMA view, built by the hypervisor in its own memory when the domain was
 * built (never guest-writable, never a guest's tables; docs/vtd.md).
 */
hpaddr_t arch_domain_fl_root(struct domain *d);

/** The root of the domain's DMA (second-level) tables. */
hpaddr_t arch_domain_dma_root(struct domain *d);

/** Console output: on behalf of a domain (console_io write), or of the
 * hypervisor itself when d is NULL. */
void arch_console_write(struct domain *d, const char *buf, size_t len);

/** sched_op yield: asks for a reschedule.  It may return at once, the
 * switch happening when the hypercall returns; the guest cannot tell. */
void arch_domain_yield(struct domain *d);

/**
 * The domain has stopped (shutdown or crash): the arch stops scheduling
 * it.  Called after generic teardown (PASIDs parked).  May not return when
 * d is the current domain.
 */
void arch_domain_stopped(struct domain *d);

/**
 * The test-only hypercall (include/public/paddock/test_op.h).  Only test
 * images serve it; every other image links a version that answers
 * -XEN_ENOSYS.  The choice is made at link time.
 */
long arch_test_op(struct domain *d, const uint64_t args[5]);

#endif
