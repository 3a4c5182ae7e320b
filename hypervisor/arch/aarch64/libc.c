/* SPDX-License-Identifier: MIT */
/*
 * memset and memcpy, which clang may emit calls to even in freestanding
 * code; memmove and memcmp are generic (hypervisor/libc/).  Eight bytes
 * at a time only when both ends are aligned: the hypervisor is built with
 * -mstrict-align, because before its MMU is on every access is to
 * Device memory, where an unaligned access faults (Arm ARM B2.5.2).
 */
#include <paddock/types.h>

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	uint64_t pattern = 0x0101010101010101ull * (uint8_t)c;

	for (; n && ((uintptr_t)d & 7); n--)
		*d++ = (uint8_t)c;
	for (; n >= 8; n -= 8, d += 8)
		*(uint64_t *)d = pattern;
	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (!(((uintptr_t)d | (uintptr_t)s) & 7)) {
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(uint64_t *)d = *(const uint64_t *)s;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}
