/* SPDX-License-Identifier: MIT */
/* Private to hypervisor/test: comparing what a DMA left behind. */
#ifndef PADDOCK_TEST_BYTES_H
#define PADDOCK_TEST_BYTES_H

#include <paddock/types.h>

static inline bool bytes_equal(const void *a, const void *b, size_t n)
{
	const volatile uint8_t *x = a, *y = b; /* a device may write them */

	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i])
			return false;
	}
	return true;
}

#endif
