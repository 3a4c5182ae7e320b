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
	for (; n >= 32; n -= 32, d += 32) {
		uint64_t *to = (uint64_t *)d;

		to[0] = pattern, to[1] = pattern, to[2] = pattern;
		to[3] = pattern;
	}
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
		/* 64 bytes an iteration (four LDP/STP pairs): hypercall
		 * arguments and results are copied on every call. */
		for (; n >= 64; n -= 64, d += 64, s += 64) {
			const uint64_t *from = (const uint64_t *)s;
			uint64_t *to = (uint64_t *)d;
			uint64_t a = from[0], b = from[1], c = from[2],
				 e = from[3], f = from[4], g = from[5],
				 h = from[6], k = from[7];

			to[0] = a, to[1] = b, to[2] = c, to[3] = e;
			to[4] = f, to[5] = g, to[6] = h, to[7] = k;
		}
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(uint64_t *)d = *(const uint64_t *)s;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}
