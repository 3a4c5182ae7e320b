/* SPDX-License-Identifier: MIT */
/* Shared helpers of the host-side benchmarks (make bench). */
#ifndef PADDOCK_BENCH_H
#define PADDOCK_BENCH_H

#include "support.h"

/* heap_bytes.c: bytes and blocks the manager holds right now. */
long long bench_heap_bytes(void);
long long bench_heap_blocks(void);

#endif
