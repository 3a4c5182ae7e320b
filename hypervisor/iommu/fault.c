/* SPDX-License-Identifier: MIT */
/*
 * DMA fault routing: each unit's pending records, decoded by its driver,
 * are polled on each timer tick and charged through hv_report_fault()
 * (by source ID and PASID together) or, for a blocked interrupt request,
 * hv_report_device_fault() (to the device's owner).
 */
#include <stdatomic.h>
#include <paddock/hypercall.h>
#include <paddock/iommu_glue.h>
#include <paddock/selftest.h>

#include "internal.h"

/* Bus, device and function of a PCI requester ID, for the log. */
#define RID_FMT	      "%02x:%02x.%x"
#define RID_ARGS(rid) (rid) >> 8, ((rid) >> 3) & 31, (rid)&7

static int owner_word(domid_t owner)
{
	return owner == PASID_DOMID_NONE ? -1 : (int)owner;
}

/*
 * A blocked interrupt request (VT-d 5.1.4; reasons 0x20-0x2F) belongs to
 * no PASID: it is charged to the device that made it.
 */
static void route_interrupt_fault(const struct iommu_fault *f)
{
	struct paddock_pasid_fault pf = {
		.address = iommu_driver->interrupt_window,
		.pasid = 0,
		.device = f->source,
		.reason = f->reason,
		.write = true,
	};
	domid_t owner = hv_report_device_fault(hv_system(), &pf);

	hv_printf("%s: interrupt request blocked: device " RID_FMT
		  " index %u reason %x -> domain %d\n",
		  arch_log_prefix, RID_ARGS(f->source), f->irq_index, f->reason,
		  owner_word(owner));
}

/*
 * A request without PASID is translated through the device's default
 * PASID (VT-d 9.4 RID_PASID), so a fault recorded without PASID is that
 * PASID's.  The record's source ID (VT-d 11.4.9.6, Fault Recording
 * Register SID) is the requester ID the request carried:
 * hv_report_fault() charges the fault to the domain owning that source,
 * never to a PASID's owner alone.
 */
static void route_fault(void *ctx, const struct iommu_fault *f)
{
	struct unit_view *v = ctx;
	uint32_t pasid = f->pasid_valid ? f->pasid : 0;
	struct paddock_pasid_fault pf;
	domid_t owner;

	if (f->interrupt) {
		route_interrupt_fault(f);
		return;
	}
	if (!f->pasid_valid &&
	    iommu_driver->get_default_pasid(v->unit, f->source, &pasid))
		pasid = 0;
	pf = (struct paddock_pasid_fault){
		.address = f->addr,
		.pasid = pasid,
		.device = f->source,
		.reason = f->reason,
		.write = f->write,
	};
	owner = hv_report_fault(hv_system(), &pf);
	test_dma_fault(f->source, pasid != 0, pasid, owner);
	hv_printf("%s: DMA fault: device " RID_FMT " PASID %u%s addr %lx "
		  "reason %x -> domain %d\n",
		  arch_log_prefix, RID_ARGS(f->source), pf.pasid,
		  f->pasid_valid ? "" : " (RID_PASID)", f->addr, f->reason,
		  owner_word(owner));
}

/*
 * A unit's fault records have one reader at a time (the drivers'
 * fault_drain: the VT-d fault registers are read without the unit lock,
 * SMMUv3's event queue consumer index is the drainer's alone), so the
 * drain is under drain_lock, taken with no other lock held (docs/
 * design.md, "Lock order").
 */
static struct spinlock drain_lock = SPINLOCK_INIT;

static void drain_all(void)
{
	for (unsigned i = 0; i < iommu_count(); i++) {
		struct unit_view *v = iommu_view_of(iommu_get(i));

		iommu_driver->fault_drain(v->unit, route_fault, v);
	}
}

void iommu_poll_faults(void)
{
	spin_lock(&drain_lock);
	drain_all();
	spin_unlock(&drain_lock);
}

/* Every CPU's slice tick: a CPU that finds another draining leaves the
 * records to it rather than wait. */
void iommu_poll_faults_tick(void)
{
	if (!spin_trylock(&drain_lock))
		return;
	drain_all();
	spin_unlock(&drain_lock);
}
