/* SPDX-License-Identifier: MIT */
/*
 * A polled 16550 UART.  Register offsets and bits follow the National
 * Semiconductor PC16550D data sheet (table 2 "Register summary"): THR/DLL
 * at +0, IER/DLM at +1, FCR at +2, LCR at +3, MCR at +4, LSR at +5.
 */
#include <paddock/spinlock.h>
#include <asm/console.h>
#include <asm/x86.h>

#define UART_THR		  0
#define UART_DLL		  0
#define UART_IER		  1
#define UART_DLM		  1
#define UART_FCR		  2
#define UART_LCR		  3
#define UART_MCR		  4
#define UART_LSR		  5
#define LCR_8N1			  0x03
#define LCR_DLAB		  0x80
#define LSR_THR_EMPTY		  0x20
#define UART_CLOCK_DIVISOR_115200 1

static uint16_t uart_port;
static struct spinlock console_lock = SPINLOCK_INIT;

/** Programs 115200 8N1, FIFOs on, interrupts off (we poll). */
void serial_init(uint16_t port)
{
	uart_port = port;
	outb(port + UART_IER, 0);
	outb(port + UART_LCR, LCR_DLAB);
	outb(port + UART_DLL, UART_CLOCK_DIVISOR_115200);
	outb(port + UART_DLM, 0);
	outb(port + UART_LCR, LCR_8N1);
	outb(port + UART_FCR, 0x07); /* enable and clear both FIFOs */
	outb(port + UART_MCR, 0x03); /* DTR, RTS */
}

static void serial_putc(char c)
{
	while (!(inb(uart_port + UART_LSR) & LSR_THR_EMPTY))
		cpu_relax();
	outb(uart_port + UART_THR, (uint8_t)c);
}

/** Writes bytes, turning "\n" into "\r\n" for terminals. */
void serial_write(const char *buf, size_t len)
{
	if (!uart_port)
		return;
	spin_lock(&console_lock);
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n')
			serial_putc('\r');
		serial_putc(buf[i]);
	}
	spin_unlock(&console_lock);
}

void serial_take_over(void)
{
	atomic_store_explicit(&console_lock.held, 0, memory_order_release);
}
