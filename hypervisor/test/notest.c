/* SPDX-License-Identifier: MIT */
/*
 * The test-only hooks in a non-test image: nothing watches DMA faults
 * (docs/abi.md, "Test-only hypercall"; the arch refuses the hypercall).
 */
#include <paddock/selftest.h>

void test_dma_fault(uint32_t source, bool pasid_valid, uint32_t pasid,
		    domid_t owner)
{
	(void)source;
	(void)pasid_valid;
	(void)pasid;
	(void)owner;
}

void test_end_of_run(struct hv_system *sys)
{
	(void)sys;
}
