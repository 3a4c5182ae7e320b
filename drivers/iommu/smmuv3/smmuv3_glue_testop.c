/* SPDX-License-Identifier: MIT */
/*
 * TEST IMAGES ONLY: the arch's test op reaches smmu_test_redirect()
 * through here (smmuv3_glue.h), on the SMMU that has a CD table for the
 * StreamID.
 */
#include <xen/errno.h>

#include "smmuv3.h"
#include "smmuv3_glue.h"

int smmuv3_test_redirect(uint32_t sid, uint32_t pasid)
{
	struct smmu_unit *u;
	int rc = -XEN_ENODEV;

	for (unsigned i = 0; (u = smmuv3_glue_unit(i)) != NULL; i++) {
		rc = smmu_test_redirect(u, sid, pasid);
		if (rc != -XEN_ENOENT)
			return rc;
	}
	return rc;
}
