/* SPDX-License-Identifier: MIT */
/*
 * What happens on each entry into EL2 (entry.S calls aarch64_trap):
 * hypercalls, the slice timer, other interrupts, and exceptions.  An
 * exception a domain causes destroys that domain alone, with the reason
 * printed; one taken at EL2 is a bug, so it prints everything and stops
 * the machine.  Exception classes: Arm ARM D13.2.37, Table D13-41.
 */
#include <paddock/fmt.h>
#include <paddock/hypercall.h>
#include <paddock/system.h>
#include <paddock/iommu_layer.h>
#include <asm/devices.h>
#include <asm/domain.h>
#include <asm/platform.h>
#include <asm/sched.h>
#include <asm/sysreg.h>
#include <xen/arch-arm.h>
#include <xen/errno.h>

static const char *ec_name(unsigned ec)
{
	switch (ec) {
	case EC_UNKNOWN:
		return "undefined instruction";
	case EC_WFX:
		return "WFI/WFE";
	case EC_FP:
		return "FP/SIMD access";
	case EC_PAC:
		return "pointer authentication";
	case EC_ILLEGAL:
		return "illegal exception return";
	case EC_SVC64:
		return "SVC";
	case EC_HVC64:
		return "HVC";
	case EC_SMC64:
		return "SMC";
	case EC_SYSREG:
		return "trapped system register access";
	case EC_SVE:
		return "SVE access";
	case EC_IABT_LOW:
	case EC_IABT_CUR:
		return "instruction abort";
	case EC_PC_ALIGN:
		return "PC alignment fault";
	case EC_DABT_LOW:
	case EC_DABT_CUR:
		return "data abort";
	case EC_SP_ALIGN:
		return "SP alignment fault";
	case EC_SERROR:
		return "SError";
	case EC_BRK:
		return "BRK";
	default:
		return "exception";
	}
}

static void dump_frame(const struct trap_frame *f)
{
	hv_printf("  elr %016lx  spsr %08lx  esr %08lx  far %016lx\n", f->elr,
		  f->spsr, read_sysreg(esr_el2), read_sysreg(far_el2));
	for (unsigned i = 0; i < 31; i += 4) {
		hv_printf("  x%-2u %016lx x%-2u %016lx", i, f->x[i], i + 1,
			  f->x[i + 1]);
		if (i + 2 < 31)
			hv_printf(" x%-2u %016lx", i + 2, f->x[i + 2]);
		if (i + 3 < 31)
			hv_printf(" x%-2u %016lx", i + 3, f->x[i + 3]);
		hv_printf("\n");
	}
}

/** A fault at EL2: a bug.  Dump, tell the test host, stop. */
static __attribute__((noreturn)) void hypervisor_fault(struct trap_frame *f,
						       unsigned kind)
{
	uint64_t esr = read_sysreg(esr_el2);

	hv_printf("\narm64: HYPERVISOR FAULT: %s (ESR_EL2 EC %#lx) on cpu "
		  "%u\n",
		  kind == TRAP_HV_SYNC	   ? ec_name(ESR_EC(esr))
		  : kind == TRAP_HV_SERROR ? "SError"
					   : "interrupt at EL2",
		  ESR_EC(esr), this_cpu()->id);
	dump_frame(f);
	hv_printf("arm64: halted\n");
	arch_exit(ARCH_EXIT_HV_FAULT);
}

/** The domain running now dies for `why`; the others go on. */
static void kill_current(struct trap_frame *f, const char *why)
{
	struct domain *d = this_cpu()->current;

	hv_printf("arm64: domain %u (%s) crashed: %s\n", d->id, d->name, why);
	dump_frame(f);
	domain_crash(d, why);
}

/*
 * A stage-2 abort (HPFAR_EL2 holds the IPA's page, D13.2.57).  An
 * instruction abort at VBAR_EL1's table is the domain taking one of its
 * own exceptions with no vector table there: the exception it took is
 * the reason (its ESR_EL1 and ELR_EL1 say which and where).
 */
static void guest_abort(struct trap_frame *f, uint64_t esr, char *why, size_t n)
{
	uint64_t ipa = (read_sysreg(hpfar_el2) >> 4) << 12 |
		       (read_sysreg(far_el2) & 0xfff);
	uint64_t vbar = read_sysreg(vbar_el1);

	if (ESR_EC(esr) == EC_IABT_LOW && f->elr >= vbar &&
	    f->elr < vbar + 0x800) {
		uint64_t esr1 = read_sysreg(esr_el1);

		pd_snprintf(why, n,
			    "%s at EL1 (pc %lx, ESR_EL1 %lx, FAR_EL1 %lx) "
			    "with no exception vector",
			    ec_name(ESR_EC(esr1)), read_sysreg(elr_el1), esr1,
			    read_sysreg(far_el1));
		return;
	}
	pd_snprintf(why, n,
		    "%s at IPA %lx (pc %lx, %s, FSC %#lx): not its "
		    "memory",
		    ec_name(ESR_EC(esr)), ipa, f->elr,
		    ESR_EC(esr) == EC_DABT_LOW && (esr & ISS_DABT_WNR) ? "write"
								       : "read",
		    ISS_FSC(esr));
}

static atomic_bool first_hypercall_seen;

