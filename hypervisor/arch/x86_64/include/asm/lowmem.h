/* SPDX-License-Identifier: MIT */
/* Memory below 1 MiB that Paddock itself uses (setup.c). */
#ifndef ASM_LOWMEM_H
#define ASM_LOWMEM_H

#include <paddock/types.h>

/**
 * The physical address of one 4 KiB page below 1 MiB that the loader's
 * memory map marks usable, not page 0, taken out of the map so that
 * nothing else (heap, domain pool, the test RMRR page) is ever given it:
 * the trampoline started CPUs wake up in (cpus.c).  Taken at the first
 * call, which is made at boot before anything is allocated; later calls
 * return the same page.  0 if there is none.
 */
uint64_t x86_low_page_reserve(void);

#endif
