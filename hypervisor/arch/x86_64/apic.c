/* SPDX-License-Identifier: MIT */
/*
 * Local APIC (Intel SDM Vol. 3A, chapter 11) and the legacy 8259A PICs.
 * The APIC timer's rate is measured against the 8254 PIT (1.193182 MHz,
 * channel 2 gated through port 0x61), not assumed.
 */
#include <paddock/spinlock.h>
#include <asm/apic.h>
#include <asm/console.h>
#include <asm/layout.h>
#include <asm/paging.h>
#include <asm/x86.h>

/* SDM Vol. 3A, Table 11-1: local APIC register offsets. */
#define LAPIC_ID	    0x020
#define LAPIC_ICR_LOW	    0x300 /* SDM 11.6.1, Figure 11-12 */
#define LAPIC_ICR_HIGH	    0x310
#define LAPIC_EOI	    0x0b0
#define LAPIC_SVR	    0x0f0
#define LAPIC_ISR	    0x100 /* 8 registers, 0x10 apart (SDM 11.8.4) */
#define LAPIC_LVT_TIMER	    0x320
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE  0x3e0
#define SVR_ENABLE	    (1u << 8)
#define LVT_MASKED	    (1u << 16)
#define DIVIDE_BY_1	    0xb /* SDM 11.5.4, Figure 11-10 */
#define APIC_BASE_ENABLE    (1ull << 11)
#define APIC_BASE_X2APIC    (1ull << 10) /* SDM 11.12.1, Figure 11-26 */
#define X2APIC_MSR_BASE	    0x800
#define X2APIC_MSR_ICR	    0x830      /* SDM 11.12.9: one 64-bit MSR */
#define ICR_DELIVERY_BUSY   (1u << 12) /* xAPIC only (SDM 11.6.1) */
#define ICR_BUSY_SPINS	    1000000

/* 8254 PIT: 1193182 Hz input clock; 8259A PIC command/data ports. */
#define PIT_HZ	  1193182u
#define PIT_CH2	  0x42
#define PIT_MODE  0x43
#define PIT_GATE  0x61
#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1

static volatile uint32_t *lapic;
static bool lapic_ready;
static uint32_t ticks_per_us;
static uint32_t timer_initial; /* the one-shot count of one slice */

/*
 * Firmware may hand over the APIC in x2APIC mode (SDM Vol. 3A, 11.12):
 * then the registers are MSRs 0x800 + offset / 16 and MMIO is gone.
 */
static bool x2apic;

static uint32_t lapic_read(unsigned reg)
{
	if (x2apic)
		return (uint32_t)rdmsr(X2APIC_MSR_BASE + reg / 16);
	return lapic[reg / 4];
}

static void lapic_write(unsigned reg, uint32_t v)
{
	if (x2apic)
		wrmsr(X2APIC_MSR_BASE + reg / 16, v);
	else
		lapic[reg / 4] = v;
}

/** 8259A ICW1..ICW4, then OCW1 masking all lines. */
void pic_disable(void)
{
	outb(PIC1_CMD, 0x11); /* ICW1: init, ICW4 follows */
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, VEC_PIC_BASE); /* ICW2: vector base */
	outb(PIC2_DATA, VEC_PIC_BASE + 8);
	outb(PIC1_DATA, 0x04); /* ICW3: slave on IRQ2 */
	outb(PIC2_DATA, 0x02);
	outb(PIC1_DATA, 0x01); /* ICW4: 8086 mode */
	outb(PIC2_DATA, 0x01);
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
}

void lapic_init(uint64_t base_phys)
{
	x2apic = rdmsr(MSR_APIC_BASE) & APIC_BASE_X2APIC;
	lapic = phys_to_virt(base_phys);
	lapic_cpu_init();
	lapic_ready = true;
}

/*
 * The calling CPU's own APIC, in the mode the boot CPU found (apic.c
 * reads and writes every CPU's the same way).  A started CPU's APIC comes
 * out of INIT software-disabled (SVR bit 8 clear, SDM 11.4.7.3), hence
 * the SVR write on every CPU.  Enabling x2APIC mode goes through xAPIC
 * mode (SDM 11.12.5, Figure 11-27: disabled to x2APIC is not a valid
 * transition).
 */
