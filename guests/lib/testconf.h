/* SPDX-License-Identifier: MIT */
/*
 * What the test guests expect of the system configuration that runs them
 * (see docs/guests.md, "Systems for the test guests").
 */
#ifndef PADDOCK_GUEST_TESTCONF_H
#define PADDOCK_GUEST_TESTCONF_H

/*
 * The watch domain boots with this PASID quota, and no other domain may
 * have the same one: it is how the control domain finds it in LIST.
 */
#define TESTCONF_WATCH_QUOTA 11
/* The quota the control domain gives it, which it waits to see. */
#define TESTCONF_WATCH_NEW_QUOTA 29
/* How many yields the watch domain waits for the change before failing. */
#define TESTCONF_WATCH_POLLS 200000

/*
 * The dma guest: a device that exists but is another domain's (QEMU q35
 * as hypervisor/arch/x86_64/qemu-run.sh builds it: the edu at 03:00.0).
 */
#define TESTCONF_DMA_FOREIGN_DEVICE 0x0300

#endif
