/* SPDX-License-Identifier: MIT */
/*
 * What is x86 in the test-only hypercall (include/public/paddock/
 * test_op.h; the generic part is hypervisor/test/testop.c).  A test
 * system's image links test/testop.c, every other image test/notest.c,
 * where each of these does nothing and the hypercall is -XEN_ENOSYS.
 */
#ifndef ASM_TESTOP_H
#define ASM_TESTOP_H

#include <paddock/types.h>

struct arch_domain;

/** __HYPERVISOR_paddock_test_op from the running domain. */
long x86_test_op(struct arch_domain *ad, const uint64_t args[5]);
/** The run is over, every domain stopped: the WATCH checks. */
void x86_test_end_of_run(struct arch_domain *const *domains, unsigned n);

/**
 * "paddock.test=rmrr": appends a synthetic RMRR (VT-d 8.4; QEMU 7.2's DMAR
 * has none) covering one page of low RAM that nothing uses, scoped to the
 * first configured domain's first edu device.  With `overlap`, the RMRR
 * lies in that domain's DMA window instead, which the boot must refuse.
 * Call before the domains are built.  Non-test images print a refusal.
 */
void x86_test_rmrr_inject(bool overlap);
/* arch_test_rmrr_page() (paddock/selftest.h): the injected RMRR page if
 * `bdf` is its device, else false. */

#endif
