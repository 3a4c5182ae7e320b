/* SPDX-License-Identifier: MIT */
/* The boot-time DMA self-test (hypervisor/test/dmatest.c), "paddock.test=dma".
 */
#ifndef ASM_DMATEST_H
#define ASM_DMATEST_H

struct arch_domain;

void x86_dma_selftest(struct arch_domain *const *domains, unsigned n);

#endif
