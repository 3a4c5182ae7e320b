/* SPDX-License-Identifier: MIT */
/*
 * The end of the run, on any architecture: what never stops by itself is
 * stopped, one summary row per domain (how it ended against what was
 * expected, its PASID and PASID-table figures), the table footprint's
 * peak, and the exit status the test host reads.
 */
#include <paddock/fmt.h>
#include <paddock/hypercall.h>
#include <paddock/iommu_glue.h>
#include <paddock/pasid.h>
#include <paddock/selftest.h>
#include <paddock/system.h>
#include <paddock/test_op.h>
#include <config/config.h>
#include <xen/sched.h>

static const char *exit_word(const struct domain *d)
{
	if (d->state == DOMAIN_CRASHED)
		return "crashed";
	if (d->ended_by_hypervisor)
		return "ended";
	switch (d->shutdown_code) {
	case SHUTDOWN_poweroff:
		return "poweroff";
	case SHUTDOWN_reboot:
		return "reboot";
	case SHUTDOWN_suspend:
		return "suspend";
	case SHUTDOWN_crash:
		return "crash";
	default:
		return "other";
	}
}

/*
 * A domain passed: it powered off, or it crashed when meant to, or it
 * ran until the end when meant to run forever.
 */
static bool domain_passed(const struct domain *d)
{
	if (d->cfg->runs_forever)
		return d->ended_by_hypervisor;
	/* Crashing on purpose means a real fault the hypervisor caught, not
	 * a guest shutting itself down with SHUTDOWN_crash. */
	if (d->cfg->expect_crash)
		return d->state == DOMAIN_CRASHED;
	return d->state == DOMAIN_SHUTDOWN &&
	       d->shutdown_code == SHUTDOWN_poweroff;
}

static const char *expect_word(const struct domain *d)
{
	if (d->cfg->runs_forever)
		return "forever";
	return d->cfg->expect_crash ? "crash" : "poweroff";
}

/* Was an earlier device of the domain's DMA tagged with this one's
 * requester ID (a function behind the same PCIe-to-PCI bridge)? */
static bool rid_counted(const struct domain_cfg *cfg, unsigned i)
{
	for (unsigned k = 0; k < i; k++) {
		if (arch_device_requester_id(cfg->devices[k]) ==
		    arch_device_requester_id(cfg->devices[i]))
			return true;
	}
	return false;
}

/* PASID-table pages of the domain's devices, from the IOMMU driver: once
 * per requester ID, which is what owns the tables. */
static void domain_tables(const struct domain *d,
			  struct iommu_table_figures *sum)
{
	*sum = (struct iommu_table_figures){0};
	for (unsigned i = 0; i < d->cfg->ndevices; i++) {
		struct iommu_table_figures f;

		if (rid_counted(d->cfg, i))
			continue;
		iommu_device_tables(d->cfg->devices[i], &f);
		sum->dir_pages += f.dir_pages;
		sum->leaves_peak += f.leaves_peak;
		sum->binds += f.binds;
	}
}

/*
 * A domain's PASID figures as pasid_list() has them now (a set that still
 * holds parked PASIDs), else as they were when it stopped.
 */
static const struct paddock_pasid_info *
domain_pasids(const struct domain *d, const struct paddock_pasid_info *live,
	      uint32_t nlive)
{
	static const struct paddock_pasid_info none;

	for (uint32_t i = 0; i < nlive; i++) {
		if (live[i].domain == d->id)
			return &live[i];
	}
	return d->state != DOMAIN_RUNNING ? &d->final_pasids : &none;
}

/* One row per domain of the table. */
static void summary_row(const struct domain *d,
			const struct paddock_pasid_info *live, uint32_t nlive)
{
	const struct paddock_pasid_info *p = domain_pasids(d, live, nlive);
	struct iommu_table_figures t;

	domain_tables(d, &t);
	hv_printf("%-4u %-12s %-8s %-8s %5u %4u %5u %6u %4u %8u %6u %4u %7u "
		  "%5u %3u/%-3u %6lu %s\n",
		  d->id, d->name, exit_word(d), expect_word(d), p->quota,
		  p->allocated, p->bound, p->parked, p->peak, p->refusals,
		  p->faults, p->faults_suppressed, p->faults_foreign, t.binds,
		  t.dir_pages, t.leaves_peak, d->slices,
		  domain_passed(d) ? "ok" : "FAILED");
}

/*
 * One machine-readable line per domain, for the scripts that compare
 * what a domain counted itself with what the hypervisor counted
 * (scripts/smp-judge.py): the dispatcher's calls by number and its
 * failed calls, beside the set's figures and the IOMMU layer's binds.
 * key=value, in a fixed order; the table above stays as it is.
 */
