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

/** Periodic VEC_TIMER interrupts every `us` microseconds. */
void lapic_timer_start(unsigned us);
void lapic_timer_stop(void);
void lapic_eoi(void);

#endif
