/* SPDX-License-Identifier: MIT */
/*
 * The x86 platform's own test guest: proves the trap path (syscall in,
 * iretq out), the guest-memory checks, preemption and fault containment,
 * without depending on the guest library.  One image, several roles,
 * chosen by the domain's name (config/systems/x86_64/x86-selftest.c):
 *
 *   selftest*    hypercalls and the refusal of foreign pointers
 *   spin*        spins for a while without entering the hypervisor
 *   spin-forever spins for ever: the run must end without it
 *   bench*       instructions per PASID ALLOC+FREE round trip
 *   fault-<kind> causes one fault; the domain must die alone:
 *                pf-hv, pf-other, pf-text, ud, de, gp, int, io, fpu,
 *                compat, db, umip, tf-syscall (must survive: a single-step
 *                trap on the syscall entry is the hypervisor's to absorb)
 *
 * Output follows the guests' TEST PASS/FAIL line format.
 */
#include <stdint.h>
#include <stddef.h>
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/version.h>
#include <paddock/pasid_op.h>
#include <paddock/start_info.h>
#include <paddock/arch-x86_64/hypercall.h>

static const struct paddock_start_info *si;
static int passed, failed;

static size_t str_len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static long console(const char *s, size_t n)
{
	return _hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, n,
			   (unsigned long)s);
}

static void puts_(const char *s)
{
	console(s, str_len(s));
}

/* Decimal or hex, enough for test lines. */
static void put_num(uint64_t v, unsigned base)
{
	char buf[24];
	int i = sizeof(buf);

	buf[--i] = 0;
	do {
		buf[--i] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	puts_(&buf[i]);
}

static __attribute__((noreturn)) void shutdown(unsigned reason)
{
	struct sched_shutdown sd = {.reason = reason};

	for (;;)
		_hypercall2(__HYPERVISOR_sched_op, SCHEDOP_shutdown,
			    (unsigned long)&sd);
}

static void check(const char *name, int ok, long got)
{
	puts_(ok ? "TEST PASS x86." : "TEST FAIL x86.");
	puts_(name);
	if (!ok) {
		puts_(": got ");
		if (got < 0) {
			puts_("-");
			got = -got;
		}
		put_num((uint64_t)got, 10);
	}
	puts_("\n");
	if (ok)
		passed++;
	else
		failed++;
}

static long pasid_op(struct paddock_pasid_op *op)
{
	return _hypercall2(__HYPERVISOR_paddock_pasid_op, (unsigned long)op,
			   sizeof(*op));
}

static uint16_t read_fs(void)
{
	uint16_t v;

	__asm__ volatile("mov %%fs, %0" : "=r"(v));
	return v;
}

/*
 * Segment selectors are per domain: none leaks in from a domain that ran
 * before (several selftest domains do this at once), and ours survive
 * being switched out.
 */
static void test_segments(void)
{
	uint16_t user_ds = 0x23, at_start = read_fs();

	check("segments_clean_at_start", at_start == 0, at_start);
	__asm__ volatile("mov %0, %%fs" : : "r"(user_ds));
	for (int i = 0; i < 20; i++)
		_hypercall1(__HYPERVISOR_sched_op, SCHEDOP_yield);
	check("segments_kept_across_switches", read_fs() == user_ds, read_fs());
}

static void test_hypercalls(void)
{
	struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_ALLOC};
	long v = _hypercall2(__HYPERVISOR_xen_version, XENVER_version, 0);
	long rc;

	check("start_info",
	      si->magic == PADDOCK_START_MAGIC &&
		      si->mem_base == PADDOCK_GUEST_BASE,
	      si->magic);
	check("xen_version", v > 0, v);
	rc = pasid_op(&op);
	check("pasid_alloc", rc == 0 && op.pasid != 0, rc);
	op.cmd = PADDOCK_PASID_FREE;
	rc = pasid_op(&op);
	check("pasid_free", rc == 0, rc);
	op.cmd = PADDOCK_PASID_QUERY;
	rc = pasid_op(&op);
	check("pasid_query", rc == 0 && op.u.info.quota == si->pasid_quota,
	      rc ? rc : (long)op.u.info.quota);
	rc = _hypercall1(__HYPERVISOR_sched_op, SCHEDOP_yield);
	check("yield", rc == 0, rc);
	rc = _hypercall0(4000);
	check("unknown_hypercall_enosys", rc == -XEN_ENOSYS, rc);
	/* RFLAGS.AC set by the guest (allowed in ring 3) must neither open
	 * the hypervisor's SMAP window nor break its own copies. */
	__asm__ volatile("pushf; orl $0x40000, (%%rsp); popf" ::: "memory");
	rc = console("ac flag set\n", 12);
	__asm__ volatile("pushf; andl $~0x40000, (%%rsp); popf" ::: "memory");
	check("hypercall_with_rflags_ac", rc == 0, rc);
}

