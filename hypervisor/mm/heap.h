/* SPDX-License-Identifier: MIT */
/* The heap's set-up side, for arch boot code. */
#ifndef PADDOCK_MM_HEAP_H
#define PADDOCK_MM_HEAP_H

#include <paddock/types.h>

void heap_init(void *base, size_t size);
size_t heap_free_space(void);

/** Checks the live heap (heap_check.c); results go to report(). */
void heap_self_check(void (*report)(const char *what, bool ok));

/** Called on a bad pd_free(); provided by the arch (prints, halts). */
__attribute__((noreturn)) void heap_corrupt(void *p);

#endif
