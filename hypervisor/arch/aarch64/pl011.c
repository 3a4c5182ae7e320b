/* SPDX-License-Identifier: MIT */
/*
 * The console: an Arm PL011 UART (PrimeCell UART (PL011) TRM, DDI 0183,
 * 3.3 "Register descriptions").  The firmware left it configured; the
 * hypervisor only writes bytes.
 */
#include <asm/devices.h>

#define UARTDR	    0x000
#define UARTFR	    0x018
#define UARTFR_TXFF (1u << 5) /* transmit FIFO full */

static volatile uint32_t *uart;

void pl011_init(uint64_t base)
{
	uart = (volatile uint32_t *)(uintptr_t)base;
}

static void put(char c)
{
	while (uart[UARTFR / 4] & UARTFR_TXFF)
		;
	uart[UARTDR / 4] = (uint8_t)c;
}

void pl011_write(const char *buf, size_t len)
{
	if (!uart)
		return;
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n')
			put('\r');
		put(buf[i]);
	}
}
