/* SPDX-License-Identifier: MIT */
/*
 * Round robin over each CPU's domains (paddock/system.h).  The arch's
 * slice timer asks for a switch every slice, so a domain that spins cannot
 * starve the others on its CPU; yield and stop ask for one at once.  The
 * arch does the switch itself (registers, address space); this file only
 * decides.  A CPU's queue is touched by that CPU alone (domains never
 * move), so it needs no lock; the one shared figure is how many domains
 * the run still waits for.
 */
#include <paddock/system.h>
#include <config/config.h>

/* Domains the run waits for (not runs_forever) that have not stopped. */
static atomic_uint awaited_left;

void sched_add(struct domain *d, struct percpu *c)
{
	if (c->nqueued == CFG_MAX_DOMAINS)
		return;
	c->queue[c->nqueued++] = d;
	c->cur = c->nqueued - 1; /* so that the first pick is the first one */
	if (!d->cfg->runs_forever)
		atomic_fetch_add(&awaited_left, 1);
}

void sched_domain_ended(struct domain *d)
{
	if (!d->cfg->runs_forever)
		atomic_fetch_sub(&awaited_left, 1);
}

bool sched_awaited_left(void)
{
	return atomic_load(&awaited_left) != 0;
}

void domain_yield(struct domain *d)
{
	(void)d;
	sched_request_switch();
}

/* The next runnable domain on c after its current one, or -1: none, or
 * the run is over (no domain anywhere it waits for). */
static int pick_next(const struct percpu *c)
{
	if (!sched_awaited_left())
		return -1;
	for (unsigned i = 1; i <= c->nqueued; i++) {
		unsigned idx = (c->cur + i) % c->nqueued;

		if (c->queue[idx]->runnable)
			return (int)idx;
	}
	return -1;
}

struct domain *sched_pick_next(void)
{
	struct percpu *c = this_cpu();
	int next = pick_next(c);

	if (next < 0)
		cpu_finished();
	c->switch_wanted = false;
	if (!c->current || (unsigned)next != c->cur) {
		c->cur = (unsigned)next;
		c->queue[c->cur]->slices++;
	}
	c->current = c->queue[c->cur];
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
