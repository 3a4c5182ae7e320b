/* SPDX-License-Identifier: MIT */
/*
 * Every CPU on x86_64 (asm/cpu.h, asm/smp.h; docs/x86.md, "Every CPU"):
 * the per-CPU blocks, the CPUs the MADT lists, starting one with
 * INIT-SIPI-SIPI through the trampoline, its own set-up, and parking it.
 */
#include <paddock/arch.h>
#include <paddock/fmt.h>
#include <paddock/percpu.h>
#include <paddock/system.h>
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/console.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/madt.h>
#include <asm/paging.h>
#include <asm/smp.h>
#include <asm/string.h>
#include <asm/x86.h>
#include <config/config.h>

_Static_assert(X86_MAX_CPUS == CFG_MAX_CPUS, "one limit on CPUs");

/*
 * SDM Vol. 3A, "Typical BSP Initialization Sequence" (8.4.4.1): 10 ms
 * after INIT, 200 us after each start-up IPI.  Then the CPU has
 * AP_ONLINE_US to reach the generic code and say it is online: hardware
 * takes microseconds (the SDM's example allows 100 ms for every CPU),
 * but a QEMU vCPU thread on a loaded host can wait far longer for a host
 * CPU, and a CPU given up on loses its domains.
 */
#define INIT_DELAY_US	  10000
#define SIPI_DELAY_US	  200
#define AP_ONLINE_US	  1000000
#define SIPI_VECTOR_LIMIT 0x100000 /* the vector is 8 bits of page */

struct x86_cpu_block x86_cpu_blocks[X86_MAX_CPUS]
	__attribute__((aligned(CPU_BLOCK_SIZE)));

/* The page started CPUs begin in (x86_low_page_reserve()), 0: none. */
static uint64_t trampoline_page;
/* Set once a CPU did not start: it may still run the trampoline late, so
 * the parameters it reads are never rewritten for another. */
static bool trampoline_poisoned;
/* The boot CPU's CR0 and CR4 as setup.c left them: every CPU gets the
 * same features (the processors of one machine are taken to have the
 * same ones). */
static uint64_t boot_cr0, boot_cr4;

/* Tables for the trampoline's switch to long mode: the hypervisor's half
 * as it is, and the first 2 MiB (the trampoline's page) identity-mapped,
 * executable.  Left behind by x86_ap_start64. */
static uint64_t tramp_pml4[512] __attribute__((aligned(4096)));
static uint64_t tramp_pdpt[512] __attribute__((aligned(4096)));
static uint64_t tramp_pd[512] __attribute__((aligned(4096)));

struct x86_cpu *x86_cpu_block_init(unsigned id, uint32_t apic_id,
				   struct percpu *pc)
{
	struct x86_cpu *xc = &x86_cpu_blocks[id].cpu;

	xc->cpu = pc;
	xc->id = id;
	xc->apic_id = apic_id;
	pc->arch = xc;
	return xc;
}

/* What x86_cpus_discover() found, the boot CPU first. */
static struct madt_cpu_list cpus;

void x86_cpus_discover(const struct acpi_info *acpi)
{
	uint32_t boot_id = lapic_id();
	char line[160];
	size_t n;

	x86_cpu_blocks[0].cpu.apic_id = boot_id;
	if (!acpi->madt) {
		hv_printf("x86: no MADT: the boot CPU (APIC id %u) alone\n",
			  boot_id);
		cpus = (struct madt_cpu_list){.n = 1, .ids = {boot_id}};
		return;
	}
	madt_cpus(acpi->madt, acpi->madt_len, boot_id, lapic_x2apic_mode(),
		  CFG_MAX_CPUS, &cpus, hv_printf);
	n = (size_t)pd_snprintf(line, sizeof(line), "x86: %u CPUs, APIC ids",
				cpus.n);
	for (unsigned i = 0; i < cpus.n && n < sizeof(line); i++)
		n += (size_t)pd_snprintf(line + n, sizeof(line) - n, " %lu",
					 cpus.ids[i]);
	hv_printf("%s (boot CPU first), %s mode\n", line,
		  lapic_x2apic_mode() ? "x2APIC" : "xAPIC");
}

void x86_cpus_fill_inventory(struct hw_inventory *inv)
{
	for (unsigned i = 0; i < cpus.n && i < HW_MAX_CPUS; i++)
		inv->cpu_hw_ids[i] = cpus.ids[i];
	inv->ncpus = cpus.n < HW_MAX_CPUS ? cpus.n : HW_MAX_CPUS;
}

void x86_cpus_set_trampoline(uint64_t page)
{
	trampoline_page = page;
}

static uint64_t tsc_deadline(uint64_t us)
{
	return rdtsc() + us * x86_tsc_per_us();
}

static void delay_us(uint64_t us)
{
	uint64_t end = tsc_deadline(us);

	while (rdtsc() < end)
		cpu_relax();
}

static void build_trampoline_tables(void)
{
	const uint64_t *hv = phys_to_virt(paging_hv_root());

	for (unsigned i = 256; i < 512; i++)
		tramp_pml4[i] = hv[i];
	tramp_pml4[0] = virt_to_phys(tramp_pdpt) | PTE_P | PTE_RW;
	tramp_pdpt[0] = virt_to_phys(tramp_pd) | PTE_P | PTE_RW;
	tramp_pd[0] = 0 | PTE_P | PTE_RW | PTE_PS;
}

