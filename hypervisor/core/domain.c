/* SPDX-License-Identifier: MIT */
/*
 * Stopping a domain, routing DMA faults to their owner, and the
 * hypervisor's own log.
 */
#include <paddock/arch_hooks.h>
#include <paddock/fmt.h>
#include <paddock/hypercall.h>

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
	arch_console_write(NULL, line, (size_t)n);
}

static const char *state_word(enum domain_state state)
{
	return state == DOMAIN_CRASHED ? "crashed" : "stopped";
}

void domain_stop(struct hv_system *sys, struct domain *d,
		 enum domain_state state, unsigned code, const char *why)
{
	bool running;

	/* The state changes under fault_lock, which hv_report_fault() holds
	 * while it reads it on another CPU: no fault is filed for a domain
	 * once it has stopped, and two stops cannot both proceed. */
	spin_lock(&d->fault_lock);
	running = d->state == DOMAIN_RUNNING;
	if (running) {
		d->state = state;
		d->shutdown_code = code;
	}
	spin_unlock(&d->fault_lock);
	if (!running)
		return;
	pasid_query(sys->pasids, d->id, &d->final_pasids);
	/* Parks every PASID (DMA blocked, faults quiet) and lets go of the
	 * domain's bindings; unheld PASIDs recycle at once. */
	pasid_domain_teardown(sys->pasids, d->id);
	hv_printf("paddock: domain %u (%s) %s: %s; %u PASIDs reclaimed\n",
		  d->id, d->name, state_word(state), why,
		  d->final_pasids.allocated);
	arch_domain_stopped(d);
}

static struct domain *domain_by_id(struct hv_system *sys, domid_t id)
{
	if (id >= sys->ndomains)
		return NULL;
	return sys->domains[id];
}

domid_t hv_report_fault(struct hv_system *sys,
			const struct paddock_pasid_fault *fault)
{
	domid_t owner = pasid_route_fault(sys->pasids, fault->pasid);
	struct domain *d = domain_by_id(sys, owner);
	unsigned slot;

	if (!d)
		return owner;
	spin_lock(&d->fault_lock);
	if (d->state != DOMAIN_RUNNING) {
		/* Stopped meanwhile: nobody will read the record. */
	} else if (d->fault_count == DOMAIN_FAULT_RING) {
		d->faults_dropped++;
	} else {
		slot = (d->fault_first + d->fault_count) % DOMAIN_FAULT_RING;
		d->fault_ring[slot] = *fault;
		d->fault_count++;
	}
	spin_unlock(&d->fault_lock);
	return owner;
}
