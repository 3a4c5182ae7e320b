/* SPDX-License-Identifier: MIT */
/*
 * The generic run-time side of hypervisor/core/boot on the host: the
 * scheduler's round robin and its end, a domain's console lines, its stop
 * and its crash.  Linked with sched.c and domain.c of core/boot and
 * stand-ins for what they call (the arch's console, the IOMMU glue, the
 * end of the run), so the unit tests' fake arch is not linked here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <paddock/hypercall.h>
#include <paddock/system.h>
#include <config/config.h>
#include <xen/sched.h>

#define NDOMS 4

static struct domain doms[NDOMS];
static struct domain_cfg cfgs[NDOMS];
static char console[8192];
static size_t console_len;
static unsigned quiesced[NDOMS * CFG_MAX_DEVICES], nquiesced;
static jmp_buf run_over;
static unsigned finished_calls;

/* ---- Stand-ins for what core/boot calls ---- */

const char arch_log_prefix[] = "test";

void arch_console_write(const char *buf, size_t len)
{
	if (console_len + len < sizeof(console)) {
		memcpy(console + console_len, buf, len);
		console_len += len;
	}
	console[console_len] = 0;
}

void iommu_quiesce_device(uint32_t bdf)
{
	quiesced[nquiesced++] = bdf;
}

void cpu_finished(void)
{
	finished_calls++;
	longjmp(run_over, 1);
}

static struct hv_system sys;

struct hv_system *hv_system(void)
{
	return &sys;
}

static const uint8_t image_bytes[4];
const struct guest_image guest_images[] = {
	{"basic", image_bytes, image_bytes + 4},
	{"basic-long", image_bytes, image_bytes + 4},
};
const unsigned guest_image_count = 2;

/* ---- The tests ---- */

static const char *const names[NDOMS] = {"a", "b", "c", "forever"};

static struct domain remote;
static struct domain_cfg remote_cfg = {.name = "remote"};

/* Takes back from the scheduler's count of awaited domains each one the
 * last test left running, so that every test starts from the same count. */
static void forget_queued(struct percpu *c)
{
	for (unsigned i = 0; i < c->nqueued; i++) {
		if (c->queue[i]->state == DOMAIN_RUNNING)
			sched_domain_ended(c->queue[i]);
	}
	*c = (struct percpu){.id = c->id};
}

/* Fresh domains, queued in order on CPU 0; "forever" runs forever.  CPU
 * 1 runs "remote", which the run also waits for. */
static int setup(void **state)
{
	(void)state;
	forget_queued(&percpus[0]);
	forget_queued(&percpus[1]);
	host_this_cpu = &percpus[0];
	for (unsigned i = 0; i < NDOMS; i++) {
		doms[i] = (struct domain){.id = (domid_t)i,
					  .name = names[i],
					  .cfg = &cfgs[i],
					  .runnable = true};
		cfgs[i] = (struct domain_cfg){.name = names[i],
					      .runs_forever = i == NDOMS - 1};
		sched_add(&doms[i], &percpus[0]);
	}
	remote = (struct domain){.id = NDOMS,
				 .name = "remote",
				 .cfg = &remote_cfg,
				 .runnable = true,
				 .cpu = 1};
	percpus[1].id = 1;
	sched_add(&remote, &percpus[1]);
	cfgs[1].ndevices = 2;
	cfgs[1].devices[0] = 0x0100;
	cfgs[1].devices[1] = 0x0208;
	console_len = 0;
	console[0] = 0;
	nquiesced = 0;
	finished_calls = 0;
	return 0;
}

/* Runs the scheduler once as an exit would; NULL when the run ended. */
static struct domain *exit_and_pick(void)
{
	if (setjmp(run_over))
		return NULL;
	if (!sched_switch_due())
		return this_cpu()->current;
	return sched_pick_next();
}

static void round_robin_in_order(void **state)
{
	(void)state;
	/* The queue position persists between tests: find where it is. */
	struct domain *first = exit_and_pick();
	unsigned k = (unsigned)first->id;

	for (unsigned n = 1; n <= 2 * NDOMS; n++) {
		sched_request_switch();
		assert_ptr_equal(exit_and_pick(), &doms[(k + n) % NDOMS]);
	}
	for (unsigned i = 0; i < NDOMS; i++)
		assert_int_equal(doms[i].slices, i == k ? 3 : 2);
}

