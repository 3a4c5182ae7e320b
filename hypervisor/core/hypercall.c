/* SPDX-License-Identifier: MIT */
/*
 * The one hypercall switch.  Each case is one call into a subsystem;
 * anything else is -XEN_ENOSYS.  Guest memory is reached only through
 * arch_copy_from_guest/arch_copy_to_guest, and bulk arguments are copied
 * into hypervisor memory once, before they are validated, so a guest
 * changing its memory meanwhile cannot slip past a check.
 */
#include "core.h"

#include <paddock/arch.h>
#include <paddock/fmt.h>
#include <paddock/hypercall.h>
#include <paddock/mem.h>
#include <paddock/test_op.h>

#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/version.h>
#include <xen/xen.h>

#define CONSOLE_CHUNK	  128
#define CONSOLE_MAX	  4096 /* bytes per console_io call */
#define PADDOCK_XEN_MAJOR 4    /* the Xen ABI the guests build against */
#define PADDOCK_XEN_MINOR 17

/*
 * The handlers with buffers of their own stay out of line, so that the
 * dispatcher's frame (and its prologue, on every hypercall) stays small.
 */
static __attribute__((noinline)) long console_io(struct domain *d, uint64_t cmd,
						 uint64_t count, gvaddr_t buf)
{
	char chunk[CONSOLE_CHUNK];

	if (cmd != CONSOLEIO_write)
		return -XEN_ENOSYS;
	if (count > CONSOLE_MAX)
		return -XEN_EINVAL;
	for (uint64_t done = 0; done < count;) {
		size_t n = count - done > CONSOLE_CHUNK ? CONSOLE_CHUNK
							: count - done;

		if (arch_copy_from_guest(d, chunk, gva(buf.v + done), n))
			return -XEN_EFAULT;
		domain_console_write(d, chunk, n);
		done += n;
	}
	return 0;
}

static __attribute__((noinline)) long
sched_op(struct hv_system *sys, struct domain *d, uint64_t cmd, gvaddr_t arg)
{
	struct sched_shutdown shutdown;

	switch (cmd) {
	case SCHEDOP_yield:
		domain_yield(d);
		return 0;
	case SCHEDOP_shutdown:
		if (arch_copy_from_guest(d, &shutdown, arg, sizeof(shutdown)))
			return -XEN_EFAULT;
		domain_stop(sys, d, DOMAIN_SHUTDOWN, shutdown.reason,
			    "shut itself down");
		return 0;
	default:
		return -XEN_ENOSYS;
	}
}

static __attribute__((noinline)) long xen_version(struct domain *d,
						  uint64_t cmd, gvaddr_t arg)
{
	xen_extraversion_t extra = "-paddock";

	switch (cmd) {
	case XENVER_version:
		return (PADDOCK_XEN_MAJOR << 16) | PADDOCK_XEN_MINOR;
	case XENVER_extraversion:
		if (arch_copy_to_guest(d, arg, extra, sizeof(extra)))
			return -XEN_EFAULT;
		return 0;
	default:
		return -XEN_ENOSYS;
	}
}

long hypercall_dispatch(struct hv_system *sys, struct domain *d, uint64_t op,
			const uint64_t args[5])
{
	long rc;

	if (op < HCALL_COUNTERS)
		d->hypercalls[op]++;
	switch (op) {
	case __HYPERVISOR_console_io:
		rc = console_io(d, args[0], args[1], gva(args[2]));
		break;
	case __HYPERVISOR_sched_op:
		rc = sched_op(sys, d, args[0], gva(args[1]));
		break;
	case __HYPERVISOR_xen_version:
		rc = xen_version(d, args[0], gva(args[1]));
		break;
	case __HYPERVISOR_paddock_pasid_op:
		rc = pasid_op(sys, d, gva(args[0]), args[1]);
		break;
	case __HYPERVISOR_paddock_test_op:
		rc = arch_test_op(d, args);
		break;
	default:
		rc = -XEN_ENOSYS;
	}
	if (rc < 0)
		d->hypercall_errors++;
	return rc;
}
