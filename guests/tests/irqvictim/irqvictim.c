/* SPDX-License-Identifier: MIT */
/*
 * irqvictim: a domain that happens to run while another domain's device
 * makes the CPU take interrupts on any vector (irqstorm, suite-x86-irq).
 *
 * It never yields and never blocks: it relies on the timer to be
 * preempted, so that if a stray interrupt stops the timer the whole run
 * hangs and the suite times out.  Forever, in turn:
 *   - it loads a pattern of its own (domain id, round) into every general
 *     register, spins with them, and checks them all afterwards: an
 *     interrupt taken with a shifted frame, or a frame restored from the
 *     wrong place, shows here;
 *   - it makes hypercalls and checks what it holds: two PASIDs with their
 *     cookies, its QUERY figures.
 * Any difference prints a TEST FAIL line and crashes the domain on
 * purpose (SHUTDOWN_crash), which its `runs_forever` configuration does
 * not expect.  Being killed by the hypervisor for a fault it did not
 * commit fails the same way.
 */
#include <stdio.h>

#include "guest.h"

#define SPIN_ITERS 200000u

#if defined(__x86_64__)
#define NREGS 14
static const char *const reg_names[NREGS] = {
	"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp",
	"r8",  "r9",  "r10", "r11", "r12", "r13", "r14",
};
#else
#define NREGS 27
static const char *const reg_names[NREGS] = {
	"x0",  "x1",  "x2",  "x3",  "x4",  "x5",  "x6",	 "x7",	"x8",
	"x9",  "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17",
	"x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27",
};
#endif

/* Read and written by the assembly below by name (static link, no PIC). */
uint64_t irqvictim_want[NREGS];
uint64_t irqvictim_got[NREGS];
uint64_t irqvictim_iters;

#if defined(__x86_64__)
/*
 * Every general register but rsp (and r15, the loop counter) holds a
 * known value while the loop spins; afterwards all are stored for the
 * check.  rbp is saved by hand: it may be the frame pointer.
 */
static void spin_with_pattern(void)
{
	__asm__ volatile("push %%rbp\n\t"
			 "mov irqvictim_iters(%%rip), %%r15\n\t"
			 "mov irqvictim_want+0(%%rip), %%rax\n\t"
			 "mov irqvictim_want+8(%%rip), %%rbx\n\t"
			 "mov irqvictim_want+16(%%rip), %%rcx\n\t"
			 "mov irqvictim_want+24(%%rip), %%rdx\n\t"
			 "mov irqvictim_want+32(%%rip), %%rsi\n\t"
			 "mov irqvictim_want+40(%%rip), %%rdi\n\t"
			 "mov irqvictim_want+48(%%rip), %%rbp\n\t"
			 "mov irqvictim_want+56(%%rip), %%r8\n\t"
			 "mov irqvictim_want+64(%%rip), %%r9\n\t"
			 "mov irqvictim_want+72(%%rip), %%r10\n\t"
			 "mov irqvictim_want+80(%%rip), %%r11\n\t"
			 "mov irqvictim_want+88(%%rip), %%r12\n\t"
			 "mov irqvictim_want+96(%%rip), %%r13\n\t"
			 "mov irqvictim_want+104(%%rip), %%r14\n"
			 "1:\n\t"
			 "dec %%r15\n\t"
			 "jnz 1b\n\t"
			 "mov %%rax, irqvictim_got+0(%%rip)\n\t"
			 "mov %%rbx, irqvictim_got+8(%%rip)\n\t"
			 "mov %%rcx, irqvictim_got+16(%%rip)\n\t"
			 "mov %%rdx, irqvictim_got+24(%%rip)\n\t"
			 "mov %%rsi, irqvictim_got+32(%%rip)\n\t"
			 "mov %%rdi, irqvictim_got+40(%%rip)\n\t"
			 "mov %%rbp, irqvictim_got+48(%%rip)\n\t"
			 "mov %%r8, irqvictim_got+56(%%rip)\n\t"
			 "mov %%r9, irqvictim_got+64(%%rip)\n\t"
			 "mov %%r10, irqvictim_got+72(%%rip)\n\t"
			 "mov %%r11, irqvictim_got+80(%%rip)\n\t"
			 "mov %%r12, irqvictim_got+88(%%rip)\n\t"
			 "mov %%r13, irqvictim_got+96(%%rip)\n\t"
			 "mov %%r14, irqvictim_got+104(%%rip)\n\t"
			 "pop %%rbp"
			 :
			 :
			 : "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9",
			   "r10", "r11", "r12", "r13", "r14", "r15", "cc",
			   "memory");
}
#else
/*
 * The same on aarch64 (built, not yet run: no aarch64 hypervisor): x0-x17
 * and x19-x27 hold the pattern, x28 counts and then addresses; x18 (the
 * platform register), the frame pointer and the link register are left
 * alone.
 */
