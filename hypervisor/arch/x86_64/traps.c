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
#include <asm/apic.h>
#include <asm/console.h>
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

/** A fault in hypervisor mode: a bug.  Dump, tell the test host, halt. */
static __attribute__((noreturn)) void hypervisor_fault(struct trap_frame *f)
{
	hv_printf("\nx86: HYPERVISOR FAULT: vector %lu (%s)\n", f->vector,
		  f->vector < EXC_COUNT ? exception_name(f->vector)
					: "interrupt");
	dump_frame(f);
	hv_printf("x86: halted\n");
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
	hv_printf("x86: domain %u (%s) crashed: %s\n", d->id, d->name, why);
	dump_frame(f);
	domain_crash(d, why);
}

static bool first_hypercall_seen;

static void hypercall(struct trap_frame *f)
{
	struct domain *d = this_cpu()->current;
	const uint64_t args[5] = {f->rdi, f->rsi, f->rdx, f->r10, f->r8};
	long ret;

	if (!first_hypercall_seen) {
		first_hypercall_seen = true;
		x86_note_first_hypercall();
	}
	ret = hypercall_dispatch(hv_system(), d, f->rax, args);
	f->rax = (uint64_t)ret;
}

/*
 * Interrupts that arrived with no handler, per vector, and where: the
 * end-of-run summary prints them (x86_print_interrupt_counts), so that a
 * test can tell an attack landed.  Only counted here, never printed: an
 * NMI may arrive while the hypervisor holds the console lock.
 */
static struct {
	uint32_t stray[256];	       /* in service: acknowledged, ignored */
	const char *stray_during[256]; /* the domain that ran the last one */
	uint32_t spurious;	       /* not in service: nothing to ack */
	uint32_t nmis;
	uint64_t nmi_rip;
} irq_counts;

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
		iommu_poll_faults();
		sched_request_switch();
		sched_load_next(f);
		return;
	}
	/* Acknowledged (SDM 11.8.5), or the vector stays in service and
	 * masks every vector of its priority class and below, the timer's
	 * included (11.8.3.1). */
	lapic_eoi();
	irq_counts.stray[v]++;
	irq_counts.stray_during[v] = running_name();
	/* The frame is the domain's, untouched: back into it. */
}

void x86_trap(struct trap_frame *f)
{
	/* Interrupt delivery keeps RFLAGS.AC (SDM Vol. 3A, 6.12.1.3), and a
	 * domain may have set it: close the SMAP window first. */
	user_access_end();
	/* Hypercalls first: the most frequent entry, and none of the checks
	 * below applies to them (the frame is built by the syscall entry,
	 * which only ring 3 reaches; syscall clears IF through MSR_FMASK). */
	if (f->vector == VEC_SYSCALL) {
		hypercall(f);
		sched_load_next(f);
		return;
	}
	/* An interrupt or an exception?  Only the local APIC knows. */
	if (lapic_in_service((unsigned)f->vector)) {
		external_interrupt(f);
		return;
	}
	if (f->vector == EXC_NMI) {
		/* Nobody's fault: no domain dies for it (a device can send
		 * one).  Not printed: see irq_counts. */
		irq_counts.nmis++;
		irq_counts.nmi_rip = f->rip;
		return;
	}
	if (f->vector == EXC_DB && (f->cs & 3) == 0 &&
	    (f->rip == (uint64_t)x86_syscall_entry ||
	     f->rip == (uint64_t)x86_compat_syscall_entry)) {
		/* A domain single-stepped into syscall: the trap fires on
		 * our entry.  Not a fault; TF is dropped on the way out. */
		return;
	}
	if (f->vector >= EXC_COUNT && f->vector != VEC_COMPAT_SYSCALL) {
		/* An interrupt the APIC does not hold in service: its own
		 * spurious vector (SDM 11.9), or one from the masked 8259s.
		 * Nothing to acknowledge, nothing to save. */
		irq_counts.spurious++;
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

void x86_print_interrupt_counts(void)
{
	bool any = irq_counts.nmis || irq_counts.spurious;

	for (unsigned v = 0; v < 256; v++) {
		if (!irq_counts.stray[v])
			continue;
		any = true;
		hv_printf("x86: stray interrupt vector 0x%02x: %u "
			  "acknowledged and ignored (the last while %s "
			  "ran)\n",
			  v, irq_counts.stray[v], irq_counts.stray_during[v]);
	}
	if (irq_counts.nmis)
		hv_printf("x86: NMIs: %u ignored (the last at rip %lx)\n",
			  irq_counts.nmis, irq_counts.nmi_rip);
	if (irq_counts.spurious)
		hv_printf("x86: spurious interrupts: %u ignored\n",
			  irq_counts.spurious);
	if (!any)
		hv_printf("x86: stray interrupts: none\n");
}
