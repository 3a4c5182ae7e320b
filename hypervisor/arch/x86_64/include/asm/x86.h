/* SPDX-License-Identifier: MIT */
/*
 * Thin wrappers around x86_64 instructions: port I/O, MSRs, control
 * registers, CPUID.  Register and bit numbers are from the Intel SDM,
 * Volume 3A, 2.5 (control registers) and Volume 4, 2.1 (architectural
 * MSRs).
 */
#ifndef ASM_X86_H
#define ASM_X86_H

#include <paddock/types.h>

/* SDM Vol. 3A, 2.5: CR0 and CR4 bits the hypervisor sets. */
#define CR0_PE	 (1ull << 0)
#define CR0_MP	 (1ull << 1)
#define CR0_EM	 (1ull << 2) /* x87 traps: guests have no FPU state */
#define CR0_WP	 (1ull << 16)
#define CR0_PG	 (1ull << 31)
#define CR4_PAE	 (1ull << 5)
#define CR4_PGE	 (1ull << 7)
#define CR4_UMIP (1ull << 11)
#define CR4_SMEP (1ull << 20)
#define CR4_SMAP (1ull << 21)

/* SDM Vol. 4, Table 2-2: architectural MSRs. */
#define MSR_SYSENTER_CS	   0x174
#define MSR_APIC_BASE	   0x1b
#define MSR_EFER	   0xc0000080
#define MSR_STAR	   0xc0000081
#define MSR_LSTAR	   0xc0000082
#define MSR_CSTAR	   0xc0000083
#define MSR_FMASK	   0xc0000084
#define MSR_FS_BASE	   0xc0000100
#define MSR_GS_BASE	   0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define EFER_SCE	   (1ull << 0)
#define EFER_LME	   (1ull << 8)
#define EFER_NXE	   (1ull << 11)

/* SDM Vol. 1, 3.4.3: RFLAGS bits. */
#define RFLAGS_CF    (1ull << 0)
#define RFLAGS_FIXED (1ull << 1)
#define RFLAGS_TF    (1ull << 8)
#define RFLAGS_IF    (1ull << 9)
#define RFLAGS_DF    (1ull << 10)
#define RFLAGS_IOPL  (3ull << 12)
#define RFLAGS_NT    (1ull << 14)
#define RFLAGS_AC    (1ull << 18)
/* What a guest may keep in RFLAGS: arithmetic flags, DF, AC. */
#define RFLAGS_GUEST_MASK 0x40cd5ull

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)v),
			   "d"((uint32_t)(v >> 32)));
}

static inline uint64_t read_cr0(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline uint64_t read_cr2(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr3(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint64_t read_cr4(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr4(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/*
 * SMAP (SDM Vol. 3A, 4.6.1): with CR4.SMAP set, supervisor reads and
 * writes of user pages fault unless RFLAGS.AC is set.  The hypervisor
 * opens that window only around the copies that are meant to touch a
 * domain's memory; STAC/CLAC exist only on CPUs with SMAP.
 */
extern bool x86_smap_enabled;

static inline void user_access_begin(void)
{
	if (x86_smap_enabled)
		__asm__ volatile("stac" ::: "memory");
}

static inline void user_access_end(void)
{
	if (x86_smap_enabled)
		__asm__ volatile("clac" ::: "memory");
}

static inline __attribute__((noreturn)) void cpu_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

/** Prints the boot-to-first-hypercall bench line (setup.c). */
void x86_note_first_hypercall(void);

/** TSC ticks per microsecond, as calibrated against the PIT (setup.c; 1
 * until then). */
uint64_t x86_tsc_per_us(void);

#endif
