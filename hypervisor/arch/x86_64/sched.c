/* SPDX-License-Identifier: MIT */
/*
 * The x86 half of a domain switch: the scheduler's policy is generic
 * (core/boot/sched.c); here the running domain's registers are saved and
 * the next one's loaded, with its address space and segment selectors.
 * The hypervisor never blocks: every entry handles the event on the
 * running domain's entry frame and leaves into whichever domain should
 * run next; the frame is saved into the domain only when another one
 * takes over.
 */
#include <paddock/system.h>
#include <asm/cpu.h>
#include <asm/domain.h>
#include <asm/layout.h>
#include <asm/trap.h>
#include <asm/x86.h>

/*
 * The data segment selectors are not in the trap frame: a domain may load
 * any selector its privilege allows, and the next domain must not see it.
 * Every saved value was loadable once, so reloading it cannot fault.
 */
static void switch_segments(struct arch_domain *from, struct arch_domain *to)
{
	if (from) {
		__asm__ volatile("mov %%ds, %0" : "=r"(from->ds));
		__asm__ volatile("mov %%es, %0" : "=r"(from->es));
		__asm__ volatile("mov %%fs, %0" : "=r"(from->fs));
		__asm__ volatile("mov %%gs, %0" : "=r"(from->gs));
	}
	__asm__ volatile("mov %0, %%ds" : : "r"(to->ds));
	__asm__ volatile("mov %0, %%es" : : "r"(to->es));
	__asm__ volatile("mov %0, %%fs" : : "r"(to->fs));
	__asm__ volatile("mov %0, %%gs" : : "r"(to->gs));
}

/*
 * Asks the scheduler for the next domain and, if it is another one, saves
 * f into the one leaving and loads the new one's registers.  Out of line:
 * most exits stay in the running domain and need none of this.
 */
static __attribute__((noinline)) void switch_domain(struct trap_frame *f)
{
	struct domain *from, *to = sched_next_other(&from);
	struct arch_domain *next;

	if (!to)
		return;
	next = arch_of(to);
	/* Saved only now: a call that stays in its domain leaves on the
	 * frame it came in on. */
	if (from)
		arch_of(from)->ctx = *f;
	switch_segments(from ? arch_of(from) : NULL, next);
	write_cr3(next->cr3);
	if (!next->start_tsc)
		next->start_tsc = rdtsc();
	*f = next->ctx;
}

void sched_load_next(struct trap_frame *f)
{
	if (sched_switch_due())
		switch_domain(f);
	/* Whatever the saved frame says, leave in ring 3 with interrupts on
	 * and no I/O privilege (SDM Vol. 3A, 6.14.3 for iretq's checks). */
	f->cs = SEL_USER_CS;
	f->ss = SEL_USER_DS;
	f->rflags = (f->rflags & RFLAGS_GUEST_MASK) | RFLAGS_FIXED | RFLAGS_IF;
}

/* On any CPU: its first domain's frame goes at the top of its own trap
 * stack, where every later entry from a domain builds one. */
void arch_start_first(void)
{
	uint64_t top = x86_cpu_stack_top(this_x86_cpu());

	x86_start_on_frame(
		(struct trap_frame *)(top - sizeof(struct trap_frame)));
}
