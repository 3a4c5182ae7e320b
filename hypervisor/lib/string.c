/* SPDX-License-Identifier: MIT */
/*
 * Byte helpers for generic code.  Prefixed, so that the same objects link
 * into the host tests beside the C library without clashing.
 */
#include <paddock/mem.h>

void *pd_memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

void *pd_memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

size_t pd_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}