static void spin_with_pattern(void)
{
	__asm__ volatile("adrp x28, irqvictim_want\n\t"
			 "add x28, x28, :lo12:irqvictim_want\n\t"
			 "ldp x0, x1, [x28, #0]\n\t"
			 "ldp x2, x3, [x28, #16]\n\t"
			 "ldp x4, x5, [x28, #32]\n\t"
			 "ldp x6, x7, [x28, #48]\n\t"
			 "ldp x8, x9, [x28, #64]\n\t"
			 "ldp x10, x11, [x28, #80]\n\t"
			 "ldp x12, x13, [x28, #96]\n\t"
			 "ldp x14, x15, [x28, #112]\n\t"
			 "ldp x16, x17, [x28, #128]\n\t"
			 "ldp x19, x20, [x28, #144]\n\t"
			 "ldp x21, x22, [x28, #160]\n\t"
			 "ldp x23, x24, [x28, #176]\n\t"
			 "ldp x25, x26, [x28, #192]\n\t"
			 "ldr x27, [x28, #208]\n\t"
			 "adrp x28, irqvictim_iters\n\t"
			 "ldr x28, [x28, :lo12:irqvictim_iters]\n"
			 "1:\n\t"
			 "subs x28, x28, #1\n\t"
			 "b.ne 1b\n\t"
			 "adrp x28, irqvictim_got\n\t"
			 "add x28, x28, :lo12:irqvictim_got\n\t"
			 "stp x0, x1, [x28, #0]\n\t"
			 "stp x2, x3, [x28, #16]\n\t"
			 "stp x4, x5, [x28, #32]\n\t"
			 "stp x6, x7, [x28, #48]\n\t"
			 "stp x8, x9, [x28, #64]\n\t"
			 "stp x10, x11, [x28, #80]\n\t"
			 "stp x12, x13, [x28, #96]\n\t"
			 "stp x14, x15, [x28, #112]\n\t"
			 "stp x16, x17, [x28, #128]\n\t"
			 "stp x19, x20, [x28, #144]\n\t"
			 "stp x21, x22, [x28, #160]\n\t"
			 "stp x23, x24, [x28, #176]\n\t"
			 "stp x25, x26, [x28, #192]\n\t"
			 "str x27, [x28, #208]"
			 :
			 :
			 : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8",
			   "x9", "x10", "x11", "x12", "x13", "x14", "x15",
			   "x16", "x17", "x19", "x20", "x21", "x22", "x23",
			   "x24", "x25", "x26", "x27", "x28", "cc", "memory");
}
#endif

static __attribute__((noreturn)) void fail(const char *what, uint64_t round)
{
	printf("TEST FAIL irqvictim.survives_stray_interrupts: round %lu: %s\n",
	       (unsigned long)round, what);
	fflush(stdout);
	paddock_shutdown(SHUTDOWN_crash);
}

static void check_registers(uint16_t domid, uint64_t round)
{
	char what[96];

	for (unsigned r = 0; r < NREGS; r++)
		irqvictim_want[r] = (0x0101010101010101ull * (r + 1)) ^
				    ((uint64_t)domid << 48) ^ round;
	irqvictim_iters = SPIN_ITERS;
	spin_with_pattern();
	for (unsigned r = 0; r < NREGS; r++) {
		if (irqvictim_got[r] != irqvictim_want[r]) {
			snprintf(what, sizeof(what), "%s %#lx, want %#lx",
				 reg_names[r], (unsigned long)irqvictim_got[r],
				 (unsigned long)irqvictim_want[r]);
			fail(what, round);
		}
	}
}

int main(int argc, char **argv)
{
	const struct paddock_start_info *si = paddock_start_info;
	struct paddock_pasid_info info;
	uint32_t p[2];
	uint64_t cookie[2];

	(void)argc;
	(void)argv;
	for (unsigned i = 0; i < 2; i++) {
		cookie[i] =
			0xc0c0000000000000ull | ((uint64_t)si->domid << 8) | i;
		if (pasid_alloc(&p[i], NULL) ||
		    pasid_set_data(p[i], cookie[i], NULL))
			fail("cannot set up its two PASIDs", 0);
	}
	printf("irqvictim: domain %u holds PASIDs %u and %u; checking "
	       "registers and PASID state, never yielding\n",
	       si->domid, p[0], p[1]);
	fflush(stdout);
	for (uint64_t round = 1;; round++) {
		check_registers(si->domid, round);
		for (unsigned i = 0; i < 2; i++) {
			uint64_t got = 0;

			if (pasid_get_data(p[i], &got, NULL) ||
			    got != cookie[i])
				fail("a PASID's cookie changed", round);
		}
		if (pasid_query(&info, NULL) || info.allocated != 2 ||
		    info.bound != 0 || info.parked != 0)
			fail("its QUERY figures changed", round);
	}
}
