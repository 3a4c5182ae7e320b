/* SPDX-License-Identifier: MIT */
/* The C library's byte routines, as libc.c provides them. */
#ifndef ASM_STRING_H
#define ASM_STRING_H

#include <paddock/types.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif
