/* SPDX-License-Identifier: MIT */
/*
 * What core/domain.c's domain_stop() does, without a PASID manager: the
 * stand-in the core tests (test_boot.c, test_cpus.c) link instead of it.
 */
#include <paddock/hypercall.h>
#include <paddock/system.h>

void domain_stop(struct hv_system *s, struct domain *d, enum domain_state state,
		 unsigned code, const char *why)
{
	(void)s;
	(void)why;
	if (d->state != DOMAIN_RUNNING)
		return;
	d->state = state;
	d->shutdown_code = code;
	domain_stopped(d);
}