/* Pointers that are not this domain's memory must come back EFAULT. */
static void test_foreign_pointers(void)
{
	uint64_t top = si->mem_base + si->mem_size;
	const struct {
		const char *name;
		uint64_t addr, len;
	} bad[] = {
		{"efault_hypervisor", si->probe_hv_addr, 8},
		{"efault_other_domain", si->probe_other_addr, 8},
		{"efault_null", 0, 8},
		{"efault_below_base", si->mem_base - 4, 8},
		{"efault_past_top", top - 4, 8},
		{"efault_wraparound", 0xfffffffffffff000ull, 0x2000},
		{"efault_huge_length", si->mem_base, ~0ull},
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		long rc = _hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write,
				      bad[i].len, bad[i].addr);

		/* Lengths above console_io's limit may be refused as EINVAL
		 * first; both mean nothing was read. */
		check(bad[i].name,
		      rc == -XEN_EFAULT ||
			      (bad[i].len > 4096 && rc == -XEN_EINVAL),
		      rc);
	}
	/* The pasid op itself placed in hypervisor memory. */
	long rc = _hypercall2(__HYPERVISOR_paddock_pasid_op, si->probe_hv_addr,
			      sizeof(struct paddock_pasid_op));
	check("efault_pasid_op_hypervisor", rc == -XEN_EFAULT, rc);
	/* Written results must not land in read-only text. */
	rc = _hypercall2(__HYPERVISOR_xen_version, XENVER_extraversion,
			 (unsigned long)&test_foreign_pointers);
	check("efault_write_to_text", rc == -XEN_EFAULT, rc);
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/*
 * Spins with no hypercall for `ticks` of TSC.  A gap between two reads
 * much longer than the loop body means another domain ran meanwhile.
 */
static void spin(void)
{
	const uint64_t ticks = 400000000, gap = 20000;
	uint64_t start = rdtsc(), last = start, now, preempted = 0;
	uint64_t longest = 0;

	while ((now = rdtsc()) - start < ticks) {
		if (now - last > gap)
			preempted++;
		if (now - last > longest)
			longest = now - last;
		last = now;
	}
	puts_("spun ");
	put_num(ticks, 10);
	puts_(" ticks, preempted ");
	put_num(preempted, 10);
	puts_(" times, longest gap ");
	put_num(longest, 10);
	puts_(" ticks\n");
	check("preempted_while_spinning", preempted > 0, (long)preempted);
}

/* The loop whose length is known: 2 instructions per iteration. */
static uint64_t timed_loop(uint64_t n)
{
	uint64_t t0 = rdtsc();

	__asm__ volatile("1: dec %0; jnz 1b" : "+r"(n));
	return rdtsc() - t0;
}

/* Minimum instructions per BIND + UNBIND of `pasid` on `dev`; 0 on error. */
static uint64_t bind_unbind_pairs(uint32_t pasid, uint32_t dev, unsigned batch,
				  unsigned rounds)
{
	struct paddock_pasid_op op;
	uint64_t best = ~0ull;
	long rc = 0;

	for (unsigned r = 0; r < rounds && rc == 0; r++) {
		uint64_t t0 = rdtsc(), d;

		for (unsigned i = 0; i < batch && rc == 0; i++) {
			op = (struct paddock_pasid_op){
				.cmd = PADDOCK_PASID_BIND,
				.pasid = pasid,
				.device = dev,
				.bind_type = PADDOCK_BIND_SECOND_LEVEL,
			};
			rc = pasid_op(&op);
			op.cmd = PADDOCK_PASID_UNBIND;
			rc = rc ? rc : pasid_op(&op);
		}
		d = (rdtsc() - t0) / batch;
		if (d < best)
			best = d;
	}
	return rc ? 0 : best;
}

