/* SPDX-License-Identifier: MIT */
/*
 * What is x86 in the boot-time DMA self-test (hypervisor/test/dmatest.c):
 * the domains as it needs them, and device polling timed by the TSC.
 */
#include <paddock/selftest.h>
#include <asm/dmatest.h>
#include <asm/domain.h>
#include <asm/x86.h>

#define POLL_WAIT_TSC 8000000000ull /* a few seconds of TSC */

uint64_t arch_poll_deadline(void)
{
	return rdtsc() + POLL_WAIT_TSC;
}

bool arch_poll_expired(uint64_t deadline)
{
	if (rdtsc() > deadline)
		return true;
	cpu_relax();
	return false;
}

void x86_dma_selftest(struct arch_domain *const *domains, unsigned n)
{
	static struct dma_test_domain t[CFG_MAX_DOMAINS];

	if (n > CFG_MAX_DOMAINS)
		n = CFG_MAX_DOMAINS;
	for (unsigned i = 0; i < n; i++) {
		const struct arch_domain *ad = domains[i];

		t[i] = (struct dma_test_domain){
			.d = ad->d,
			.cfg = ad->d->cfg,
			.window = ad->mem_base,
			.window_bytes = ad->mem_bytes,
			.mem_phys = ad->mem_phys,
			.dma_root = hpa(ad->dma_root),
		};
	}
	dma_selftest(t, n);
}
