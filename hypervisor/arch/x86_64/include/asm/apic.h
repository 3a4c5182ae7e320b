/* SPDX-License-Identifier: MIT */
/* The local APIC timer that preempts domains, and the legacy PIC. */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <paddock/types.h>

/** Remaps the 8259 PICs to VEC_PIC_BASE and masks every line. */
void pic_disable(void);

/** Enables the local APIC at its MMIO base (from MADT or the MSR). */
void lapic_init(uint64_t base_phys);

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
void lapic_timer_rearm(void);
/** True once the armed count has run out (and until it is re-armed). */
bool lapic_timer_expired(void);
void lapic_timer_stop(void);
void lapic_eoi(void);

/** Is `vector` in service, i.e. delivered as an interrupt and not EOIed? */
bool lapic_in_service(unsigned vector);

#endif