static void no_switch_without_a_reason(void **state)
{
	struct domain *d;

	(void)state;
	d = exit_and_pick();
	for (unsigned n = 0; n < 5; n++)
		assert_ptr_equal(exit_and_pick(), d);
	assert_int_equal(d->slices, 1);
	assert_false(this_cpu()->switch_wanted);
}

static void stopped_domains_are_skipped(void **state)
{
	struct domain *d;

	(void)state;
	d = exit_and_pick();
	doms[(d->id + 1) % NDOMS].runnable = false;
	for (unsigned n = 0; n < 2 * NDOMS; n++) {
		sched_request_switch();
		assert_true(exit_and_pick()->runnable);
	}
}

/* Only one runnable domain: a switch request keeps it, without a new
 * slice (slices count switches in, not exits). */
static void lone_domain_keeps_running(void **state)
{
	struct domain *d;

	(void)state;
	doms[0].runnable = doms[2].runnable = doms[3].runnable = false;
	d = exit_and_pick();
	assert_ptr_equal(d, &doms[1]);
	sched_request_switch();
	assert_ptr_equal(exit_and_pick(), &doms[1]);
	assert_int_equal(doms[1].slices, 1);
}

/* A CPU finishes when its domains have stopped, though the run goes on
 * elsewhere; the other CPU's domain runs on. */
static void a_cpu_finishes_when_its_domains_stop(void **state)
{
	(void)state;
	for (unsigned i = 0; i < NDOMS; i++)
		domain_stop(&sys, &doms[i], DOMAIN_SHUTDOWN, SHUTDOWN_poweroff,
			    "done");
	assert_true(sched_awaited_left());
	assert_null(exit_and_pick());
	assert_int_equal(finished_calls, 1);
	host_this_cpu = &percpus[1];
	assert_ptr_equal(exit_and_pick(), &remote);
	sched_request_switch();
	assert_ptr_equal(exit_and_pick(), &remote);
	assert_int_equal(remote.slices, 1);
}

/* The run ends when only runs_forever domains are left, on every CPU:
 * the forever domain's CPU finishes at its next pick too. */
static void the_run_ends_when_awaited_domains_stop(void **state)
{
	(void)state;
	for (unsigned i = 0; i < NDOMS - 1; i++)
		domain_stop(&sys, &doms[i], DOMAIN_SHUTDOWN, SHUTDOWN_poweroff,
			    "done");
	assert_ptr_equal(exit_and_pick(), &doms[NDOMS - 1]);
	domain_stop(&sys, &remote, DOMAIN_SHUTDOWN, SHUTDOWN_poweroff, "done");
	assert_false(sched_awaited_left());
	assert_null(exit_and_pick());
	assert_int_equal(finished_calls, 1);
	host_this_cpu = &percpus[1];
	assert_null(exit_and_pick());
	assert_int_equal(finished_calls, 2);
}

static void the_running_domain_stopping_forces_a_pick(void **state)
{
	struct domain *d;

	(void)state;
	d = exit_and_pick();
	domain_stop(&sys, d, DOMAIN_SHUTDOWN, SHUTDOWN_poweroff, "done");
	assert_false(d->runnable);
	assert_true(sched_switch_due());
	assert_ptr_not_equal(exit_and_pick(), d);
}

static void console_goes_out_a_line_at_a_time(void **state)
{
	(void)state;
	domain_console_write(&doms[0], "hel", 3);
	domain_console_write(&doms[1], "other\r\n", 7);
	assert_string_equal(console, "[b] other\n");
	domain_console_write(&doms[0], "lo\nx", 4);
	assert_string_equal(console, "[b] other\n[a] hello\n");
	/* The rest comes out when the domain stops. */
	domain_stop(&sys, &doms[0], DOMAIN_SHUTDOWN, SHUTDOWN_poweroff, "");
	assert_string_equal(console, "[b] other\n[a] hello\n[a] x\n");
}