static long pasid_cmd(uint32_t cmd, uint32_t pasid, uint32_t dev, uint32_t *out)
{
	struct paddock_pasid_op op = {
		.cmd = cmd,
		.pasid = pasid,
		.device = dev,
		.bind_type = PADDOCK_BIND_SECOND_LEVEL,
	};
	long rc = pasid_op(&op);

	if (out)
		*out = op.pasid;
	return rc;
}

/*
 * BIND + UNBIND of one PASID on the domain's first device, second level:
 * two hypercalls, the manager, the VT-d driver writing the PASID entry,
 * and the invalidations with their wait, which the IOMMU (QEMU's, here)
 * completes before the call returns.  Alone in its PASID-table leaf, each
 * pair also allocates and frees the leaf (with one more PASID-cache
 * invalidation and wait); with a neighbour bound in the same leaf it does
 * not (the .leaf_kept figure).
 */
static void bench_bind_unbind(unsigned batch, unsigned rounds)
{
	uint32_t dev, p, q;
	uint64_t alone, kept = 0;

	if (!si->ndevices)
		return;
	dev = si->devices[0];
	if (pasid_cmd(PADDOCK_PASID_ALLOC, 0, 0, &p) < 0 ||
	    pasid_cmd(PADDOCK_PASID_ALLOC, 0, 0, &q) < 0) {
		check("bench_bind_unbind_alloc", 0, -1);
		return;
	}
	alone = bind_unbind_pairs(p, dev, batch, rounds);
	/* Same leaf as p: both come from one 16-PASID chunk. */
	if ((p >> 6) == (q >> 6) &&
	    pasid_cmd(PADDOCK_PASID_BIND, q, dev, NULL) == 0) {
		kept = bind_unbind_pairs(p, dev, batch, rounds);
		pasid_cmd(PADDOCK_PASID_UNBIND, q, dev, NULL);
	}
	check("bench_bind_unbind", alone != 0 && kept != 0, (long)kept);
	pasid_cmd(PADDOCK_PASID_FREE, p, 0, NULL);
	pasid_cmd(PADDOCK_PASID_FREE, q, 0, NULL);
	if (!alone || !kept)
		return;
	puts_("bench: vtd.bind_unbind.instr ");
	put_num(alone, 10);
	puts_(" instr\n");
	puts_("bench: vtd.bind_unbind.leaf_kept.instr ");
	put_num(kept, 10);
	puts_(" instr\n");
}

/*
 * Under -icount shift=0 one instruction is 1 ns of virtual time and the
 * TSC counts virtual nanoseconds, so TSC deltas are instruction counts.
 * The known loop checks that before the number is believed.  The minimum
 * of several batches drops batches a timer tick fell into.
 */
static void bench(void)
{
	struct paddock_pasid_op op;
	const unsigned batch = 64, rounds = 16;
	uint64_t best = ~0ull, loop = ~0ull;

	for (unsigned r = 0; r < rounds; r++) {
		uint64_t d = timed_loop(1000000);

		if (d < loop)
			loop = d;
	}
	puts_("bench-check: 2000000-instruction loop measured ");
	put_num(loop, 10);
	puts_(" tsc\n");
	for (unsigned r = 0; r < rounds; r++) {
		uint64_t t0 = rdtsc(), d;

		for (unsigned i = 0; i < batch; i++) {
			op = (struct paddock_pasid_op){
				.cmd = PADDOCK_PASID_ALLOC};
			pasid_op(&op);
			op.cmd = PADDOCK_PASID_FREE;
			pasid_op(&op);
		}
		d = (rdtsc() - t0) / batch;
		if (d < best)
			best = d;
	}
	check("bench_loop_calibrated", loop >= 1990000 && loop <= 2010000,
	      (long)loop);
	/* The trap path alone: a call the dispatcher refuses at once. */
	uint64_t null_best = ~0ull;

	for (unsigned r = 0; r < rounds; r++) {
		uint64_t t0 = rdtsc(), d;

		for (unsigned i = 0; i < batch; i++)
			_hypercall0(4000);
		d = (rdtsc() - t0) / batch;
		if (d < null_best)
			null_best = d;
	}
	bench_bind_unbind(batch, rounds);
	puts_("bench: x86.null_hcall.instr ");
	put_num(null_best, 10);
	puts_(" instr\n");
	puts_("bench: x86.hcall_roundtrip.instr ");
	put_num(best, 10);
	puts_(" instr\n");
}

