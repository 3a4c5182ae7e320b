/* SPDX-License-Identifier: MIT */
/* Other CPUs on x86_64: the boot CPU only, for now (paddock/arch.h). */
#include <paddock/hypercall.h>
#include <paddock/system.h>
#include <asm/x86.h>

int arch_cpu_start(struct percpu *c)
{
	hv_printf("x86: cpu %u: application processors are not started\n",
		  c->id);
	return -1;
}

void arch_cpu_park(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}
