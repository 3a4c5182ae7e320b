/* SPDX-License-Identifier: MIT */
/*
 * The C library routines the hypervisor links on every arch besides the
 * arch's own memset and memcpy (hypervisor/arch/<arch>/libc.c): clang may
 * emit calls to them in freestanding code.  Not in the host tests, which
 * have the C library's.
 */
#include <paddock/types.h>

void *memcpy(void *dst, const void *src, size_t n);

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
