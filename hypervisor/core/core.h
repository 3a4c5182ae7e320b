/* SPDX-License-Identifier: MIT */
/* Private to hypervisor/core. */
#ifndef PADDOCK_CORE_INTERNAL_H
#define PADDOCK_CORE_INTERNAL_H

#include <paddock/hypercall.h>

/** PADDOCK_PASID_* sub-operations (pasid_op.c). */
long pasid_op(struct hv_system *sys, struct domain *d, gvaddr_t uop,
	      uint64_t size);

#endif