/*
 * Xen's arm64 convention: hvc #0xEA1, op in x16, x0-x4, result in x0.
 * The arguments are the frame's x0-x4 themselves (read before x0 is
 * written): no copy on the path every call takes.
 */
static void hypercall(struct trap_frame *f)
{
	struct domain *d = this_cpu()->current;

	if (__builtin_expect(!atomic_load_explicit(&first_hypercall_seen,
						   memory_order_relaxed),
			     0) &&
	    !atomic_exchange(&first_hypercall_seen, true))
		aarch64_note_first_hypercall();
	f->x[0] = (uint64_t)hypercall_dispatch(hv_system(), d, f->x[16], f->x);
}

static struct {
	uint32_t wrong_hvc;   /* HVC with another immediate: refused */
	uint32_t stray[1024]; /* interrupts with no handler, by INTID */
	uint32_t spurious;
} counts;

/* The counters are shared by every CPU. */
static void count_event(uint32_t *counter)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

static void guest_sync(struct trap_frame *f)
{
	uint64_t esr = read_sysreg(esr_el2);
	unsigned ec = ESR_EC(esr);
	char why[160];

	switch (ec) {
	case EC_HVC64:
		if ((esr & 0xffff) == XEN_HYPERCALL_TAG) {
			hypercall(f);
			return;
		}
		/* PSCI calls and other hypervisors' ABIs: not served. */
		count_event(&counts.wrong_hvc);
		f->x[0] = (uint64_t)(long)-XEN_ENOSYS;
		return;
	case EC_WFX:
		/* A domain waiting for something gives up its slice. */
		f->elr += 4;
		sched_request_switch();
		return;
	case EC_IABT_LOW:
	case EC_DABT_LOW:
		guest_abort(f, esr, why, sizeof(why));
		break;
	case EC_SMC64:
		pd_snprintf(why, sizeof(why),
			    "SMC #%lu (pc %lx): a domain never reaches the "
			    "firmware",
			    esr & 0xffff, f->elr);
		break;
	case EC_SYSREG:
		/* ISS: Op0, Op2, Op1, CRn, Rt, CRm, direction (D13.2.37). */
		pd_snprintf(why, sizeof(why),
			    "%s of system register S%lu_%lu_C%lu_C%lu_%lu (pc "
			    "%lx): not the domain's",
			    esr & 1 ? "read" : "write", (esr >> 20) & 3,
			    (esr >> 14) & 7, (esr >> 10) & 15, (esr >> 1) & 15,
			    (esr >> 17) & 7, f->elr);
		break;
	default:
		pd_snprintf(why, sizeof(why), "%s (pc %lx, ESR_EL2 %lx)",
			    ec_name(ec), f->elr, esr);
		break;
	}
	kill_current(f, why);
}

/* The timer's interrupt ends the slice; any other is counted, ignored. */
static void guest_irq(void)
{
	unsigned intid = gic_ack();

	if (intid >= GIC_INTID_SPURIOUS) {
		count_event(&counts.spurious);
		return;
	}
	if (intid == arm_plat.timer_hyp_intid) {
		timer_rearm();
		gic_eoi(intid);
		iommu_poll_faults_tick();
		sched_request_switch();
		return;
	}
	gic_eoi(intid);
	count_event(&counts.stray[intid]);
}

/* Everything but a hypercall: out of line, so the hypercall path needs
 * none of its stack. */
static __attribute__((noinline)) void other_trap(struct trap_frame *f,
						 unsigned kind)
{
	char why[96];

	switch (kind) {
	case TRAP_GUEST_SYNC:
		guest_sync(f);
		break;
	case TRAP_GUEST_IRQ:
	case TRAP_GUEST_FIQ:
		guest_irq();
		break;
	case TRAP_GUEST_SERROR:
	case TRAP_GUEST_AARCH32:
		pd_snprintf(why, sizeof(why), "%s (pc %lx)",
			    kind == TRAP_GUEST_SERROR ? "SError"
						      : "AArch32 execution",
			    f->elr);
		kill_current(f, why);
		break;
	default:
		hypervisor_fault(f, kind);
	}
}

void aarch64_trap(struct trap_frame *f, unsigned kind)
{
	uint64_t esr = read_sysreg(esr_el2);

	/* The most frequent entry first: hvc #0xEA1 from a domain. */
	if (kind == TRAP_GUEST_SYNC && ESR_EC(esr) == EC_HVC64 &&
	    (esr & 0xffff) == XEN_HYPERCALL_TAG)
		hypercall(f);
	else
		other_trap(f, kind);
	sched_load_next(f);
}

/* One summary line per kind of event nobody asked for, if any came. */
void aarch64_print_interrupt_counts(void)
{
	unsigned lines = 0;

	for (unsigned intid = 0; intid < 1024; intid++)
		lines += counts.stray[intid] &&
			 (hv_printf("arm64: stray interrupt %u: %u "
				    "acknowledged and ignored\n",
				    intid, counts.stray[intid]),
			  true);
	if (counts.spurious && ++lines)
		hv_printf("arm64: spurious interrupts: %u\n", counts.spurious);
	if (counts.wrong_hvc && ++lines)
		hv_printf("arm64: HVCs with another immediate than 0xEA1: %u "
			  "refused\n",
			  counts.wrong_hvc);
	if (!lines)
		hv_printf("arm64: stray interrupts: none\n");
}
