/* SPDX-License-Identifier: MIT */
/* Helpers around HYPERVISOR_paddock_pasid_op, one per sub-operation. */
#include <string.h>

#include "guest.h"

long pasid_call(struct paddock_pasid_op *op, struct pasid_why *why)
{
	long ret;

	if (why) {
		why->code = PADDOCK_PASID_R_OK;
		why->text[0] = '\0';
		op->reason_buf = (uint64_t)(uintptr_t)why->text;
		op->reason_len = sizeof(why->text);
	}
	ret = HYPERVISOR_paddock_pasid_op(op, sizeof(*op));
	if (why) {
		why->code = op->reason;
		/* Never trust the hypervisor to have terminated the text. */
		why->text[sizeof(why->text) - 1] = '\0';
	}
	return ret;
}

long pasid_alloc(uint32_t *pasid, struct pasid_why *why)
{
	struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_ALLOC};
	long ret = pasid_call(&op, why);

	if (ret == 0)
		*pasid = op.pasid;
	return ret;
}

long pasid_free(uint32_t pasid, struct pasid_why *why)
{
	struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_FREE,
				      .pasid = pasid};

	return pasid_call(&op, why);
}

long pasid_bind(uint32_t pasid, uint32_t device, uint32_t bind_type,
		uint64_t fl_root, struct pasid_why *why)
{
	struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_BIND,
				      .pasid = pasid,
				      .device = device,
				      .bind_type = bind_type,
				      .fl_root = fl_root};

	return pasid_call(&op, why);
}

long pasid_unbind(uint32_t pasid, uint32_t device, struct pasid_why *why)
{
	struct paddock_pasid_op op = {
		.cmd = PADDOCK_PASID_UNBIND, .pasid = pasid, .device = device};

	return pasid_call(&op, why);
}

long pasid_set_data(uint32_t pasid, uint64_t cookie, struct pasid_why *why)
{
	struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_SET_DATA,
				      .pasid = pasid,
				      .cookie = cookie};

	return pasid_call(&op, why);
}

long pasid_get_data(uint32_t pasid, uint64_t *cookie, struct pasid_why *why)
{
	struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_GET_DATA,
				      .pasid = pasid};
	long ret = pasid_call(&op, why);

	if (ret == 0)
		*cookie = op.cookie;
	return ret;
}

long pasid_query(struct paddock_pasid_info *info, struct pasid_why *why)
{
	struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_QUERY};
	long ret = pasid_call(&op, why);

	if (ret == 0)
		*info = op.u.info;
	return ret;
}

long pasid_list(struct paddock_pasid_info *buf, uint32_t max, uint32_t *count,
		struct pasid_why *why)
{
	struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_LIST};
	long ret;

	op.u.list.buf = (uint64_t)(uintptr_t)buf;
	op.u.list.max = max;
	ret = pasid_call(&op, why);
	if (ret == 0)
		*count = op.u.list.count;
	return ret;
}

long pasid_set_quota(uint32_t domain, uint32_t quota, struct pasid_why *why)
{
	struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_SET_QUOTA,
				      .domain = domain,
				      .quota = quota};

	return pasid_call(&op, why);
}

long pasid_get_faults(struct paddock_pasid_fault *buf, uint32_t max,
		      uint32_t *count, struct pasid_why *why)
{
	struct paddock_pasid_op op = {.cmd = PADDOCK_PASID_GET_FAULTS};
	long ret;

	op.u.faults.buf = (uint64_t)(uintptr_t)buf;
	op.u.faults.max = max;
	ret = pasid_call(&op, why);
	if (ret == 0)
		*count = op.u.faults.count;
	return ret;
}

const char *pasid_reason_str(uint32_t reason)
{
	static const char *const names[] = {
		[PADDOCK_PASID_R_OK] = "OK",
		[PADDOCK_PASID_R_BAD_SIZE] = "BAD_SIZE",
		[PADDOCK_PASID_R_BAD_POINTER] = "BAD_POINTER",
		[PADDOCK_PASID_R_UNKNOWN_CMD] = "UNKNOWN_CMD",
		[PADDOCK_PASID_R_NOT_PRIVILEGED] = "NOT_PRIVILEGED",
		[PADDOCK_PASID_R_QUOTA] = "QUOTA",
		[PADDOCK_PASID_R_SPACE] = "SPACE",
		[PADDOCK_PASID_R_OUT_OF_RANGE] = "OUT_OF_RANGE",
		[PADDOCK_PASID_R_NOT_OWNER] = "NOT_OWNER",
		[PADDOCK_PASID_R_NOT_ALLOCATED] = "NOT_ALLOCATED",
		[PADDOCK_PASID_R_PARKED] = "PARKED",
		[PADDOCK_PASID_R_NO_DEVICE] = "NO_DEVICE",
		[PADDOCK_PASID_R_DEVICE_NOT_OWNED] = "DEVICE_NOT_OWNED",
		[PADDOCK_PASID_R_ALREADY_BOUND] = "ALREADY_BOUND",
		[PADDOCK_PASID_R_NOT_BOUND] = "NOT_BOUND",
		[PADDOCK_PASID_R_BAD_BIND_TYPE] = "BAD_BIND_TYPE",
		[PADDOCK_PASID_R_BAD_TABLE_ROOT] = "BAD_TABLE_ROOT",
		[PADDOCK_PASID_R_NO_MEMORY] = "NO_MEMORY",
		[PADDOCK_PASID_R_NO_DOMAIN] = "NO_DOMAIN",
		[PADDOCK_PASID_R_BAD_ARGUMENT] = "BAD_ARGUMENT",
		[PADDOCK_PASID_R_IOMMU] = "IOMMU",
		[PADDOCK_PASID_R_HYPERVISOR_SET] = "HYPERVISOR_SET",
	};
	_Static_assert(sizeof(names) / sizeof(names[0]) ==
			       PADDOCK_PASID_R_MAX + 1,
		       "a reason code has no name");

	if (reason > PADDOCK_PASID_R_MAX)
		return "R_?";
	return names[reason];
}

const char *xen_errno_str(long err)
{
	switch (-err) {
	case 0:
		return "0";
	case XEN_EPERM:
		return "-XEN_EPERM";
	case XEN_ENOENT:
		return "-XEN_ENOENT";
	case XEN_ESRCH:
		return "-XEN_ESRCH";
	case XEN_EIO:
		return "-XEN_EIO";
	case XEN_E2BIG:
		return "-XEN_E2BIG";
	case XEN_ENOMEM:
		return "-XEN_ENOMEM";
	case XEN_EACCES:
		return "-XEN_EACCES";
	case XEN_EFAULT:
		return "-XEN_EFAULT";
	case XEN_EBUSY:
		return "-XEN_EBUSY";
	case XEN_EEXIST:
		return "-XEN_EEXIST";
	case XEN_EMFILE:
		return "-XEN_EMFILE";
	case XEN_ENODEV:
		return "-XEN_ENODEV";
	case XEN_EINVAL:
		return "-XEN_EINVAL";
	case XEN_ENOSPC:
		return "-XEN_ENOSPC";
	case XEN_ERANGE:
		return "-XEN_ERANGE";
	case XEN_ENOSYS:
		return "-XEN_ENOSYS";
	case XEN_EOPNOTSUPP:
		return "-XEN_EOPNOTSUPP";
	case XEN_EAGAIN:
		return "-XEN_EAGAIN";
	case XEN_EOVERFLOW:
		return "-XEN_EOVERFLOW";
	default:
		return err < 0 ? "-XEN_E?" : "positive";
	}
}
