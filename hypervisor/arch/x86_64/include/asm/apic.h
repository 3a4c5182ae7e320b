/* SPDX-License-Identifier: MIT */
/* The local APIC timer that preempts domains, and the legacy PIC. */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <paddock/types.h>

/** Remaps the 8259 PICs to VEC_PIC_BASE and masks every line. */
void pic_disable(void);

/** Enables the local APIC at its MMIO base (from MADT or the MSR). */
void lapic_init(uint64_t base_phys);

/** Enables the calling CPU's local APIC the way lapic_init() found the
 * boot CPU's (xAPIC or x2APIC mode); the timer stays masked. */
void lapic_cpu_init(void);

/** True when the APICs are in x2APIC mode (SDM 11.12): 32-bit IDs. */
bool lapic_x2apic_mode(void);

/** The calling CPU's APIC ID (8 bits in xAPIC mode, 32 in x2APIC). */
uint32_t lapic_id(void);

/* SDM 11.6.1, Figure 11-12: ICR low-half values, physical destination,
 * no shorthand, edge triggered. */
#define ICR_INIT_ASSERT 0x00004500u /* delivery mode 101, level assert */
#define ICR_STARTUP	0x00004600u /* delivery mode 110, | vector */
#define ICR_NMI		0x00004400u /* delivery mode 100 */

/**
 * Sends the interprocessor interrupt `icr_low` to APIC ID `dest`.  0, or
 * -1 when the APIC did not take it (xAPIC: still busy after a bound) or
 * `dest` cannot be named in xAPIC mode (above 0xFE).
 */
int lapic_send_ipi(uint32_t dest, uint32_t icr_low);

/**
 * Measures the APIC timer and the TSC against the PIT.  Returns APIC
 * ticks per microsecond; *tsc_per_us gets TSC ticks per microsecond.
 */
uint32_t lapic_timer_calibrate(uint64_t *tsc_per_us);

/**
 * A VEC_TIMER interrupt in `us` microseconds, one-shot; each tick re-arms
 * it with lapic_timer_rearm() for the next slice.
 */
void lapic_timer_start(unsigned us);
/** Arms the calling CPU's timer with the slice lapic_timer_start() set. */
void lapic_timer_start_this_cpu(void);
void lapic_timer_rearm(void);
/** True once the armed count has run out (and until it is re-armed). */
bool lapic_timer_expired(void);
void lapic_timer_stop(void);
void lapic_eoi(void);

/** Is `vector` in service, i.e. delivered as an interrupt and not EOIed? */
bool lapic_in_service(unsigned vector);

#endif