static void a_long_line_is_cut_not_lost(void **state)
{
	char buf[DOMAIN_CONSOLE_LINE + 10];

	(void)state;
	memset(buf, 'z', sizeof(buf));
	domain_console_write(&doms[2], buf, sizeof(buf));
	assert_int_equal(console_len, 4 + DOMAIN_CONSOLE_LINE + 1);
	assert_int_equal(doms[2].line_len, 10);
}

static void a_stopped_domain_has_its_devices_quiesced(void **state)
{
	(void)state;
	domain_stop(&sys, &doms[1], DOMAIN_CRASHED, SHUTDOWN_crash, "x");
	assert_int_equal(nquiesced, 2);
	assert_int_equal(quiesced[0], 0x0100);
	assert_int_equal(quiesced[1], 0x0208);
	assert_false(doms[1].runnable);
	assert_true(this_cpu()->switch_wanted);
	/* Stopping it again does nothing more. */
	domain_stop(&sys, &doms[1], DOMAIN_CRASHED, SHUTDOWN_crash, "x");
	assert_int_equal(nquiesced, 2);
}

static void a_crash_keeps_its_reason(void **state)
{
	char why[200];

	(void)state;
	memset(why, 'w', sizeof(why) - 1);
	why[sizeof(why) - 1] = 0;
	domain_crash(&doms[2], why);
	assert_int_equal(doms[2].state, DOMAIN_CRASHED);
	assert_int_equal(doms[2].shutdown_code, SHUTDOWN_crash);
	assert_int_equal(strlen(doms[2].why), sizeof(doms[2].why) - 1);
	domain_crash(&doms[0], "#PF");
	assert_string_equal(doms[0].why, "#PF");
}

static void images_are_found_by_their_whole_name(void **state)
{
	(void)state;
	assert_ptr_equal(guest_image_find("basic"), &guest_images[0]);
	assert_ptr_equal(guest_image_find("basic-long"), &guest_images[1]);
	assert_null(guest_image_find("basi"));
	assert_null(guest_image_find("basic-"));
	assert_null(guest_image_find(""));
}

/* The check every arch's guest copies make first (paddock/domain.h). */
static void guest_window_edges(void **state)
{
	const uint64_t base = 0x400000, bytes = 0x800000, end = base + bytes;

	(void)state;
	assert_true(guest_window_holds(base, bytes, base, bytes));
	assert_true(guest_window_holds(base, bytes, end - 1, 1));
	assert_true(guest_window_holds(base, bytes, end, 0));
	assert_false(guest_window_holds(base, bytes, end, 1));
	assert_false(guest_window_holds(base, bytes, end - 1, 2));
	assert_false(guest_window_holds(base, bytes, base - 1, 1));
	assert_false(guest_window_holds(base, bytes, base - 1, 0));
	assert_false(guest_window_holds(base, bytes, base, bytes + 1));
	assert_false(guest_window_holds(base, bytes, end + 1, 0));
	/* Lengths that wrap the address space. */
	assert_false(guest_window_holds(base, bytes, base + 8, SIZE_MAX));
	assert_false(guest_window_holds(base, bytes, base + 8, -8ull));
	assert_false(guest_window_holds(base, bytes, UINT64_MAX, 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(round_robin_in_order, setup),
		cmocka_unit_test_setup(no_switch_without_a_reason, setup),
		cmocka_unit_test_setup(stopped_domains_are_skipped, setup),
		cmocka_unit_test_setup(lone_domain_keeps_running, setup),
		cmocka_unit_test_setup(the_run_ends_when_awaited_domains_stop,
				       setup),
		cmocka_unit_test_setup(a_cpu_finishes_when_its_domains_stop,
				       setup),
		cmocka_unit_test_setup(
			the_running_domain_stopping_forces_a_pick, setup),
		cmocka_unit_test_setup(console_goes_out_a_line_at_a_time,
				       setup),
		cmocka_unit_test_setup(a_long_line_is_cut_not_lost, setup),
		cmocka_unit_test_setup(
			a_stopped_domain_has_its_devices_quiesced, setup),
		cmocka_unit_test_setup(a_crash_keeps_its_reason, setup),
		cmocka_unit_test_setup(images_are_found_by_their_whole_name,
				       setup),
		cmocka_unit_test(guest_window_edges),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	printf("%d passed, %d failed\n",
	       (int)(sizeof(tests) / sizeof(tests[0])) - failed, failed);
	return failed != 0;
}
