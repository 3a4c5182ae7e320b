/* SPDX-License-Identifier: MIT */
/* The hypervisor console: a 16550 UART (COM1 unless configured). */
#ifndef ASM_CONSOLE_H
#define ASM_CONSOLE_H

#include <paddock/types.h>

void serial_init(uint16_t port);
void serial_write(const char *buf, size_t len);
void console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
