/* SPDX-License-Identifier: MIT */
/*
 * Basic types shared by the hypervisor's generic code and the host tests.
 *
 * Addresses get distinct struct types so that a guest-supplied value can
 * never be used as a hypervisor pointer by accident: a guest address becomes
 * usable only through the arch's validating copy and translate hooks.
 */
#ifndef PADDOCK_TYPES_H
#define PADDOCK_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint16_t domid_t;

/** A guest-virtual address, as a guest passes it in a hypercall. */
typedef struct {
	uint64_t v;
} gvaddr_t;

/** A guest-physical address (what a domain believes is physical). */
typedef struct {
	uint64_t v;
} gpaddr_t;

/** A host-physical address: what an IOMMU table entry holds. */
typedef struct {
	uint64_t v;
} hpaddr_t;

static inline gvaddr_t gva(uint64_t v)
{
	return (gvaddr_t){v};
}
static inline gpaddr_t gpa(uint64_t v)
{
	return (gpaddr_t){v};
}
static inline hpaddr_t hpa(uint64_t v)
{
	return (hpaddr_t){v};
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
