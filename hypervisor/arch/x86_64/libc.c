/* SPDX-License-Identifier: MIT */
/*
 * The four C library routines clang may emit calls to even in freestanding
 * code (struct copies, zero-initialised locals).  String instructions,
 * eight bytes at a time and then the tail (Intel SDM Vol. 2B, REP
 * MOVS/STOS): short code, and few iterations for the small copies of the
 * trap path (register frames, hypercall arguments).
 */
#include <paddock/types.h>
#include <asm/string.h>

void *memset(void *dst, int c, size_t n)
{
	uint64_t pattern = 0x0101010101010101ull * (uint8_t)c;
	size_t quads = n / 8, bytes = n % 8;
	void *d = dst;

	__asm__ volatile("rep stosq\n\t"
			 "mov %3, %%rcx\n\t"
			 "rep stosb"
			 : "+D"(d), "+c"(quads)
			 : "a"(pattern), "r"(bytes)
			 : "memory");
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	copy_bytes(dst, src, n);
	return dst;
}

/** Copies backwards when the destination overlaps the source's tail. */
void *memmove(void *dst, const void *src, size_t n)
{
	if ((uintptr_t)dst <= (uintptr_t)src ||
	    (uintptr_t)dst >= (uintptr_t)src + n)
		return memcpy(dst, src, n);
	unsigned char *d = (unsigned char *)dst + n;
	const unsigned char *s = (const unsigned char *)src + n;

	while (n--)
		*--d = *--s;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	}
	return 0;
}
