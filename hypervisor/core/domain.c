/* SPDX-License-Identifier: MIT */
/*
 * Stopping a domain, routing DMA faults to their owner, and the
 * hypervisor's own log.
 */
#include <paddock/arch.h>
#include <paddock/fmt.h>
#include <paddock/hypercall.h>

#include <xen/errno.h>

void hv_printf(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = pd_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 1)
		n = sizeof(line) - 1;
	arch_console_write(line, (size_t)n);
}

static const char *state_word(enum domain_state state)
{
	return state == DOMAIN_CRASHED ? "crashed" : "stopped";
}

void domain_stop(struct hv_system *sys, struct domain *d,
		 enum domain_state state, unsigned code, const char *why)
{
	struct domain_locked dl;
	bool running;

	/* The state changes under fault_lock, which hv_report_fault() holds
	 * while it reads it on another CPU: no fault is filed for a domain
	 * once it has stopped, and two stops cannot both proceed. */
	dl = domain_lock(d);
	running = d->state == DOMAIN_RUNNING;
	if (running) {
		d->state = state;
		d->shutdown_code = code;
	}
	domain_unlock(&dl);
	if (!running)
		return;
	pasid_query(sys->pasids, d->id, &d->final_pasids);
	/* Parks every PASID (DMA blocked, faults quiet) and lets go of the
	 * domain's bindings; unheld PASIDs recycle at once. */
	pasid_domain_teardown(sys->pasids, d->id);
	hv_printf("paddock: domain %u (%s) %s: %s; %u PASIDs reclaimed\n",
		  d->id, d->name, state_word(state), why,
		  d->final_pasids.allocated);
	domain_stopped(d);
}

static struct domain *domain_by_id(struct hv_system *sys, domid_t id)
{
	if (id >= sys->ndomains)
		return NULL;
	return sys->domains[id];
}

int hv_source_add(struct hv_system *sys, uint32_t id, domid_t owner)
{
	unsigned i = 0;

	while (i < sys->nsources && sys->sources[i].id < id)
		i++;
	if (i < sys->nsources && sys->sources[i].id == id)
		return sys->sources[i].owner == owner ? 0 : -XEN_EEXIST;
	if (sys->nsources == HV_MAX_SOURCES)
		return -XEN_ENOSPC;
	for (unsigned k = sys->nsources; k > i; k--)
		sys->sources[k] = sys->sources[k - 1];
	sys->sources[i] = (struct hv_source){.id = id, .owner = owner};
	sys->nsources++;
	return 0;
}

domid_t hv_source_owner(const struct hv_system *sys, uint32_t id)
{
	unsigned lo = 0, hi = sys->nsources;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (sys->sources[mid].id == id)
			return sys->sources[mid].owner;
		if (sys->sources[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return DOMID_HYPERVISOR;
}

/* Queues the record in a running domain's ring; false once it stopped. */
static bool ring_push(struct domain_locked dl,
		      const struct paddock_pasid_fault *fault)
{
	struct domain *d = domain_held(dl);
	unsigned slot;

	if (d->state != DOMAIN_RUNNING)
		return false;
	if (d->fault_count == DOMAIN_FAULT_RING) {
		d->faults_dropped++;
	} else {
		slot = (d->fault_first + d->fault_count) % DOMAIN_FAULT_RING;
		d->fault_ring[slot] = *fault;
		d->fault_count++;
	}
	return true;
}

/* Keeps the record for the charged domain while it runs (its ring). */
static domid_t file_fault(struct hv_system *sys, domid_t charged,
			  const struct paddock_pasid_fault *fault)
{
	struct domain *d = domain_by_id(sys, charged);
	struct domain_locked dl;

	if (!d)
		return charged;
	dl = domain_lock(d);
	/* Stopped meanwhile: nobody will read the record. */
	if (!ring_push(dl, fault))
		charged = PASID_DOMID_NONE;
	domain_unlock(&dl);
	return charged;
}

domid_t hv_report_fault(struct hv_system *sys,
			const struct paddock_pasid_fault *fault)
{
	return file_fault(sys,
			  pasid_route_fault(sys->pasids,
					    hv_source_owner(sys, fault->device),
					    fault->pasid),
			  fault);
}

domid_t hv_report_device_fault(struct hv_system *sys,
			       const struct paddock_pasid_fault *fault)
{
	return file_fault(
		sys,
		pasid_charge_device_fault(sys->pasids,
					  hv_source_owner(sys, fault->device)),
		fault);
}
