/* SPDX-License-Identifier: MIT */
/*
 * Round robin over the domains (paddock/system.h).  The arch's slice
 * timer asks for a switch every slice, so a domain that spins cannot
 * starve the others; yield and stop ask for one at once.  The arch does
 * the switch itself (registers, address space); this file only decides.
 */
#include <paddock/system.h>
#include <config/config.h>

static struct domain *queue[CFG_MAX_DOMAINS];
static unsigned nqueued;
static unsigned cur;

void sched_add(struct domain *d)
{
	if (nqueued < CFG_MAX_DOMAINS)
		queue[nqueued++] = d;
	cur = nqueued - 1; /* so that the first pick is the first domain */
}

void domain_yield(struct domain *d)
{
	(void)d;
	sched_request_switch();
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

struct domain *sched_pick_next(void)
{
	struct percpu *c = this_cpu();
	int next = pick_next();

	if (next < 0)
		system_all_stopped();
	c->switch_wanted = false;
	if (!c->current || (unsigned)next != cur) {
		cur = (unsigned)next;
		queue[cur]->slices++;
	}
	c->current = queue[cur];
	return c->current;
}

struct domain *sched_next_other(struct domain **leaving)
{
	struct domain *from = this_cpu()->current;
	struct domain *to = sched_pick_next();

	if (to == from)
		return NULL;
	*leaving = from;
	return to;
}
