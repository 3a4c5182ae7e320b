/* SPDX-License-Identifier: MIT */
/* The heap's set-up side, for the code that builds the system. */
#ifndef PADDOCK_MM_HEAP_H
#define PADDOCK_MM_HEAP_H

#include <paddock/types.h>

void heap_init(void *base, size_t size, void (*on_corrupt)(void *p));
size_t heap_free_space(void);

/** Checks the live heap (heap_check.c); results go to report(). */
void heap_self_check(void (*report)(const char *what, bool ok));

#endif
