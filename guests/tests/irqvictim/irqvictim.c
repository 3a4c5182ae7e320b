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

#define NREGS	   14
#define SPIN_ITERS 200000u

static const char *const reg_names[NREGS] = {
	"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp",
	"r8",  "r9",  "r10", "r11", "r12", "r13", "r14",
};

/* Read and written by the assembly below by name (static link, no PIC). */
uint64_t irqvictim_want[NREGS];
uint64_t irqvictim_got[NREGS];
uint64_t irqvictim_iters;

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
