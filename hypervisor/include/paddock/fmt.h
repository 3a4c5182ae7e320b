/* SPDX-License-Identifier: MIT */
/*
 * A small freestanding snprintf: %s %c %d %u %x %p, the l and ll length
 * modifiers, a field width and the 0, - and # flags.  Output is always
 * NUL-terminated when size > 0; the return value is the length the full
 * output would have had.
 */
#ifndef PADDOCK_FMT_H
#define PADDOCK_FMT_H

#include <paddock/types.h>
#include <stdarg.h>

int pd_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int pd_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