static void summary_figures(const struct domain *d,
			    const struct paddock_pasid_info *live,
			    uint32_t nlive)
{
	const struct paddock_pasid_info *p = domain_pasids(d, live, nlive);
	struct iommu_table_figures t;
	uint64_t calls = 0;

	for (unsigned i = 0; i < HCALL_COUNTERS; i++)
		calls += d->hypercalls[i];
	domain_tables(d, &t);
	hv_printf("figures: dom=%u name=%s cpu=%u hypercalls=%lu pasid_op=%lu "
		  "console_io=%lu sched_op=%lu test_op=%lu errors=%lu "
		  "refusals=%u refusals_quota=%u held=%u bound=%u parked=%u "
		  "peak=%u binds=%u faults=%u\n",
		  d->id, d->name, d->cpu, calls,
		  d->hypercalls[__HYPERVISOR_paddock_pasid_op],
		  d->hypercalls[__HYPERVISOR_console_io],
		  d->hypercalls[__HYPERVISOR_sched_op],
		  d->hypercalls[__HYPERVISOR_paddock_test_op],
		  d->hypercall_errors, p->refusals, p->refusals_quota,
		  p->allocated, p->bound, p->parked, p->peak, t.binds,
		  p->faults);
}

/* The hypervisor's own set (devices no domain owns). */
static void summary_hv_row(const struct paddock_pasid_info *p)
{
	hv_printf("%-4s %-12s %-8s %-8s %5u %4u %5u %6u %4u %8u %6u %4u %7u "
		  "%5s %7s %6s %s\n",
		  "hv", "(hypervisor)", "-", "-", p->quota, p->allocated,
		  p->bound, p->parked, p->peak, p->refusals, p->faults,
		  p->faults_suppressed, p->faults_foreign, "-", "-", "-", "-");
}

/* Which CPU ran which domains: a run on several CPUs says so. */
static void summary_cpus(const struct hv_system *sys)
{
	hv_printf("cpus: %u online of %u found\n", system_cpus_online(),
		  cpus_found);
	for (unsigned c = 0; c < cpus_found; c++) {
		char line[200];
		size_t n = (size_t)pd_snprintf(
			line, sizeof(line), "  cpu %u (id %lx) %s:", c,
			percpus[c].hw_id,
			cpu_online(&percpus[c]) ? "ran" : "never started, had");

		for (unsigned i = 0; i < sys->ndomains; i++) {
			const struct domain *d = sys->domains[i];

			if (d->cpu == c && n < sizeof(line))
				n += (size_t)pd_snprintf(line + n,
							 sizeof(line) - n,
							 " %s", d->name);
		}
		hv_printf("%s\n", line);
	}
}

static void print_summary(const struct hv_system *sys)
{
	static struct paddock_pasid_info info[CFG_MAX_DOMAINS + 1];
	uint32_t n = pasid_list(sys->pasids, info, ARRAY_SIZE(info));

	if (n > ARRAY_SIZE(info))
		n = ARRAY_SIZE(info);
	hv_printf("\n%s: all domains stopped\n", arch_log_prefix);
	hv_printf("%-4s %-12s %-8s %-8s %5s %4s %5s %6s %4s %8s %6s %4s %7s "
		  "%5s %7s %6s %s\n",
		  "dom", "name", "exit", "expect", "quota", "used", "bound",
		  "parked", "peak", "refusals", "faults", "supp", "foreign",
		  "binds", "dir/lf", "slices", "result");
	for (unsigned i = 0; i < sys->ndomains; i++)
		summary_row(sys->domains[i], info, n);
	for (uint32_t i = 0; i < n; i++) {
		if (info[i].domain >= sys->ndomains)
			summary_hv_row(&info[i]);
	}
	hv_printf("columns: bound/parked at stop; faults: its devices' DMA "
		  "faults (hv: devices no domain owns); supp: on its parked "
		  "PASIDs; foreign: of faults, on PASIDs it did not hold;\n");
	hv_printf("  binds: PASID entries installed on its devices; dir/lf: "
		  "PASID-directory pages / most PASID-table leaf pages, once "
		  "per requester ID\n");
	for (unsigned i = 0; i < sys->ndomains; i++)
		summary_figures(sys->domains[i], info, n);
	summary_cpus(sys);
	arch_summary_lines();
	iommu_bench_tables(); /* make bench reads the demo's */
}

/* The run is over: stop what was never expected to stop by itself. */
static void stop_remaining(struct hv_system *sys)
{
	for (unsigned i = 0; i < sys->ndomains; i++) {
		struct domain *d = sys->domains[i];

		if (!d->runnable)
			continue;
		d->ended_by_hypervisor = true;
		domain_stop(sys, d, DOMAIN_SHUTDOWN, SHUTDOWN_poweroff,
			    "the run is over (runs_forever)");
	}
}

void system_all_stopped(void)
{
	struct hv_system *sys = hv_system();
	unsigned failed = 0;

	arch_run_ending();
	stop_remaining(sys);
	arch_run_over();
	test_end_of_run(sys);
	print_summary(sys);
	for (unsigned i = 0; i < sys->ndomains; i++) {
		if (!domain_passed(sys->domains[i]))
			failed++;
	}
	hv_printf("%s: %u of %u domains ended as expected\n", arch_log_prefix,
		  sys->ndomains - failed, sys->ndomains);
	arch_exit(failed ? ARCH_EXIT_TESTS_FAILED : ARCH_EXIT_OK);
}
