/* SPDX-License-Identifier: MIT */
/*
 * Every CPU, on any architecture (paddock/system.h): which CPU runs each
 * domain, starting the CPUs after the boot CPU, and the end of the run
 * once every CPU has nothing left to do.
 *
 * The protocol, all through atomics (docs/design.md, "CPUs"):
 * - the boot CPU builds every domain, then starts the others one at a
 *   time; each sets its own state up and goes ONLINE, then waits for go;
 * - go is given once every CPU is up or abandoned, so the number online
 *   is final before any CPU can finish;
 * - a CPU finishes when its queue has no runnable domain or no domain
 *   the run waits for is left; it counts itself done, and the one that
 *   makes the count equal the CPUs online is the last: it prints the
 *   summary and ends the run, while the others are parked.
 */
#include <paddock/hypercall.h>
#include <paddock/system.h>
#include <config/config.h>

_Static_assert(HW_MAX_CPUS == CFG_MAX_CPUS && PERCPU_MAX_CPUS == CFG_MAX_CPUS,
	       "one limit on CPUs");
_Static_assert(PERCPU_MAX_DOMAINS == CFG_MAX_DOMAINS,
	       "a CPU's queue holds every domain");

static atomic_uint cpus_online_count;
static atomic_uint cpus_done;
static atomic_bool cpus_go;
static unsigned next_any_cpu;

struct percpu *system_cpu_for(const struct domain_cfg *cfg)
{
	if (cfg->cpu != CFG_CPU_ANY && (unsigned)cfg->cpu < cpus_found)
		return &percpus[cfg->cpu];
	if (cfg->cpu != CFG_CPU_ANY)
		return &percpus[0]; /* config_validate refused it already */
	return &percpus[next_any_cpu++ % cpus_found];
}

unsigned system_cpus_online(void)
{
	return atomic_load(&cpus_online_count);
}

/* A CPU that never came up: the domains it was to run cannot run. */
static void crash_domains_of(struct percpu *c)
{
	for (unsigned i = 0; i < c->nqueued; i++)
		domain_crash(c->queue[i], "its CPU did not start");
}

static void start_one(struct percpu *c)
{
	unsigned starting = CPU_STARTING;

	atomic_store(&c->state, CPU_STARTING);
	if (arch_cpu_start(c) == 0 && cpu_online(c)) {
		atomic_fetch_add(&cpus_online_count, 1);
		return;
	}
	/* Given up: unless it came up just now, it never will run. */
	if (!atomic_compare_exchange_strong(&c->state, &starting,
					    CPU_ABANDONED)) {
		atomic_fetch_add(&cpus_online_count, 1);
		return;
	}
	hv_printf("%s: cpu %u (id %lx) did not start; its %u domains "
		  "crash\n",
		  arch_log_prefix, c->id, c->hw_id, c->nqueued);
	crash_domains_of(c);
}

void system_cpus_start(void)
{
	atomic_store(&percpus[0].state, CPU_ONLINE);
	atomic_store(&cpus_online_count, 1);
	for (unsigned i = 1; i < cpus_found; i++)
		start_one(&percpus[i]);
	hv_printf("%s: %u of %u CPUs online\n", arch_log_prefix,
		  system_cpus_online(), cpus_found);
	atomic_store(&cpus_go, true);
}

void system_secondary_main(void)
{
	struct percpu *c = this_cpu();
	unsigned starting = CPU_STARTING;

	if (!atomic_compare_exchange_strong(&c->state, &starting, CPU_ONLINE))
		arch_cpu_park(); /* too late: the boot CPU gave up on it */
	while (!atomic_load(&cpus_go))
		cpu_relax();
	arch_start_first();
}

void cpu_finished(void)
{
	struct percpu *c = this_cpu();
	unsigned done = atomic_fetch_add(&cpus_done, 1) + 1;

	c->current = NULL;
	if (done == system_cpus_online())
		system_all_stopped();
	arch_cpu_park();
}
