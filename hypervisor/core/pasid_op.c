/* SPDX-License-Identifier: MIT */
/*
 * PADDOCK_PASID_* sub-operations: the guest side of the PASID manager.
 *
 * The op is copied in once, the command runs on the copy, and the copy is
 * written back whole, with `reason` set.  On failure the reason text goes
 * to reason_buf when the guest gave one.  A wrong size or an unreadable op
 * leaves guest memory untouched: there is nowhere trustworthy to write.
 */
#include <stddef.h>

#include <paddock/arch.h>
#include <paddock/fmt.h>
#include <paddock/hypercall.h>
#include <paddock/mem.h>

#include "core.h"

#include <xen/errno.h>

static int refuse_op(struct hv_system *sys, struct domain *d,
		     struct pasid_err *err, int xen_errno, uint32_t reason,
		     const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static int refuse_op(struct hv_system *sys, struct domain *d,
		     struct pasid_err *err, int xen_errno, uint32_t reason,
		     const char *fmt, ...)
{
	va_list ap;

	pasid_note_refusal(sys->pasids, d->id, reason);
	err->reason = reason;
	va_start(ap, fmt);
	pd_vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
	return -xen_errno;
}

static const char *cmd_name(uint32_t cmd)
{
	static const char *const names[PADDOCK_PASID_CMD_MAX + 1] = {
		[PADDOCK_PASID_ALLOC] = "ALLOC",
		[PADDOCK_PASID_FREE] = "FREE",
		[PADDOCK_PASID_BIND] = "BIND",
		[PADDOCK_PASID_UNBIND] = "UNBIND",
		[PADDOCK_PASID_SET_DATA] = "SET_DATA",
		[PADDOCK_PASID_GET_DATA] = "GET_DATA",
		[PADDOCK_PASID_QUERY] = "QUERY",
		[PADDOCK_PASID_LIST] = "LIST",
		[PADDOCK_PASID_SET_QUOTA] = "SET_QUOTA",
		[PADDOCK_PASID_GET_FAULTS] = "GET_FAULTS",
		[PADDOCK_PASID_REFUSALS] = "REFUSALS",
	};

	return cmd <= PADDOCK_PASID_CMD_MAX && names[cmd] ? names[cmd] : "?";
}

static int refuse_unprivileged(struct hv_system *sys, struct domain *d,
			       uint32_t cmd, struct pasid_err *err)
{
	return refuse_op(sys, d, err, XEN_EPERM, PADDOCK_PASID_R_NOT_PRIVILEGED,
			 "%s needs a privileged (control) domain; domain %u "
			 "is not",
			 cmd_name(cmd), d->id);
}

static int bind(struct hv_system *sys, struct domain *d,
		struct paddock_pasid_op *op, struct pasid_err *err)
{
	struct pasid_bind_req req = {.device = op->device};
	int rc;

	/* Ownership before anything else about the request, the bind type
	 * included: a domain must learn nothing about others' PASIDs and
	 * devices from which check refused it. */
	rc = pasid_check_bind_owner(sys->pasids, d->id, op->pasid, op->device,
				    err);
	if (rc < 0)
		return rc;
	switch (op->bind_type) {
	case PADDOCK_BIND_SECOND_LEVEL:
		req.kind = PASID_ENTRY_SECOND_LEVEL;
		req.sl_root = arch_domain_dma_root(d);
		break;
	case PADDOCK_BIND_FIRST_LEVEL:
		/*
		 * The unit would take every address in a guest's tables as
		 * host-physical (VT-d 3.6): only the hypervisor's own copy of
		 * the domain's DMA view is ever installed, and a guest that
		 * names tables of its own is told so rather than ignored.
		 */
		if (op->fl_root)
			return refuse_op(sys, d, err, XEN_EINVAL,
					 PADDOCK_PASID_R_BAD_TABLE_ROOT,
					 "fl_root must be 0, not %#llx: "
					 "first-level tables are the "
					 "hypervisor's (domain %u's DMA view)",
					 (unsigned long long)op->fl_root,
					 d->id);
		req.kind = PASID_ENTRY_FIRST_LEVEL;
		req.sl_root = arch_domain_dma_root(d);
		req.fl_root = arch_domain_fl_root(d);
		break;
	case PADDOCK_BIND_PASSTHROUGH:
		req.kind = PASID_ENTRY_PASSTHROUGH;
		break;
	default:
		return refuse_op(sys, d, err, XEN_EINVAL,
				 PADDOCK_PASID_R_BAD_BIND_TYPE,
				 "bind type %u is not one of 0 (second-level), "
				 "1 (first-level), 2 (pass-through)",
				 op->bind_type);
	}
	return pasid_bind(sys->pasids, d->id, op->pasid, &req, err);
}

static int list(struct hv_system *sys, struct domain *d,
		struct paddock_pasid_op *op, struct pasid_err *err)
{
	uint32_t max = op->u.list.max, n;
	struct paddock_pasid_info *infos;
	int rc = 0;

	if (max > PASID_MAX_SETS + 1)
		max = PASID_MAX_SETS + 1;
	infos = pd_zalloc((max ? max : 1) * sizeof(*infos));
	if (!infos)
		return refuse_op(sys, d, err, XEN_ENOMEM,
				 PADDOCK_PASID_R_NO_MEMORY,
				 "out of hypervisor memory for LIST");
	op->u.list.count = pasid_list(sys->pasids, infos, max);
	n = op->u.list.count < max ? op->u.list.count : max;
	if (n && arch_copy_to_guest(d, gva(op->u.list.buf), infos,
				    n * sizeof(*infos)))
		rc = refuse_op(sys, d, err, XEN_EFAULT,
			       PADDOCK_PASID_R_BAD_POINTER,
			       "LIST buffer %#llx (%u entries) is not writable "
			       "guest memory",
			       (unsigned long long)op->u.list.buf, n);
	pd_free(infos);
	return rc;
}

static int get_faults(struct hv_system *sys, struct domain *d,
		      struct paddock_pasid_op *op, struct pasid_err *err)
{
	struct paddock_pasid_fault recs[DOMAIN_FAULT_RING];
	uint32_t room = op->u.faults.max < DOMAIN_FAULT_RING
				? op->u.faults.max
				: DOMAIN_FAULT_RING;
	struct domain_locked dl;
	uint32_t n = 0;
	int rc = 0;

	/* The buffer is checked for all a call may return, whether records
	 * are queued or not: an empty ring must not make a bad pointer look
	 * good (docs/abi.md, BAD_POINTER). */
	if (arch_guest_writable(d, gva(op->u.faults.buf),
				room * sizeof(recs[0]))) {
		op->u.faults.count = 0;
		return refuse_op(sys, d, err, XEN_EFAULT,
				 PADDOCK_PASID_R_BAD_POINTER,
				 "fault buffer %#llx (%u records) is not "
				 "writable guest memory",
				 (unsigned long long)op->u.faults.buf, room);
	}
	if (sys->collect_faults)
		sys->collect_faults();
	/* Records leave the ring only once all of them reached the guest:
	 * a short buffer must not lose the ones that did fit. */
	dl = domain_lock(d);
	while (n < op->u.faults.max && n < d->fault_count) {
		recs[n] =
			d->fault_ring[(d->fault_first + n) % DOMAIN_FAULT_RING];
		n++;
	}
	if (n && arch_copy_to_guest(d, gva(op->u.faults.buf), recs,
				    n * sizeof(recs[0]))) {
		rc = -XEN_EFAULT;
		n = 0;
	} else {
		d->fault_first = (d->fault_first + n) % DOMAIN_FAULT_RING;
		d->fault_count -= n;
	}
	domain_unlock(&dl);
	op->u.faults.count = n;
	if (rc < 0)
		return refuse_op(sys, d, err, XEN_EFAULT,
				 PADDOCK_PASID_R_BAD_POINTER,
				 "fault buffer %#llx is not writable guest "
				 "memory",
				 (unsigned long long)op->u.faults.buf);
	return 0;
}

static int refusals(struct hv_system *sys, struct domain *d,
		    struct paddock_pasid_op *op, struct pasid_err *err)
{
	uint32_t counts[PADDOCK_PASID_R_MAX + 1];
	uint32_t n = op->u.list.max;

	if (pasid_refusals(sys->pasids, d->id, counts) < 0)
		return refuse_op(sys, d, err, XEN_ESRCH,
				 PADDOCK_PASID_R_NO_DOMAIN,
				 "domain %u has no PASID set", d->id);
	op->u.list.count = ARRAY_SIZE(counts);
	if (n > ARRAY_SIZE(counts))
		n = ARRAY_SIZE(counts);
	if (n && arch_copy_to_guest(d, gva(op->u.list.buf), counts,
				    n * sizeof(counts[0])))
		return refuse_op(sys, d, err, XEN_EFAULT,
				 PADDOCK_PASID_R_BAD_POINTER,
				 "REFUSALS buffer %#llx (%u entries) is not "
				 "writable guest memory",
				 (unsigned long long)op->u.list.buf, n);
	return 0;
}

static int run_cmd(struct hv_system *sys, struct domain *d,
		   struct paddock_pasid_op *op, struct pasid_err *err)
{
	struct pasid_mgr *m = sys->pasids;
	int rc;

	switch (op->cmd) {
	case PADDOCK_PASID_ALLOC:
		return pasid_alloc(m, d->id, &op->pasid, err);
	case PADDOCK_PASID_FREE:
		return pasid_free(m, d->id, op->pasid, err);
	case PADDOCK_PASID_BIND:
		return bind(sys, d, op, err);
	case PADDOCK_PASID_UNBIND:
		return pasid_unbind(m, d->id, op->pasid, op->device, err);
	case PADDOCK_PASID_SET_DATA:
		return pasid_set_data(m, d->id, op->pasid, op->cookie, err);
	case PADDOCK_PASID_GET_DATA:
		return pasid_get_data(m, d->id, op->pasid, &op->cookie, err);
	case PADDOCK_PASID_QUERY:
		if (pasid_query(m, d->id, &op->u.info) < 0)
			return refuse_op(sys, d, err, XEN_ESRCH,
					 PADDOCK_PASID_R_NO_DOMAIN,
					 "domain %u has no PASID set", d->id);
		return 0;
	case PADDOCK_PASID_LIST:
		if (!d->privileged)
			return refuse_unprivileged(sys, d, op->cmd, err);
		return list(sys, d, op, err);
	case PADDOCK_PASID_SET_QUOTA:
		if (!d->privileged)
			return refuse_unprivileged(sys, d, op->cmd, err);
		if (op->domain > 0xFFFF)
			return refuse_op(sys, d, err, XEN_ESRCH,
					 PADDOCK_PASID_R_NO_DOMAIN,
					 "domain id %u is not a domain id",
					 op->domain);
		rc = pasid_set_quota(m, (domid_t)op->domain, op->quota, err);
		/* The manager charges no set with it: it is the caller's. */
		if (rc < 0)
			pasid_note_refusal(m, d->id, err->reason);
		return rc;
	case PADDOCK_PASID_GET_FAULTS:
		return get_faults(sys, d, op, err);
	case PADDOCK_PASID_REFUSALS:
		return refusals(sys, d, op, err);
	default:
		return refuse_op(sys, d, err, XEN_ENOSYS,
				 PADDOCK_PASID_R_UNKNOWN_CMD,
				 "unknown PASID command %u (known: 1..%u)",
				 op->cmd, PADDOCK_PASID_CMD_MAX);
	}
}

static void write_reason(struct domain *d, const struct paddock_pasid_op *op,
			 const struct pasid_err *err)
{
	size_t len = pd_strlen(err->text) + 1;
	char text[PASID_REASON_LEN];

	if (!op->reason_buf || !op->reason_len)
		return;
	pd_memcpy(text, err->text, len);
	if (len > op->reason_len) {
		len = op->reason_len;
		text[len - 1] = '\0';
	}
	/* A bad reason buffer must not hide the real error: ignore it. */
	(void)arch_copy_to_guest(d, gva(op->reason_buf), text, len);
}

/*
 * What of the op goes back to the guest: the union carries results only
 * for the calls that fill it; every other call leaves it as the guest
 * wrote it, so it need not travel back (half the bytes of every ALLOC,
 * FREE, BIND, UNBIND).
 */
static size_t result_bytes(uint32_t cmd)
{
	switch (cmd) {
	case PADDOCK_PASID_QUERY:
	case PADDOCK_PASID_LIST:
	case PADDOCK_PASID_GET_FAULTS:
	case PADDOCK_PASID_REFUSALS:
		return sizeof(struct paddock_pasid_op);
	default:
		return offsetof(struct paddock_pasid_op, u);
	}
}

/*
 * A refused op goes back with its reason: the text first, the op last.
 * A guest may point reason_buf at its own op, and then the reason code,
 * not the text, must be what it reads back (the fuzzer found a failure
 * that said no reason).  Out of line: the path every successful call
 * takes stays short.
 */
static __attribute__((noinline)) long
answer_refusal(struct domain *d, gvaddr_t uop, struct paddock_pasid_op *op,
	       const struct pasid_err *err, long rc)
{
	/* Every refusal names its reason; one that did not is a bug of
	 * ours, and still not a success. */
	op->reason = err->reason != PADDOCK_PASID_R_OK
			     ? err->reason
			     : PADDOCK_PASID_R_BAD_ARGUMENT;
	write_reason(d, op, err);
	if (arch_copy_to_guest(d, uop, op, result_bytes(op->cmd)))
		return -XEN_EFAULT;
	return rc;
}

long pasid_op(struct hv_system *sys, struct domain *d, gvaddr_t uop,
	      uint64_t size)
{
	struct paddock_pasid_op op;
	struct pasid_err err; /* filled by whoever refuses */
	int rc;

	err.reason = PADDOCK_PASID_R_OK;
	err.text[0] = '\0';
	if (size != sizeof(op)) {
		pasid_note_refusal(sys->pasids, d->id,
				   PADDOCK_PASID_R_BAD_SIZE);
		return -XEN_EINVAL;
	}
	if (arch_copy_from_guest(d, &op, uop, sizeof(op))) {
		pasid_note_refusal(sys->pasids, d->id,
				   PADDOCK_PASID_R_BAD_POINTER);
		return -XEN_EFAULT;
	}
	/* The result goes back into the op: an op the guest cannot write
	 * is refused before it acts, or an ALLOC would charge a PASID whose
	 * number the guest never learns.  Asking is enough: the domain
	 * cannot change its own mappings, so the answer still holds when
	 * the result is written. */
	if (arch_guest_writable(d, uop, sizeof(op))) {
		pasid_note_refusal(sys->pasids, d->id,
				   PADDOCK_PASID_R_BAD_POINTER);
		return -XEN_EFAULT;
	}
	rc = run_cmd(sys, d, &op, &err);
	if (rc < 0)
		return answer_refusal(d, uop, &op, &err, rc);
	op.reason = PADDOCK_PASID_R_OK;
	if (arch_copy_to_guest(d, uop, &op, result_bytes(op.cmd)))
		return -XEN_EFAULT;
	return rc;
}
