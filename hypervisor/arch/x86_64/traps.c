/* SPDX-License-Identifier: MIT */
/*
 * What happens on each entry into the hypervisor (entry.S calls x86_trap):
 * hypercalls, timer ticks, other interrupts, and exceptions.  An exception
 * raised by a domain destroys that domain alone; one raised by the
 * hypervisor itself is a bug, so it prints everything and stops the
 * machine.  An interrupt nobody handles is acknowledged, counted and
 * ignored: a device can send any vector (docs/x86.md, "External
 * interrupts and exceptions"), and the domain that happened to run must
 * not pay for it.
 */
#include <paddock/fmt.h>
#include <paddock/hypercall.h>
#include <paddock/system.h>
#include <stdatomic.h>
#include <asm/apic.h>
#include <asm/console.h>
#include <asm/cpu.h>
#include <asm/domain.h>
#include <asm/layout.h>
#include <asm/pci.h>
#include <asm/trap.h>
#include <asm/x86.h>
#include <xen/sched.h>

/* Intel SDM Vol. 3A, Table 6-1. */
static const char *const exception_names[EXC_COUNT] = {
	[EXC_DE] = "#DE divide error",
	[EXC_DB] = "#DB debug",
	[EXC_NMI] = "NMI",
	[EXC_BP] = "#BP breakpoint",
	[EXC_OF] = "#OF overflow",
	[EXC_BR] = "#BR bound range",
	[EXC_UD] = "#UD invalid opcode",
	[EXC_NM] = "#NM device not available",
	[EXC_DF] = "#DF double fault",
	[EXC_TS] = "#TS invalid TSS",
	[EXC_NP] = "#NP segment not present",
	[EXC_SS] = "#SS stack fault",
	[EXC_GP] = "#GP general protection",
	[EXC_PF] = "#PF page fault",
	[EXC_MF] = "#MF x87 error",
	[EXC_AC] = "#AC alignment check",
	[EXC_MC] = "#MC machine check",
	[EXC_XM] = "#XM SIMD exception",
	[EXC_VE] = "#VE virtualization",
	[EXC_CP] = "#CP control protection",
};

const char *exception_name(unsigned vector)
{
	if (vector == VEC_COMPAT_SYSCALL)
		return "syscall from compatibility mode";
	if (vector < EXC_COUNT && exception_names[vector])
		return exception_names[vector];
	return "reserved exception";
}

void dump_frame(const struct trap_frame *f)
{
	hv_printf("  rip %016lx  cs %04lx  rflags %016lx\n", f->rip, f->cs,
		  f->rflags);
	hv_printf("  rsp %016lx  ss %04lx  error %016lx  cr2 %016lx\n", f->rsp,
		  f->ss, f->error, read_cr2());
	hv_printf("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", f->rax,
		  f->rbx, f->rcx, f->rdx);
	hv_printf("  rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n", f->rsi,
		  f->rdi, f->rbp, f->r8);
	hv_printf("  r9  %016lx r10 %016lx r11 %016lx r12 %016lx\n", f->r9,
		  f->r10, f->r11, f->r12);
	hv_printf("  r13 %016lx r14 %016lx r15 %016lx cr3 %016lx\n", f->r13,
		  f->r14, f->r15, read_cr3());
}

/*
 * Set once a CPU faulted in hypervisor mode: the NMI that follows halts
 * every other CPU (x86_trap()), each counting itself in cpus_stopped.
 */
static atomic_bool stopping;
static atomic_uint cpus_stopped;

#define STOP_WAIT_US 100000

/*
 * Halts every other running CPU with an NMI (which nothing masks but an
 * NMI in progress) and waits, bounded, until each has said so: on a
 * machine without an exit device the run must not go on around a broken
 * hypervisor.  One IPI per CPU that is online, not the all-but-self
 * shorthand: a CPU still waiting for its start-up IPI must not get one
 * (QEMU 7.2 wakes such a CPU at the reset vector, into the firmware,
 * which resets the machine: seen).  Returns how many stopped.
 */
static unsigned stop_other_cpus(unsigned self)
{
	unsigned sent = 0;
	uint64_t end;

	atomic_store(&stopping, true);
	for (unsigned i = 0; i < cpus_found; i++) {
		if (i != self && cpu_online(&percpus[i]) &&
		    !lapic_send_ipi((uint32_t)percpus[i].hw_id, ICR_NMI))
			sent++;
	}
	end = rdtsc() + STOP_WAIT_US * x86_tsc_per_us();
	while (atomic_load(&cpus_stopped) < sent && rdtsc() < end)
		cpu_relax();
	return atomic_load(&cpus_stopped);
}

