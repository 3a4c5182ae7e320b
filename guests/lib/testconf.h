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

/*
 * The victim domain beside the dma domain (config/systems/x86-dma-guest.c)
 * meets it on the test image's board (PADDOCK_TEST_POST/PEEK): it posts a
 * bound PASID of its own in one slot; the dma domain, done attacking with
 * it, posts in the other how many of its own device's faults carried it.
 */
#define TESTCONF_SLOT_VICTIM_PASID 0
#define TESTCONF_SLOT_ATTACK_DONE  1
/* Yields the dma domain waits for the victim's PASID (it SKIPs the
 * foreign-PASID tests without one: the demo has no victim). */
#define TESTCONF_VICTIM_WAIT_POLLS 500
/* Yields the victim waits for the dma domain to be done before failing. */
#define TESTCONF_VICTIM_POLLS 400000

#endif
