/* SPDX-License-Identifier: MIT */
/*
 * What keeps a device within its owner's reach beyond DMA translation:
 * interrupt remapping table entries (the only way a device interrupt
 * reaches a CPU) and quiescing a device whose owner has gone.
 */
#include <xen/errno.h>

#include "vtd_internal.h"

/*
 * Clearing the present bit of a context entry is a context-entry change:
 * device-selective context-cache, PASID-cache and IOTLB invalidations,
 * and the device-TLB with ATS (6.5.3.3), then a wait.  From the wait on
 * the unit blocks every request of the device, with PASID or without.
 */
int vtd_quiesce_device(struct vtd_unit *u, uint32_t device)
{
	struct vtd_unit_locked ul;
	uint64_t *ce, d[4];
	uint16_t sid;
	int rc = 0;

	if (!device_sid(u, device, &sid))
		return -XEN_EINVAL;
	ul = vtd_unit_lock(u);
	ce = context_entry(ul, sid, false);
	if (!ce || !(load(&ce[0]) & VTD_SM_CTX0_P))
		goto out;
	store_release(&ce[0], load(&ce[0]) & ~VTD_SM_CTX0_P);
	flush(u, ce, sizeof(uint64_t));
	queue_context_flush(ul, sid);
	if (ats_of(ul, sid)) {
		vtd_build_inv_devtlb(d, ats_of(ul, sid));
		qi_submit(ul, d);
	}
	rc = qi_wait(ul);
	u->stats.quiesced++;
out:
	vtd_unit_unlock(&ul);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Interrupt remapping table entries (9.9)                             */

/*
 * An IRTE is 128 bits and the unit may read it at any time: a present
 * entry is retired (present bit first) and its cache entry invalidated
 * before the new one is committed (present bit last), then invalidated
 * again (6.5.2.7), so the unit never sees half of each.
 */
static int irte_write(struct vtd_unit_locked ul, unsigned index,
		      const uint64_t e[2])
{
	struct vtd_unit *u = vtd_held(ul);
	uint64_t *slot = &u->irt[index * VTD_IRTE_WORDS], d[4];
	int rc = 0;

	if (load(&slot[0]) & VTD_IRTE0_P) {
		retire_entry(u, slot, VTD_IRTE_WORDS);
		vtd_build_inv_iec(d, false, (uint16_t)index);
		qi_submit(ul, d);
		rc = qi_wait(ul);
	}
	if (rc || !(e[0] & VTD_IRTE0_P))
		return rc;
	commit_entry(u, slot, e, VTD_IRTE_WORDS);
	vtd_build_inv_iec(d, false, (uint16_t)index);
	qi_submit(ul, d);
	return qi_wait(ul);
}

int vtd_irte_set(struct vtd_unit *u, unsigned index, uint8_t vector,
		 uint8_t dest, uint16_t sid)
{
	struct vtd_unit_locked ul;
	uint64_t e[VTD_IRTE_WORDS];
	int rc;

	/* Vectors 0-15 are illegal for fixed delivery (SDM Vol. 3A, 10.5.2). */
	if (index >= VTD_IRT_ENTRIES || vector < 16)
		return -XEN_EINVAL;
	vtd_build_irte(e, vector, dest, sid);
	ul = vtd_unit_lock(u);
	rc = irte_write(ul, index, e);
	vtd_unit_unlock(&ul);
	return rc;
}

int vtd_irte_clear(struct vtd_unit *u, unsigned index)
{
	struct vtd_unit_locked ul;
	const uint64_t none[VTD_IRTE_WORDS] = {0, 0};
	int rc;

	if (index >= VTD_IRT_ENTRIES)
		return -XEN_EINVAL;
	ul = vtd_unit_lock(u);
	rc = irte_write(ul, index, none);
	vtd_unit_unlock(&ul);
	return rc;
}
