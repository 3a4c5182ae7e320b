/* SPDX-License-Identifier: MIT */
/*
 * The aarch64 half of a domain switch: the scheduler's policy is generic
 * (core/boot/sched.c); here the leaving domain's registers, EL1 system
 * registers, FP/SIMD registers and virtual timer are saved and the next
 * one's loaded with its stage 2.  Everything a domain can write at EL1 is
 * switched, so no domain sees another's values (the list: Arm ARM
 * D13.2, the EL1 registers HCR_EL2 does not trap).  The hypervisor never
 * blocks: every entry handles its event on the running domain's frame and
 * leaves into whichever domain should run next.
 */
#include <paddock/system.h>
#include <asm/cpu.h>
#include <asm/domain.h>
#include <asm/sched.h>
#include <asm/sysreg.h>

void el1_state_init(struct el1_state *s)
{
	*s = (struct el1_state){.sctlr = SCTLR_EL1_RES1};
}

void el1_state_save(struct arch_domain *ad)
{
	struct el1_state *s = &ad->el1;

	s->sctlr = read_sysreg(sctlr_el1);
	s->ttbr0 = read_sysreg(ttbr0_el1);
	s->ttbr1 = read_sysreg(ttbr1_el1);
	s->tcr = read_sysreg(tcr_el1);
	s->mair = read_sysreg(mair_el1);
	s->amair = read_sysreg(amair_el1);
	s->vbar = read_sysreg(vbar_el1);
	s->cpacr = read_sysreg(cpacr_el1);
	s->elr = read_sysreg(elr_el1);
	s->spsr = read_sysreg(spsr_el1);
	s->sp_el0 = read_sysreg(sp_el0);
	s->sp_el1 = read_sysreg(sp_el1);
	s->esr = read_sysreg(esr_el1);
	s->far = read_sysreg(far_el1);
	s->afsr0 = read_sysreg(afsr0_el1);
	s->afsr1 = read_sysreg(afsr1_el1);
	s->par = read_sysreg(par_el1);
	s->contextidr = read_sysreg(contextidr_el1);
	s->tpidr_el0 = read_sysreg(tpidr_el0);
	s->tpidr_el1 = read_sysreg(tpidr_el1);
	s->tpidrro_el0 = read_sysreg(tpidrro_el0);
	s->cntkctl = read_sysreg(cntkctl_el1);
	s->csselr = read_sysreg(csselr_el1);
	s->cntv_ctl = read_sysreg(cntv_ctl_el0);
	s->cntv_cval = read_sysreg(cntv_cval_el0);
	fpsimd_save(&ad->fp);
}

void el1_state_load(const struct arch_domain *ad)
{
	const struct el1_state *s = &ad->el1;

	write_sysreg(vttbr_el2, ad->vttbr);
	write_sysreg(sctlr_el1, s->sctlr);
	write_sysreg(ttbr0_el1, s->ttbr0);
	write_sysreg(ttbr1_el1, s->ttbr1);
	write_sysreg(tcr_el1, s->tcr);
	write_sysreg(mair_el1, s->mair);
	write_sysreg(amair_el1, s->amair);
	write_sysreg(vbar_el1, s->vbar);
	write_sysreg(cpacr_el1, s->cpacr);
	write_sysreg(elr_el1, s->elr);
	write_sysreg(spsr_el1, s->spsr);
	write_sysreg(sp_el0, s->sp_el0);
	write_sysreg(sp_el1, s->sp_el1);
	write_sysreg(esr_el1, s->esr);
	write_sysreg(far_el1, s->far);
	write_sysreg(afsr0_el1, s->afsr0);
	write_sysreg(afsr1_el1, s->afsr1);
	write_sysreg(par_el1, s->par);
	write_sysreg(contextidr_el1, s->contextidr);
	write_sysreg(tpidr_el0, s->tpidr_el0);
	write_sysreg(tpidr_el1, s->tpidr_el1);
	write_sysreg(tpidrro_el0, s->tpidrro_el0);
	write_sysreg(cntkctl_el1, s->cntkctl);
	write_sysreg(csselr_el1, s->csselr);
	write_sysreg(cntv_cval_el0, s->cntv_cval);
	write_sysreg(cntv_ctl_el0, s->cntv_ctl);
	fpsimd_restore(&ad->fp);
	isb();
}

/* The leaving domain keeps the frame it left on and its EL1 state. */
static void save_domain(struct arch_domain *ad, const struct trap_frame *f)
{
	ad->ctx = *f;
	el1_state_save(ad);
}

static void load_domain(struct arch_domain *ad, struct trap_frame *f)
{
	el1_state_load(ad);
	ad->started = true;
	*f = ad->ctx;
}

/*
 * Asks the scheduler for the next domain and, if it is another one, saves
 * the one leaving and loads it.  Out of line: most exits stay in the
 * running domain and need none of this (asm/sched.h).
 */
void sched_switch_domain(struct trap_frame *f)
{
	struct domain *from;
	struct domain *to = sched_next_other(&from);

	if (to && from)
		save_domain(arch_of(from), f);
	if (to)
		load_domain(arch_of(to), f);
}

/* The frame sits at the very top of this CPU's stack, which C code never
 * reaches (boot.S, STACK_FRAME_RESERVE). */
void arch_start_first(void)
{
	struct trap_frame *f =
		(struct trap_frame *)(uintptr_t)(a64_stack_top() - sizeof(*f));

	sched_load_next(f);
	aarch64_enter_frame(f);
}