/* Copies the trampoline to its page and fills in what CPU xc needs. */
static void install_trampoline(struct x86_cpu *xc)
{
	uint8_t *page = phys_to_virt(trampoline_page);
	size_t params_at = x86_trampoline_params - x86_trampoline_start;
	struct x86_trampoline_params *tp = (void *)(page + params_at);
	uint32_t base = (uint32_t)trampoline_page;

	memcpy(page, x86_trampoline_start,
	       x86_trampoline_end - x86_trampoline_start);
	tp->gdt_base = base + (x86_trampoline_gdt - x86_trampoline_start);
	tp->pm32_offset = base + (x86_trampoline_pm32 - x86_trampoline_start);
	tp->lm64_offset = base + (x86_trampoline_lm64 - x86_trampoline_start);
	tp->cr3 = (uint32_t)virt_to_phys(tramp_pml4);
	tp->hv_cr3 = paging_hv_root();
	tp->stack_top = x86_cpu_stack_top(xc);
	tp->cpu = (uint64_t)xc;
}

/* Can any CPU be started at all?  Says why not, once. */
static bool can_start_cpus(void)
{
	static bool checked, ok;

	if (checked)
		return ok;
	checked = true;
	if (!trampoline_page || trampoline_page >= SIPI_VECTOR_LIMIT) {
		hv_printf("x86: no page below 1 MiB for the start-up "
			  "trampoline: other CPUs are not started\n");
		return false;
	}
	if (virt_to_phys(tramp_pml4) >= 0x100000000ull ||
	    paging_hv_root() >= 0x100000000ull) {
		hv_printf("x86: page tables above 4 GiB: the trampoline "
			  "cannot load them\n");
		return false;
	}
	boot_cr0 = read_cr0();
	boot_cr4 = read_cr4();
	build_trampoline_tables();
	ok = true;
	return true;
}

/*
 * INIT, wait, start-up IPI twice (SDM 8.4.4.1; a CPU that already left
 * wait-for-SIPI ignores the second one).  The caller waits for the CPU.
 */
static int send_init_sipi_sipi(uint32_t apic_id)
{
	uint32_t sipi = ICR_STARTUP | (uint32_t)(trampoline_page >> 12);

	if (lapic_send_ipi(apic_id, ICR_INIT_ASSERT))
		return -1;
	delay_us(INIT_DELAY_US);
	for (unsigned i = 0; i < 2; i++) {
		if (lapic_send_ipi(apic_id, sipi))
			return -1;
		delay_us(SIPI_DELAY_US);
	}
	return 0;
}

/*
 * Starts CPU c (APIC ID c->hw_id) and waits, bounded, until the generic
 * code on it has marked it online (system_secondary_main()).  0, or -1
 * with a message naming the CPU.
 */
int arch_cpu_start(struct percpu *c)
{
	unsigned id = c->id;
	uint32_t apic_id = (uint32_t)c->hw_id;
	struct x86_cpu *xc;
	uint64_t t0, deadline;

	if (!can_start_cpus())
		return -1;
	if (trampoline_poisoned) {
		hv_printf("x86: cpu %u (APIC id %u) not started: an earlier "
			  "CPU may still run the trampoline\n",
			  id, apic_id);
		return -1;
	}
	xc = x86_cpu_block_init(id, apic_id, c);
	install_trampoline(xc);
	t0 = rdtsc();
	if (send_init_sipi_sipi(apic_id)) {
		hv_printf("x86: cpu %u (APIC id %u): its local APIC did not "
			  "take the IPI\n",
			  id, apic_id);
		trampoline_poisoned = true;
		return -1;
	}
	deadline = tsc_deadline(AP_ONLINE_US);
	while (!cpu_online(c)) {
		if (rdtsc() > deadline) {
			hv_printf("x86: cpu %u (APIC id %u) did not come "
				  "online within %u ms of INIT-SIPI-SIPI\n",
				  id, apic_id,
				  (INIT_DELAY_US + 2 * SIPI_DELAY_US +
				   AP_ONLINE_US) /
					  1000);
			trampoline_poisoned = true;
			return -1;
		}
		cpu_relax();
	}
	hv_printf("x86: cpu %u (APIC id %u) online after %lu us\n", id, apic_id,
		  (rdtsc() - t0) / x86_tsc_per_us());
	return 0;
}

void x86_ap_main(struct x86_cpu *xc)
{
	write_cr0(boot_cr0);
	write_cr4(boot_cr4);
	desc_load_cpu(xc);
	lapic_cpu_init();
	lapic_timer_start_this_cpu();
	if (xc->id == x86_test_fault_cpu) {
		hv_printf("x86: test: faulting in hypervisor mode on cpu %u\n",
			  xc->id);
		__asm__ volatile("ud2");
	}
	system_secondary_main();
}

void arch_cpu_park(void)
{
	lapic_timer_stop();
	write_cr3(paging_hv_root());
	cpu_halt_forever();
}
