/* SPDX-License-Identifier: MIT */
/*
 * Paddock guest ABI: the test hypercall.  TEST IMAGES ONLY.
 *
 * Compiled only into the hypervisor images of test systems (a system
 * whose .mk sets SYSTEM_TEST_<name> := 1); every other image answers
 * -XEN_ENOSYS.  It exists because no device QEMU 7.2 emulates can tag its
 * DMA with a PASID: the only way to exercise a PASID entry with real DMA
 * is to point the device's untagged requests at it (VT-d RID_PASID).
 *
 * Call:   x86_64 PV: syscall, rax = __HYPERVISOR_paddock_test_op,
 *         rdi = sub-operation, rsi, rdx = its arguments.
 * See docs/abi.md, "Test-only hypercall".
 */
#ifndef PADDOCK_PUBLIC_TEST_OP_H
#define PADDOCK_PUBLIC_TEST_OP_H

/* Xen's __HYPERVISOR_arch_7, unused by Xen 4.17 on x86 and Arm. */
#define __HYPERVISOR_paddock_test_op 55

/*
 * STEER(device, pasid): the device's requests without PASID are
 * translated by (device, pasid)'s PASID entry from now on (VT-d context
 * entry RID_PASID, then a context-cache invalidation).  The device must be
 * the caller's, the PASID the caller's and bound.  0, -XEN_ENOSYS (not a
 * test image), -XEN_EPERM (device or PASID not the caller's), -XEN_ENOENT
 * (PASID not bound), -XEN_ENODEV (no IOMMU serves the device).
 */
#define PADDOCK_TEST_STEER 1
/*
 * WATCH(guest address, bytes): after the caller stops, the hypervisor's
 * end of run waits for the caller's first device to go idle and checks
 * that these bytes (at most 4096, inside the caller's memory) are still
 * what they are now, and that a DMA fault of that device was filed for
 * the PASID its requests were last steered to.  Prints "DMA TEST" lines.
 */
#define PADDOCK_TEST_WATCH 2
/*
 * STEER_ANY(device, pasid): like STEER, but the PASID may be anybody's or
 * nobody's: it models what real hardware lets a device do, emit any PASID
 * value, so that a test can prove where such a device's faults are filed.
 * The device must be the caller's; 1 <= pasid < 2^20.  0, -XEN_EPERM
 * (device not the caller's), -XEN_EINVAL (PASID), -XEN_ENODEV.
 */
#define PADDOCK_TEST_STEER_ANY 3
/*
 * POST(slot, value) and PEEK(slot): a board of 8 32-bit slots every domain
 * of the test image reads and writes, so that two test domains can meet
 * (one publishes a PASID, the other says when it is done).  POST: 0 or
 * -XEN_EINVAL (slot >= 8, value >= 2^32).  PEEK: the value last posted,
 * -XEN_ENOENT before any POST, -XEN_EINVAL (slot).
 */
#define PADDOCK_TEST_POST  4
#define PADDOCK_TEST_PEEK  5
#define PADDOCK_TEST_SLOTS 8

#endif /* PADDOCK_PUBLIC_TEST_OP_H */
