/* SPDX-License-Identifier: MIT */
/*
 * The Linux peers of the PASID manager, behind a plain C interface so
 * that the benchmark never mixes Linux's headers with Paddock's:
 * bench/peer_linux.c is built against the kernel's user-space shims by
 * bench/linux_peer.sh, bench_peers.c against Paddock's headers.
 */
#ifndef PADDOCK_PEER_LINUX_H
#define PADDOCK_PEER_LINUX_H

#include <stdint.h>

void peer_init(void);
/* Linux's IDA, as iommu_alloc_global_pasid() uses it. */
void peer_ida_reset(void);
int peer_ida_hold(uint32_t id);			  /* 0, or -1 when taken */
int64_t peer_ida_alloc(uint32_t lo, uint32_t hi); /* the lowest free */
void peer_ida_free(uint32_t id);
/* An allocating xarray, as the old ioasid allocator used it. */
void peer_xa_reset(void);
int peer_xa_hold(uint32_t id);
int64_t peer_xa_alloc(uint32_t lo, uint32_t hi);
void peer_xa_erase(uint32_t id);
int peer_xa_load(uint32_t id); /* 1 when present */
/* Objects the shims' allocators hold (kmalloc + kmem_cache). */
long peer_objects(void);
/* The harness's lock (tools/include/linux/spinlock.h): one
 * spin_lock + spin_unlock pair, for the record. */
void peer_lock_pair(void);

#endif
