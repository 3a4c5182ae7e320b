/* SPDX-License-Identifier: MIT */
/*
 * The Paddock guest runtime: what a test guest includes.
 *
 * It pulls in the Xen public headers the Paddock ABI extends (with the
 * latest interface version, or sched_op silently gets its old number), the
 * Paddock public headers, and this arch's trap stubs, then declares the
 * hypercall wrappers and the start information crt0 saved.
 */
#ifndef PADDOCK_GUEST_H
#define PADDOCK_GUEST_H

/* The Xen headers use the fixed-width types without including them. */
#include <stdint.h>
#include <stddef.h>

#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/version.h>

#include <paddock/pasid_op.h>
#include <paddock/start_info.h>
#include <paddock/test_op.h>

#if defined(__x86_64__)
#include <paddock/arch-x86_64/hypercall.h>
#elif defined(__aarch64__)
#include <paddock/arch-aarch64/hypercall.h>
#else
#error "Paddock guests run on x86_64 or aarch64"
#endif

/** The start information the hypervisor passed to _start. */
extern const struct paddock_start_info *paddock_start_info;

/* ---- Xen hypercalls ---------------------------------------------------- */

static inline long HYPERVISOR_console_io(int cmd, int count, const char *buf)
{
	return _hypercall3(__HYPERVISOR_console_io, (unsigned long)cmd,
			   (unsigned long)count, (unsigned long)buf);
}

static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{
	return _hypercall2(__HYPERVISOR_sched_op, (unsigned long)cmd,
			   (unsigned long)arg);
}

static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{
	return _hypercall2(__HYPERVISOR_xen_version, (unsigned long)cmd,
			   (unsigned long)arg);
}

static inline long HYPERVISOR_paddock_pasid_op(struct paddock_pasid_op *op,
					       unsigned long size)
{
	return _hypercall2(__HYPERVISOR_paddock_pasid_op, (unsigned long)op,
			   size);
}

/** Gives up the CPU; returns when the domain is scheduled again. */
static inline long paddock_yield(void)
{
	return HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

/** Asks the hypervisor to stop this domain with a SHUTDOWN_* reason. */
__attribute__((noreturn)) void paddock_shutdown(unsigned int reason);

/** The test-only hypercall (paddock/test_op.h): -XEN_ENOSYS outside test
 * images. */
static inline long HYPERVISOR_paddock_test_op(unsigned cmd, uint64_t a1,
					      uint64_t a2)
{
	return _hypercall3(__HYPERVISOR_paddock_test_op, (unsigned long)cmd,
			   (unsigned long)a1, (unsigned long)a2);
}

/** Writes len bytes to the domain's console; returns the hypercall's result. */
long paddock_console_write(const char *buf, size_t len);

/** Prints a NUL-terminated string on the console, without stdio. */
void paddock_puts_raw(const char *s);

/* ---- PASID helpers ----------------------------------------------------- */

/** Why a PASID call failed: the reason code and the hypervisor's text. */
struct pasid_why {
	uint32_t code; /* PADDOCK_PASID_R_* */
	char text[PADDOCK_PASID_REASON_MAX];
};

/*
 * Each helper fills one struct paddock_pasid_op, makes the call, and
 * returns its result: 0 or a negative XEN_E* code.  When `why` is not
 * NULL it receives the reason code and text (both cleared on success).
 */
long pasid_call(struct paddock_pasid_op *op, struct pasid_why *why);
long pasid_alloc(uint32_t *pasid, struct pasid_why *why);
long pasid_free(uint32_t pasid, struct pasid_why *why);
long pasid_bind(uint32_t pasid, uint32_t device, uint32_t bind_type,
		uint64_t fl_root, struct pasid_why *why);
long pasid_unbind(uint32_t pasid, uint32_t device, struct pasid_why *why);
long pasid_set_data(uint32_t pasid, uint64_t cookie, struct pasid_why *why);
long pasid_get_data(uint32_t pasid, uint64_t *cookie, struct pasid_why *why);
long pasid_query(struct paddock_pasid_info *info, struct pasid_why *why);
long pasid_list(struct paddock_pasid_info *buf, uint32_t max, uint32_t *count,
		struct pasid_why *why);
long pasid_set_quota(uint32_t domain, uint32_t quota, struct pasid_why *why);
long pasid_get_faults(struct paddock_pasid_fault *buf, uint32_t max,
		      uint32_t *count, struct pasid_why *why);

/** The name of a PADDOCK_PASID_R_* code, for messages. */
const char *pasid_reason_str(uint32_t reason);
/** The name of a negative XEN_E* result, for messages. */
const char *xen_errno_str(long err);

#endif