static int starts_with(const char *s, const char *prefix)
{
	while (*prefix && *s == *prefix) {
		s++;
		prefix++;
	}
	return *prefix == 0;
}

/* Bytes that mean "syscall; ud2" in 32-bit code as in 64-bit code. */
__asm__(".pushsection .text\n"
	"compat_syscall: .byte 0x0f, 0x05, 0x0f, 0x0b\n"
	".popsection");
void compat_syscall(void);

static void fault(const char *kind)
{
	volatile uint64_t *p;
	volatile int zero = 0;

	puts_("causing a fault: ");
	puts_(kind);
	puts_("\n");
	if (starts_with(kind, "pf-hv")) {
		p = (volatile uint64_t *)si->probe_hv_addr;
		(void)*p;
	} else if (starts_with(kind, "pf-other")) {
		p = (volatile uint64_t *)si->probe_other_addr;
		*p = 1;
	} else if (starts_with(kind, "pf-text")) {
		*(volatile uint8_t *)(uintptr_t)&fault = 0xc3;
	} else if (starts_with(kind, "ud")) {
		__asm__ volatile("ud2");
	} else if (starts_with(kind, "de")) {
		puts_(zero ? "" : "");
		__asm__ volatile("divl %0" : : "r"(zero), "a"(1), "d"(0));
	} else if (starts_with(kind, "gp")) {
		__asm__ volatile("cli");
	} else if (starts_with(kind, "int")) {
		__asm__ volatile("int $0x40"); /* the timer's vector */
	} else if (starts_with(kind, "io")) {
		/* isa-debug-exit: were ports open to ring 3, QEMU would end. */
		__asm__ volatile("outl %0, %1" : : "a"(0), "Nd"(0xf4));
	} else if (starts_with(kind, "compat")) {
		/* Into 32-bit compatibility mode, then syscall from there:
		 * that must end this domain, never reach the hypervisor. */
		struct {
			uint32_t offset;
			uint16_t selector;
		} __attribute__((packed))
		far = {(uint32_t)(uintptr_t)compat_syscall, 0x1b};

		__asm__ volatile("ljmpl *%0" : : "m"(far));
	} else if (starts_with(kind, "tf-syscall")) {
		/* Single-step into syscall: the #DB lands on the syscall
		 * entry in ring 0, before it has switched stacks. */
		/* The instruction after popfq is the one single-stepped. */
		__asm__ volatile("pushfq\n\t"
				 "orq $0x100, (%%rsp)\n\t"
				 "mov $4000, %%eax\n\t"
				 "popfq\n\t"
				 "syscall"
				 :
				 :
				 : "rax", "rcx", "r11", "memory");
		check("single_step_into_syscall_survived", 1, 0);
		return;
	} else if (starts_with(kind, "umip")) {
		/* Where is the hypervisor's GDT?  UMIP: not for us to ask. */
		struct {
			uint16_t limit;
			uint64_t base;
		} __attribute__((packed)) gdtr;

		__asm__ volatile("sgdt %0" : "=m"(gdtr));
		puts_("sgdt gave base ");
		put_num(gdtr.base, 16);
		puts_("\n");
	} else if (starts_with(kind, "db")) {
		/* Its own single-step trap, in ring 3 (#DB runs on an IST). */
		__asm__ volatile("pushfq; orq $0x100, (%%rsp); popfq; nop" ::
					 : "memory");
	} else if (starts_with(kind, "fpu")) {
		__asm__ volatile("fninit");
	}
	puts_("TEST FAIL x86.fault: the fault did not happen\n");
}

void selftest_main(const struct paddock_start_info *start)
{
	const char *name;

	si = start;
	name = si->name;
	if (starts_with(name, "fault-")) {
		fault(name + 6);
		shutdown(
			SHUTDOWN_poweroff); /* unexpected: counted as failure */
	}
	if (starts_with(name, "spin-forever")) {
		puts_("spinning forever, never entering the hypervisor\n");
		for (;;)
			__asm__ volatile("" ::: "memory");
	}
	if (starts_with(name, "spin"))
		spin();
	else if (starts_with(name, "bench"))
		bench();
	else {
		test_segments();
		test_hypercalls();
		test_foreign_pointers();
	}
	puts_(failed ? "selftest: FAILED\n" : "selftest: all passed\n");
	shutdown(failed ? SHUTDOWN_crash : SHUTDOWN_poweroff);
}