void lapic_cpu_init(void)
{
	uint64_t msr = rdmsr(MSR_APIC_BASE);

	if (!(msr & APIC_BASE_ENABLE)) {
		msr |= APIC_BASE_ENABLE;
		wrmsr(MSR_APIC_BASE, msr);
	}
	if (x2apic && !(msr & APIC_BASE_X2APIC))
		wrmsr(MSR_APIC_BASE, msr | APIC_BASE_X2APIC);
	lapic_write(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	lapic_write(LAPIC_TIMER_DIVIDE, DIVIDE_BY_1);
}

bool lapic_x2apic_mode(void)
{
	return x2apic;
}

/* SDM 11.4.6: xAPIC ID in bits 31:24; 11.12.5.1: the 32-bit x2APIC ID. */
uint32_t lapic_id(void)
{
	uint32_t id = lapic_read(LAPIC_ID);

	return x2apic ? id : id >> 24;
}

/*
 * The interrupt command register (SDM 11.6.1, Figure 11-12; in x2APIC
 * mode 11.12.9).  xAPIC: the destination (bits 63:56) goes in the high
 * half first, writing the low half sends, and the delivery status bit
 * says when the APIC has taken it.  x2APIC: one WRMSR with the 32-bit
 * destination in bits 63:32; it has no delivery status, and a WRMSR to
 * an x2APIC register is not serializing (11.12.3), so a fence first makes
 * the stores the target will read (the trampoline's) globally visible.
 */
int lapic_send_ipi(uint32_t dest, uint32_t icr_low)
{
	if (x2apic) {
		__asm__ volatile("mfence" ::: "memory");
		wrmsr(X2APIC_MSR_ICR, ((uint64_t)dest << 32) | icr_low);
		return 0;
	}
	if (dest > 0xfe) /* 0xff is the broadcast ID (SDM 11.6.2.1) */
		return -1;
	lapic_write(LAPIC_ICR_HIGH, dest << 24);
	lapic_write(LAPIC_ICR_LOW, icr_low);
	for (unsigned i = 0; i < ICR_BUSY_SPINS; i++) {
		if (!(lapic_read(LAPIC_ICR_LOW) & ICR_DELIVERY_BUSY))
			return 0;
		cpu_relax();
	}
	return -1;
}

/* Runs PIT channel 2 in mode 0 for `pit_ticks` and waits for OUT2. */
static void pit_wait(uint16_t pit_ticks)
{
	uint8_t gate = (inb(PIT_GATE) & ~0x02) & ~0x01; /* speaker off */

	outb(PIT_GATE, gate);
	outb(PIT_MODE, 0xb0); /* channel 2, lobyte/hibyte, mode 0 */
	outb(PIT_CH2, pit_ticks & 0xff);
	outb(PIT_CH2, pit_ticks >> 8);
	outb(PIT_GATE, gate | 0x01); /* gate high: count */
	while (!(inb(PIT_GATE) & 0x20))
		cpu_relax();
}

uint32_t lapic_timer_calibrate(uint64_t *tsc_per_us)
{
	const unsigned ms = 10;
	uint32_t elapsed;
	uint64_t tsc0;

	lapic_write(LAPIC_TIMER_INITIAL, 0xffffffff);
	tsc0 = rdtsc();
	pit_wait(PIT_HZ / 1000 * ms);
	elapsed = 0xffffffff - lapic_read(LAPIC_TIMER_CURRENT);
	*tsc_per_us = (rdtsc() - tsc0) / (ms * 1000);
	if (!*tsc_per_us)
		*tsc_per_us = 1;
	lapic_write(LAPIC_TIMER_INITIAL, 0);
	ticks_per_us = elapsed / (ms * 1000);
	if (!ticks_per_us)
		ticks_per_us = 1;
	return ticks_per_us;
}

/*
 * One-shot, re-armed by each tick (lapic_timer_rearm), not periodic: a
 * one-shot count stays at 0 once it has expired until it is written again
 * (SDM 11.5.4), so the tick handler can tell the timer's own interrupt
 * from a device's message that carries the timer's vector (x86_trap()).
 */
void lapic_timer_start(unsigned us)
{
	timer_initial = ticks_per_us * us;
	if (!timer_initial)
		timer_initial = 1;
	lapic_timer_start_this_cpu();
}

/* Every CPU's slice is the boot CPU's: the APIC timers of one machine run
 * from one clock (taken as such; calibrated once). */
void lapic_timer_start_this_cpu(void)
{
	lapic_write(LAPIC_LVT_TIMER, VEC_TIMER); /* one-shot, unmasked */
	lapic_write(LAPIC_TIMER_INITIAL, timer_initial);
}

void lapic_timer_rearm(void)
{
	lapic_write(LAPIC_TIMER_INITIAL, timer_initial);
}

bool lapic_timer_expired(void)
{
	return lapic_read(LAPIC_TIMER_CURRENT) == 0;
}

void lapic_timer_stop(void)
{
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	lapic_write(LAPIC_TIMER_INITIAL, 0);
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

/*
 * The in-service register (SDM 11.8.4): the APIC sets a vector's bit when
 * the CPU accepts it as an interrupt and clears it at the EOI.  Exceptions
 * and NMIs never set it.  Before lapic_init() nothing can be in service.
 */
bool lapic_in_service(unsigned vector)
{
	if (!lapic_ready || vector > 255)
		return false;
	return (lapic_read(LAPIC_ISR + 0x10 * (vector / 32)) >> (vector % 32)) &
	       1;
}
