/* SPDX-License-Identifier: MIT */
/*
 * Byte helpers for generic code.  Prefixed, so that the same objects link
 * into the host tests beside the C library without clashing.
 */
#include <paddock/mem.h>

/*
 * memset and memcpy themselves are always there (the C library on the
 * host, hypervisor/arch/<arch>/libc.c in the hypervisor, where the
 * compiler may call them anyway), and are word-at-a-time: a byte loop
 * here cost a hundred instructions on every QUERY.
 */
void *pd_memset(void *dst, int c, size_t n)
{
	return __builtin_memset(dst, c, n);
}

void *pd_memcpy(void *dst, const void *src, size_t n)
{
	return __builtin_memcpy(dst, src, n);
}

size_t pd_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

bool cmdline_has(const char *cmdline, const char *word)
{
	size_t n = pd_strlen(word);

	for (const char *p = cmdline; *p;) {
		size_t len = 0;

		while (p[len] && p[len] != ' ' && len < n &&
		       p[len] == word[len])
			len++;
		if (len == n && (!p[len] || p[len] == ' '))
			return true;
		while (p[len] && p[len] != ' ')
			len++;
		p += len;
		while (*p == ' ')
			p++;
	}
	return false;
}
