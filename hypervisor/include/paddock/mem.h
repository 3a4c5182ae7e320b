/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor heap, as generic code sees it.  Every allocation the
 * generic code makes goes through these two calls, which is what lets the
 * host tests fail the n-th one (tests/support/heap.c: fail_nth_arm()).
 */
#ifndef PADDOCK_MEM_H
#define PADDOCK_MEM_H

#include <paddock/types.h>

/**
 * Zeroed memory, aligned to 64 bytes, and to 4 KiB for requests of 4 KiB
 * or more (IOMMU tables rely on it); NULL when the heap is exhausted.
 */
void *pd_zalloc(size_t size);
void pd_free(void *p);

void *pd_memset(void *dst, int c, size_t n);
void *pd_memcpy(void *dst, const void *src, size_t n);
size_t pd_strlen(const char *s);

/** Whether the kernel command line holds `word` as a whole
 * space-separated word ("paddock.test=heap"). */
bool cmdline_has(const char *cmdline, const char *word);

#endif
