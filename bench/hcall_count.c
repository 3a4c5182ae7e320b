/* SPDX-License-Identifier: MIT */
/*
 * Exactly K ALLOC hypercalls, for callgrind's instruction count
 * (bench/callgrind.sh runs it with --toggle-collect=hypercall_dispatch).
 * A warm-up of direct allocations makes the record leaves exist first, as
 * they do in a system that has run for a while.
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GUEST_BASE 0x40000000ull

static struct pasid_mgr mgr;

int main(int argc, char **argv)
{
	unsigned k = argc > 1 ? (unsigned)atoi(argv[1]) : 1000;
	struct pasid_set_cfg cfg = {.domain = 1, .quota = 1u << 20};
	struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_ALLOC};
	const uint64_t args[5] = {GUEST_BASE, sizeof(op)};
	struct pasid_err err;
	struct fake_domain f;
	struct domain *doms[2] = {NULL, &f.dom};
	struct hv_system sys = {.pasids = &mgr, .domains = doms, .ndomains = 2};
	uint32_t *p = calloc(k, sizeof(*p));

	if (pasid_mgr_init(&mgr, 20, 16, &err) < 0 ||
	    pasid_set_create(&mgr, &cfg, &err) < 0)
		return 1;
	for (unsigned i = 0; i < k; i++)
		if (pasid_alloc(&mgr, 1, &p[i], &err))
			return 1;
	for (unsigned i = 0; i < k; i++)
		if (pasid_free(&mgr, 1, p[i], &err))
			return 1;
	fake_domain_init(&f, 1, "count", false, GUEST_BASE, 4096);
	memcpy(f.mem, &op, sizeof(op));
	for (unsigned i = 0; i < k; i++)
		if (hypercall_dispatch(&sys, &f.dom,
				       __HYPERVISOR_paddock_pasid_op, args))
			return 1;
	pasid_mgr_fini(&mgr);
	fake_domain_fini(&f);
	free(p);
	return 0;
}
