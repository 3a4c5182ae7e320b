/* SPDX-License-Identifier: MIT */
/* Shared helpers of the host-side benchmarks (make bench). */
#ifndef PADDOCK_BENCH_H
#define PADDOCK_BENCH_H

#include "support.h"

/* heap_bytes.c: what the manager holds right now: bytes as the
 * hypervisor heap charges them (64-byte rounding and header), bytes
 * requested, blocks. */
long long bench_heap_bytes(void);
long long bench_heap_requested(void);
long long bench_heap_blocks(void);

#endif
