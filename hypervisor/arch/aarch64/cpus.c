/* SPDX-License-Identifier: MIT */
/*
 * The secondary CPUs on aarch64 (paddock/arch.h): started with PSCI
 * CPU_ON (Arm DEN0022 D, 5.1.4) over the conduit the device tree names,
 * at aarch64_secondary_entry (boot.S) with x0 = the CPU's struct a64_cpu.
 * Each gets its own EL2 stack, its own EL2 configuration of EL1, its own
 * GICv3 redistributor and CPU interface, and its own slice timer; the EL2
 * page tables are the boot CPU's, shared (identity map, nothing per CPU).
 */
#include <paddock/heap.h>
#include <paddock/mem.h>
#include <paddock/hypercall.h>
#include <paddock/system.h>
#include <asm/cpu.h>
#include <asm/devices.h>
#include <asm/mmu.h>
#include <asm/platform.h>
#include <asm/sysreg.h>

#define SECONDARY_STACK_BYTES 16384
#define START_WAIT_MS	      2000 /* TCG on a loaded host is slow */

static struct a64_cpu boot_cpu_state;

/* The boot CPU's own record, for arch_start_first() and the dumps. */
void a64_cpu_boot_init(void)
{
	extern char aarch64_stack_top[];

	boot_cpu_state.stack_top = (uint64_t)(uintptr_t)aarch64_stack_top;
	boot_cpu_state.percpu = (uint64_t)(uintptr_t)&percpus[0];
	percpus[0].arch = &boot_cpu_state;
	write_sysreg(tpidr_el2, boot_cpu_state.percpu);
}

/* What the new CPU reads before its MMU is on: the boot CPU's EL2
 * translation regime, copied, and cleaned to the point of coherency
 * because the new CPU reads it with its caches off. */
static struct a64_cpu *new_cpu_state(struct percpu *c)
{
	struct a64_cpu *a = pd_zalloc(sizeof(*a));
	uint8_t *stack = pd_zalloc(SECONDARY_STACK_BYTES);

	if (!a || !stack)
		return NULL;
	a->stack_top = (uint64_t)(uintptr_t)(stack + SECONDARY_STACK_BYTES);
	a->percpu = (uint64_t)(uintptr_t)c;
	a->mair = read_sysreg(mair_el2);
	a->tcr = read_sysreg(tcr_el2);
	a->ttbr0 = read_sysreg(ttbr0_el2);
	a->sctlr = read_sysreg(sctlr_el2);
	c->arch = a;
	dcache_clean_inval(a, sizeof(*a));
	dcache_clean_inval(stack, SECONDARY_STACK_BYTES);
	return a;
}

static bool wait_online(struct percpu *c)
{
	uint64_t end = timer_counter() + timer_freq() / 1000 * START_WAIT_MS;

	while (!cpu_online(c)) {
		if (timer_counter() > end)
			return false;
		cpu_relax();
	}
	return true;
}

int arch_cpu_start(struct percpu *c)
{
	extern char aarch64_secondary_entry[];
	struct a64_cpu *a = new_cpu_state(c);
	long rc;

	if (!a) {
		hv_printf("arm64: cpu %u: no memory for its stack\n", c->id);
		return -1;
	}
	rc = psci_cpu_on(c->hw_id, (uint64_t)(uintptr_t)aarch64_secondary_entry,
			 (uint64_t)(uintptr_t)a);
	if (rc) {
		hv_printf("arm64: cpu %u (MPIDR %lx): PSCI CPU_ON failed: %s "
			  "(%ld)\n",
			  c->id, c->hw_id, psci_error_name(rc), rc);
		return -1;
	}
	if (!wait_online(c)) {
		hv_printf("arm64: cpu %u (MPIDR %lx): not online after %u "
			  "ms\n",
			  c->id, c->hw_id, START_WAIT_MS);
		return -1;
	}
	hv_printf("arm64: cpu %u (MPIDR %lx) online\n", c->id, c->hw_id);
	return 0;
}

/* The new CPU, MMU on, on its own stack, TPIDR_EL2 set (boot.S). */
void aarch64_secondary_boot(void)
{
	struct percpu *c = this_cpu();

	el2_init();
	if (gic_cpu_init()) {
		hv_printf("arm64: cpu %u: no GICv3 redistributor for MPIDR "
			  "%lx\n",
			  c->id, c->hw_id);
		arch_cpu_park();
	}
	timer_rearm();
	system_secondary_main();
}

void arch_cpu_park(void)
{
	timer_stop();
	write_sysreg(vttbr_el2, 0);
	isb();
	__asm__ volatile("msr daifset, #0xf");
	for (;;)
		__asm__ volatile("wfi");
}

uint64_t a64_stack_top(void)
{
	const struct a64_cpu *a = this_cpu()->arch;

	return a->stack_top;
}
