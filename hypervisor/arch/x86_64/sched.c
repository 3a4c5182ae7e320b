/* SPDX-License-Identifier: MIT */
/*
 * Round robin over the domains (asm/sched.h).  The APIC timer asks for a
 * switch every slice, so a domain that spins cannot starve the others;
 * yield and stop ask for one at once.
 */
#include <asm/desc.h>
#include <asm/domain.h>
#include <asm/layout.h>
#include <asm/sched.h>
#include <asm/x86.h>

static struct arch_domain *queue[CFG_MAX_DOMAINS];
static unsigned nqueued;
static unsigned cur;
static bool running;
static bool switch_wanted;

void sched_add(struct arch_domain *ad)
{
	if (nqueued < CFG_MAX_DOMAINS)
		queue[nqueued++] = ad;
}

struct arch_domain *sched_running;

void sched_request_switch(void)
{
	switch_wanted = true;
}

/* True while some domain the run waits for has not stopped. */
static bool awaited_domains_left(void)
{
	for (unsigned i = 0; i < nqueued; i++) {
		if (queue[i]->runnable && !queue[i]->cfg->runs_forever)
			return true;
	}
	return false;
}

/* The next runnable domain after the current one, or -1 at the end. */
static int pick_next(void)
{
	if (!awaited_domains_left())
		return -1;
	for (unsigned i = 1; i <= nqueued; i++) {
		unsigned idx = (cur + i) % nqueued;

		if (queue[idx]->runnable)
			return (int)idx;
	}
	return -1;
}

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
 * Picks the next domain and, if it is another one, saves f into the one
 * leaving and loads the new one's registers.  Out of line: most exits
 * stay in the running domain and need none of this.
 */
static __attribute__((noinline)) void switch_domain(struct trap_frame *f)
{
	int next = pick_next();

	if (next < 0)
		x86_all_domains_stopped();
	switch_wanted = false;
	if (!running || (unsigned)next != cur) {
		/* Saved only now: a call that stays in its domain leaves on
		 * the frame it came in on. */
		if (running)
			queue[cur]->ctx = *f;
		switch_segments(running ? queue[cur] : NULL,
				queue[(unsigned)next]);
		cur = (unsigned)next;
		write_cr3(queue[cur]->cr3);
		queue[cur]->slices++;
		if (!queue[cur]->start_tsc)
			queue[cur]->start_tsc = rdtsc();
		*f = queue[cur]->ctx;
	}
	running = true;
	sched_running = queue[cur];
}

void sched_load_next(struct trap_frame *f)
{
	if (!running || switch_wanted || !queue[cur]->runnable)
		switch_domain(f);
	/* Whatever the saved frame says, leave in ring 3 with interrupts on
	 * and no I/O privilege (SDM Vol. 3A, 6.14.3 for iretq's checks). */
	f->cs = SEL_USER_CS;
	f->ss = SEL_USER_DS;
	f->rflags = (f->rflags & RFLAGS_GUEST_MASK) | RFLAGS_FIXED | RFLAGS_IF;
}

void sched_start(void)
{
	struct trap_frame *f =
		(struct trap_frame *)(x86_trap_stack_top - sizeof(*f));

	cur = nqueued ? nqueued - 1 : 0; /* so that the first pick is 0 */
	if (!nqueued)
		x86_all_domains_stopped();
	sched_load_next(f);
	x86_enter_frame(f);
}