/*
 * A fault in hypervisor mode: a bug.  Dump, stop the other CPUs, tell the
 * test host, halt.  The CPU is named: on a machine with several, the dump
 * is one CPU's.
 */
static __attribute__((noreturn)) void hypervisor_fault(struct trap_frame *f)
{
	const struct x86_cpu *xc = this_x86_cpu();
	unsigned stopped;

	hv_printf("\nx86: HYPERVISOR FAULT: vector %lu (%s) on cpu %u (APIC id "
		  "%u)\n",
		  f->vector,
		  f->vector < EXC_COUNT ? exception_name(f->vector)
					: "interrupt",
		  xc->id, xc->apic_id);
	dump_frame(f);
	stopped = stop_other_cpus(xc->id);
	/* Every other CPU is halted (or never ran): one may have been
	 * stopped inside the console, whose lock is then ours to take. */
	serial_take_over();
	hv_printf("x86: halted; %u other CPUs stopped\n", stopped);
	arch_exit(ARCH_EXIT_HV_FAULT);
}

/** A fault raised by a domain: that domain dies, the others go on. */
static void guest_fault(struct trap_frame *f)
{
	struct domain *d = this_cpu()->current;
	char why[96];

	if (f->vector == EXC_PF)
		pd_snprintf(why, sizeof(why), "%s at %lx (rip %lx, error %lx)",
			    exception_name(f->vector), read_cr2(), f->rip,
			    f->error);
	else
		pd_snprintf(why, sizeof(why), "%s (rip %lx, error %lx)",
			    exception_name(f->vector), f->rip, f->error);
	hv_printf("x86: domain %u (%s) crashed on cpu %u: %s\n", d->id, d->name,
		  this_x86_cpu()->id, why);
	dump_frame(f);
	domain_crash(d, why);
}

/* Any CPU may make the first: the one that flips it prints.  An int,
 * not a bool: the check on every hypercall is then one compare. */
static atomic_uint first_hypercall_seen;

static __attribute__((noinline, cold)) void first_hypercall(void)
{
	if (!atomic_exchange(&first_hypercall_seen, 1))
		x86_note_first_hypercall();
}

static void hypercall(struct trap_frame *f)
{
	struct domain *d = this_cpu()->current;
	const uint64_t args[5] = {f->rdi, f->rsi, f->rdx, f->r10, f->r8};
	long ret;

	if (!atomic_load_explicit(&first_hypercall_seen, memory_order_relaxed))
		first_hypercall();
	ret = hypercall_dispatch(hv_system(), d, f->rax, args);
	f->rax = (uint64_t)ret;
}

/*
 * Interrupts that arrived with no handler are counted per vector, and
 * where, in the CPU's own struct x86_irq_counts (asm/cpu.h): the end-of-run
 * summary adds them up (x86_print_interrupt_counts), so that a test can
 * tell an attack landed.
 */

static const char *running_name(void)
{
	struct domain *d = this_cpu()->current;

	return d ? d->name : "(none)";
}

/*
 * The local APIC has this vector in service, so the CPU took it as an
 * interrupt, whatever exception shares its number (SDM Vol. 3A, 6.3.1,
 * 11.8.4; entry.S gave it a zero error code).  The hypervisor runs with
 * interrupts off, so it can only have interrupted a domain.
 */
static void external_interrupt(struct trap_frame *f)
{
	struct x86_irq_counts *irq = &this_x86_cpu()->irq;
	unsigned v = (unsigned)f->vector;

	if ((f->cs & 3) == 0) {
		/* IF was on in the hypervisor: a bug of ours. */
		hv_printf("\nx86: interrupt vector %u in hypervisor mode\n", v);
		hypervisor_fault(f);
	}
	/*
	 * The timer is one-shot (apic.c): its count is 0 only after it ran
	 * out.  A device message on VEC_TIMER while the count still runs is
	 * a stray, and does not shorten anyone's slice.
	 */
	if (v == VEC_TIMER && lapic_timer_expired()) {
		lapic_timer_rearm();
		lapic_eoi();
		iommu_poll_faults_tick();
		sched_request_switch();
		sched_load_next(f);
		return;
	}
	/* Acknowledged (SDM 11.8.5), or the vector stays in service and
	 * masks every vector of its priority class and below, the timer's
	 * included (11.8.3.1). */
	lapic_eoi();
	irq->stray[v]++;
	irq->stray_during[v] = running_name();
	irq->stray_tsc[v] = rdtsc();
	/* The frame is the domain's, untouched: back into it. */
}

