/* SPDX-License-Identifier: MIT */
/*
 * memset and memcpy, which clang may emit calls to even in freestanding
 * code (struct copies, zero-initialised locals); memmove and memcmp are
 * generic (hypervisor/libc/).  String instructions,
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
