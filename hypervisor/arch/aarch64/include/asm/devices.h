/* SPDX-License-Identifier: MIT */
/*
 * The few devices the hypervisor drives itself: the PL011 console, the
 * GICv3 (distributor, this CPU's redistributor, its system-register CPU
 * interface), the EL2 physical timer, and PSCI for power-off.
 */
#ifndef ASM_DEVICES_H
#define ASM_DEVICES_H

#include <paddock/types.h>

void pl011_init(uint64_t base);
void pl011_write(const char *buf, size_t len);

/** Distributor and this CPU's redistributor; the timer's PPI enabled.
 * 0, or -1 after saying why. */
int gic_init(uint64_t gicd, uint64_t gicr, uint64_t gicr_size,
	     unsigned timer_intid);
/** The pending interrupt's INTID (ICC_IAR1_EL1), 1023 if none. */
unsigned gic_ack(void);
void gic_eoi(unsigned intid);
#define GIC_INTID_SPURIOUS 1020 /* 1020-1023: nothing to acknowledge */

/** The EL2 physical timer (CNTHP, Arm ARM D11.2). */
void timer_start(unsigned us);
void timer_rearm(void);
void timer_stop(void);
uint64_t timer_counter(void);
uint64_t timer_freq(void);

/** PSCI 1.0 (DEN0022) over the conduit the tree names. */
void psci_init(bool smc);
__attribute__((noreturn)) void psci_system_off(void);
/** CPU_ON (5.1.4): starts CPU mpidr at entry with x0 = context; 0 or a
 * PSCI error (negative), -1 (NOT_SUPPORTED) without an SMC conduit. */
long psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context);
/** The name of a PSCI return code (5.2.2). */
const char *psci_error_name(long rc);
/** The calling CPU's redistributor and CPU interface (gic_init() does
 * the boot CPU's); 0 or -1. */
int gic_cpu_init(void);

#endif