/* The first instruction of any CPU's syscall stub (entry.S). */
static bool is_syscall_entry(uint64_t rip)
{
	const uint64_t span = X86_MAX_CPUS * SYSCALL_STUB_SIZE;
	uint64_t native = rip - (uint64_t)x86_syscall_stubs;
	uint64_t compat = rip - (uint64_t)x86_compat_syscall_stubs;

	return (native < span && native % SYSCALL_STUB_SIZE == 0) ||
	       (compat < span && compat % SYSCALL_STUB_SIZE == 0);
}

/*
 * The native syscall stubs' C side (entry.S): a hypercall, the most
 * frequent entry, which needs none of x86_trap()'s checks: the frame is
 * built by the stub, which only ring 3 reaches, and SYSCALL cleared IF
 * and AC through MSR_FMASK (desc.c), so there is no SMAP window to close.
 */
void x86_syscall_trap(struct trap_frame *f)
{
	hypercall(f);
	sched_load_next(f);
}

void x86_trap(struct trap_frame *f)
{
	/* Interrupt delivery keeps RFLAGS.AC (SDM Vol. 3A, 6.12.1.3), and a
	 * domain may have set it: close the SMAP window first. */
	user_access_end();
	/* An interrupt or an exception?  Only the local APIC knows. */
	if (lapic_in_service((unsigned)f->vector)) {
		external_interrupt(f);
		return;
	}
	if (f->vector == EXC_NMI) {
		/* Nobody's fault: no domain dies for it (a device can send
		 * one).  Not printed: see struct x86_irq_counts.  Unless
		 * another CPU faulted in hypervisor mode: then stop here. */
		struct x86_irq_counts *irq = &this_x86_cpu()->irq;

		if (atomic_load(&stopping)) {
			atomic_fetch_add(&cpus_stopped, 1);
			cpu_halt_forever();
		}
		irq->nmis++;
		irq->nmi_rip = f->rip;
		irq->nmi_tsc = rdtsc();
		return;
	}
	if (f->vector == EXC_DB && (f->cs & 3) == 0 &&
	    is_syscall_entry(f->rip)) {
		/* A domain single-stepped into syscall: the trap fires on
		 * our entry.  Not a fault; TF is dropped on the way out. */
		return;
	}
	if (f->vector >= EXC_COUNT && f->vector != VEC_COMPAT_SYSCALL) {
		/* An interrupt the APIC does not hold in service: its own
		 * spurious vector (SDM 11.9), or one from the masked 8259s.
		 * Nothing to acknowledge, nothing to save. */
		this_x86_cpu()->irq.spurious++;
		return;
	}
	/* A machine check or double fault is the machine's or ours, never
	 * a domain's to pay for. */
	if ((f->vector != VEC_COMPAT_SYSCALL && (f->cs & 3) == 0) ||
	    f->vector == EXC_MC || f->vector == EXC_DF)
		hypervisor_fault(f);
	guest_fault(f);
	sched_load_next(f);
}

/*
 * The end of the run: every CPU but this one is parked, so their counts
 * are final.  One line per vector over all CPUs; "the last" is the latest
 * by the TSC (TSCs of one machine are taken as in step: SDM Vol. 3A,
 * 18.17.1, invariant TSC).
 */
void x86_print_interrupt_counts(void)
{
	uint32_t nmis = 0, spurious = 0;
	uint64_t nmi_rip = 0, nmi_tsc = 0;
	bool any = false;

	for (unsigned v = 0; v < 256; v++) {
		uint32_t n = 0;
		uint64_t last = 0;
		const char *during = NULL;

		for (unsigned c = 0; c < X86_MAX_CPUS; c++) {
			const struct x86_irq_counts *irq =
				&x86_cpu_blocks[c].cpu.irq;

			n += irq->stray[v];
			if (irq->stray[v] &&
			    (!during || irq->stray_tsc[v] >= last)) {
				last = irq->stray_tsc[v];
				during = irq->stray_during[v];
			}
		}
		if (!n)
			continue;
		any = true;
		hv_printf("x86: stray interrupt vector 0x%02x: %u "
			  "acknowledged and ignored (the last while %s "
			  "ran)\n",
			  v, n, during);
	}
	for (unsigned c = 0; c < X86_MAX_CPUS; c++) {
		const struct x86_irq_counts *irq = &x86_cpu_blocks[c].cpu.irq;

		spurious += irq->spurious;
		nmis += irq->nmis;
		if (irq->nmis && irq->nmi_tsc >= nmi_tsc) {
			nmi_tsc = irq->nmi_tsc;
			nmi_rip = irq->nmi_rip;
		}
	}
	if (nmis)
		hv_printf("x86: NMIs: %u ignored (the last at rip %lx)\n", nmis,
			  nmi_rip);
	if (spurious)
		hv_printf("x86: spurious interrupts: %u ignored\n", spurious);
	if (!any && !nmis && !spurious)
		hv_printf("x86: stray interrupts: none\n");
}
