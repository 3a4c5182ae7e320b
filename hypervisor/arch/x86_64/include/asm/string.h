/* SPDX-License-Identifier: MIT */
/* The C library's byte routines, as libc.c provides them. */
#ifndef ASM_STRING_H
#define ASM_STRING_H

#include <paddock/types.h>

/*
 * memcpy's body, for the guest copies (hooks.c) to have without a call:
 * quadwords, then the tail bytes.  Under TCG each iteration of a rep
 * string instruction counts as one instruction (SDM Vol. 2B, REP: each
 * iteration is one execution of the string operation).
 */
static inline void copy_bytes(void *dst, const void *src, size_t n)
{
	size_t quads = n / 8, bytes = n % 8;

	__asm__ volatile("rep movsq\n\t"
			 "mov %3, %%rcx\n\t"
			 "rep movsb"
			 : "+D"(dst), "+S"(src), "+c"(quads)
			 : "r"(bytes)
			 : "memory");
}

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif
