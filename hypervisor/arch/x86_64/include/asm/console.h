/* SPDX-License-Identifier: MIT */
/* The hypervisor console: a 16550 UART (COM1 unless configured). */
#ifndef ASM_CONSOLE_H
#define ASM_CONSOLE_H

#include <paddock/hypercall.h>
#include <paddock/types.h>

void serial_init(uint16_t port);
/** Raw bytes out ("\n" becomes "\r\n"); hv_printf() formats into it. */
void serial_write(const char *buf, size_t len);

/**
 * Frees the console's lock whoever holds it.  Only for a CPU that has
 * halted every other (traps.c, a fault in hypervisor mode): one may have
 * stopped while printing.
 */
void serial_take_over(void);

/* The one formatted-print path is core's hv_printf(); this name remains
 * for the IOMMU and PCI files until they move to generic code. */
#define console_printf hv_printf

#endif
