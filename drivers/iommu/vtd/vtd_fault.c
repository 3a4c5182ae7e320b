/* SPDX-License-Identifier: MIT */
/*
 * Primary fault records (VT-d 4.x, 7.x primary fault logging, 11.4.9):
 * read, decoded (vtd_entry.c) and cleared one at a time.  The fault
 * registers are the unit's own: no table lock is needed.
 */
#include <xen/errno.h>

#include "vtd_internal.h"

/* ------------------------------------------------------------------ */
/* Faults (7.x primary fault logging, 11.4.9)                          */

int vtd_fault_next(struct vtd_unit *u, struct vtd_fault *out)
{
	unsigned nfr = (unsigned)VTD_FIELD_GET(VTD_CAP_NFR, u->cap) + 1;
	uint32_t base = (uint32_t)VTD_FIELD_GET(VTD_CAP_FRO, u->cap) * 16;
	uint32_t fsts = rd32(u, VTD_REG32_FSTS);
	unsigned fri = (unsigned)VTD_FIELD_GET(VTD_FSTS_FRI, fsts);

	if (fsts & VTD_FSTS_PFO)
		wr32(u, VTD_REG32_FSTS, VTD_FSTS_PFO);
	if (!(fsts & VTD_FSTS_PPF))
		return 0;
	for (unsigned i = 0; i < nfr; i++) {
		uint32_t off = base + ((fri + i) % nfr) * VTD_FRCD_SIZE;
		uint64_t hi = rd64(u, off + VTD_FRCD_HI_OFF);

		if (!(hi & VTD_FRCD_HI_F))
			continue;
		vtd_decode_fault(rd64(u, off + VTD_FRCD_LO_OFF), hi, out);
		wr32(u, off + VTD_FRCD_TOP_OFF, VTD_FRCD_TOP_F);
		u->stats.faults++;
		u->stats.irq_faults += out->interrupt;
		return 1;
	}
	return 0;
}

unsigned vtd_fault_drain(struct vtd_unit *u,
			 void (*route)(void *ctx, const struct vtd_fault *f),
			 void *ctx)
{
	struct vtd_fault f;
	unsigned n = 0;

	while (n < 256 && vtd_fault_next(u, &f)) {
		route(ctx, &f);
		n++;
	}
	return n;
}
