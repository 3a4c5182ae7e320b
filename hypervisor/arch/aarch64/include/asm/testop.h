/* SPDX-License-Identifier: MIT */
/* The test-only hypercall's aarch64 half (test/testop.c, test/notest.c). */
#ifndef ASM_TESTOP_H
#define ASM_TESTOP_H

#include <paddock/domain.h>

/** __HYPERVISOR_paddock_test_op from the running domain. */
long aarch64_test_op(struct domain *d, const uint64_t args[5]);
/** The run is over, every domain stopped: the WATCH checks. */
void aarch64_test_end_of_run(void);

#endif
