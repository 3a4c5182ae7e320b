/* SPDX-License-Identifier: MIT */
/*
 * Honouring the DMAR's Reserved Memory Region Reporting structures
 * (Intel VT-d Specification 4.x, 8.4): memory that firmware or a device
 * keeps using for DMA after boot (USB legacy emulation buffers, graphics
 * stolen memory, ...).  Whenever such a device's DMA is translated, its
 * RMRRs must stay reachable at the same address (identity-mapped).
 * docs/vtd.md, "RMRRs".
 */
#ifndef ASM_RMRR_H
#define ASM_RMRR_H

#include <paddock/types.h>

struct arch_domain;

/**
 * Keeps every RMRR out of the domain pool [*lo, *hi) (2 MiB aligned):
 * where one overlaps, the pool shrinks to the larger 2 MiB-aligned piece
 * beside it.  Returns how many RMRRs overlapped (0 when firmware marked
 * them reserved in E820, as it should).
 */
unsigned rmrr_exclude_from_pool(uint64_t *lo, uint64_t *hi);

/**
 * Identity-maps, read/write, into the domain's DMA tables every RMRR whose
 * device scope names one of its devices, whole 4-KiB pages.  Refuses
 * (-1, with a message naming domain, device and range) an RMRR that
 * overlaps the domain's own window in I/O-virtual space, or a malformed
 * one (limit below base).
 */
int rmrr_map_domain(struct arch_domain *ad);

#endif
