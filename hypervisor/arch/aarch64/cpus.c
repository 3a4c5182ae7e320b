/* SPDX-License-Identifier: MIT */
/* Other CPUs on aarch64: the boot CPU only, for now (paddock/arch.h). */
#include <paddock/hypercall.h>
#include <paddock/system.h>
#include <asm/devices.h>

int arch_cpu_start(struct percpu *c)
{
	hv_printf("arm64: cpu %u: secondary CPUs are not started\n", c->id);
	return -1;
}

void arch_cpu_park(void)
{
	timer_stop();
	__asm__ volatile("msr daifset, #0xf");
	for (;;)
		__asm__ volatile("wfi");
}
