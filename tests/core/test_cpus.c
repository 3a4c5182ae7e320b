/* SPDX-License-Identifier: MIT */
/*
 * Every CPU's generic side (hypervisor/core/boot/cpus.c) on the host, with
 * real threads as the CPUs: the start protocol (online, failed, too late),
 * the go signal, and the end of the run (one summary, the others parked).
 * Each scenario runs in its own process, since cpus.c's counters are
 * once-per-boot state; a scenario passes when its process exits 0.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <paddock/hypercall.h>
#include <paddock/system.h>
#include <config/config.h>
#include <xen/sched.h>

#define NCPUS 3

enum start_mode { STARTS, FAILS, TOO_LATE };

static enum start_mode mode[NCPUS];
static struct domain doms[NCPUS];
static struct domain_cfg cfgs[NCPUS];
static atomic_uint entered[NCPUS], parked[NCPUS], all_stopped;
static jmp_buf main_cpu_out;
static pthread_t threads[NCPUS];

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__,     \
				#cond);                                        \
			exit(1);                                               \
		}                                                              \
	} while (0)

/* ---- Stand-ins for what cpus.c, sched.c and domain.c call ---- */

const char arch_log_prefix[] = "test";
static struct hv_system sys;

struct hv_system *hv_system(void)
{
	return &sys;
}

void arch_console_write(const char *buf, size_t len)
{
	fwrite(buf, 1, len, stdout);
}

void hv_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

void iommu_quiesce_device(uint32_t bdf)
{
	(void)bdf;
}

const struct guest_image guest_images[1];
const unsigned guest_image_count = 0;

/* The test's own thread, which plays each CPU in turn in the last
 * scenario: it leaves the stand-ins by longjmp, the others by exiting. */
static _Thread_local bool main_thread;

static bool on_main_cpu(void)
{
	return main_thread;
}

void arch_start_first(void)
{
	atomic_fetch_add(&entered[this_cpu()->id], 1);
	if (on_main_cpu())
		longjmp(main_cpu_out, 1);
	pthread_exit(NULL);
}

void arch_cpu_park(void)
{
	atomic_fetch_add(&parked[this_cpu()->id], 1);
	if (on_main_cpu())
		longjmp(main_cpu_out, 2);
	pthread_exit(NULL);
}

void system_all_stopped(void)
{
	atomic_fetch_add(&all_stopped, 1);
	arch_cpu_park();
}

static void *secondary(void *arg)
{
	struct percpu *c = arg;

	if (mode[c->id] == TOO_LATE)
		usleep(20000); /* after the boot CPU gave up on it */
	host_this_cpu = c;
	system_secondary_main();
}

/* The arch's side: start the thread, wait (bounded) for it to be online. */
int arch_cpu_start(struct percpu *c)
{
	if (mode[c->id] == FAILS)
		return -1;
	pthread_create(&threads[c->id], NULL, secondary, c);
	for (int i = 0; i < 1000 && mode[c->id] == STARTS; i++) {
		if (cpu_online(c))
			return 0;
		usleep(1000);
	}
	return -1;
}

/* ---- Scenarios ---- */

/* One awaited domain per CPU; the boot CPU starts the others. */
static void boot(void)
{
	main_thread = true;
	host_this_cpu = &percpus[0];
	cpus_found = NCPUS;
	for (unsigned i = 0; i < NCPUS; i++) {
		percpus[i].id = i;
		percpus[i].hw_id = 0x100 + i;
		cfgs[i] = (struct domain_cfg){.name = "d", .cpu = (int)i};
		doms[i] = (struct domain){.id = (domid_t)i,
					  .name = "d",
					  .cfg = &cfgs[i],
					  .runnable = true,
					  .cpu = i};
		sched_add(&doms[i], &percpus[i]);
	}
	system_cpus_start();
}

static void join_started(void)
{
	for (unsigned i = 1; i < NCPUS; i++)
		if (mode[i] != FAILS)
			pthread_join(threads[i], NULL);
}

static void every_cpu_starts_and_runs(void)
{
	boot();
	join_started();
	CHECK(system_cpus_online() == NCPUS);
	for (unsigned i = 1; i < NCPUS; i++) {
		CHECK(cpu_online(&percpus[i]));
		CHECK(entered[i] == 1);
		CHECK(doms[i].state == DOMAIN_RUNNING);
	}
}

static void a_cpu_that_fails_has_its_domains_crashed(void)
{
	mode[2] = FAILS;
	boot();
	join_started();
	CHECK(system_cpus_online() == NCPUS - 1);
	CHECK(atomic_load(&percpus[2].state) == CPU_ABANDONED);
	CHECK(doms[2].state == DOMAIN_CRASHED);
	CHECK(!strcmp(doms[2].why, "its CPU did not start"));
	CHECK(doms[1].state == DOMAIN_RUNNING);
}

static void a_cpu_too_late_never_runs(void)
{
	mode[1] = TOO_LATE;
	boot();
	join_started();
	CHECK(system_cpus_online() == NCPUS - 1);
	CHECK(parked[1] == 1);
	CHECK(entered[1] == 0);
	CHECK(doms[1].state == DOMAIN_CRASHED);
}

/* Each CPU's domain stops; each CPU finishes; only the last one ends the
 * run, after every other one parked. */
static void the_last_cpu_to_finish_ends_the_run(void)
{
	boot();
	join_started();
	for (unsigned i = 0; i < NCPUS; i++) {
		host_this_cpu = &percpus[i];
		domain_stop(&sys, &doms[i], DOMAIN_SHUTDOWN, SHUTDOWN_poweroff,
			    "done");
		if (!setjmp(main_cpu_out))
			cpu_finished();
		CHECK(parked[i] == 1);
		CHECK(all_stopped == (i == NCPUS - 1));
	}
}

static const struct {
	const char *name;
	void (*run)(void);
} scenarios[] = {
	{"every_cpu_starts_and_runs", every_cpu_starts_and_runs},
	{"a_cpu_that_fails_has_its_domains_crashed",
	 a_cpu_that_fails_has_its_domains_crashed},
	{"a_cpu_too_late_never_runs", a_cpu_too_late_never_runs},
	{"the_last_cpu_to_finish_ends_the_run",
	 the_last_cpu_to_finish_ends_the_run},
};

#define NSCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

/* With a scenario's name: runs it in this process (exit 0: passed). */
static int run_one(const char *name)
{
	for (size_t i = 0; i < NSCENARIOS; i++) {
		if (!strcmp(name, scenarios[i].name)) {
			scenarios[i].run();
			return 0;
		}
	}
	fprintf(stderr, "no scenario %s\n", name);
	return 2;
}

/* Without: runs each in a fresh process (fork then exec, so that the
 * ThreadSanitizer build starts each from a clean runtime). */
int main(int argc, char **argv)
{
	unsigned passed = 0, failed = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1)
		return run_one(argv[1]);
	for (size_t i = 0; i < NSCENARIOS; i++) {
		int status;
		pid_t pid = fork();

		if (pid == 0) {
			execl("/proc/self/exe", argv[0], scenarios[i].name,
			      (char *)NULL);
			_exit(127);
		}
		waitpid(pid, &status, 0);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			printf("PASS cpus.%s\n", scenarios[i].name);
			passed++;
		} else {
			printf("FAIL cpus.%s\n", scenarios[i].name);
			failed++;
		}
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed != 0;
}
