/* SPDX-License-Identifier: MIT */
/* The running system as the x86 side sees it. */
#ifndef ASM_PLATFORM_H
#define ASM_PLATFORM_H

#include <paddock/hypercall.h>

/*
 * Exit statuses through isa-debug-exit.  QEMU exits with (value << 1) | 1,
 * so these become 1 (all domains ran and every test passed), 3, 5, 7.
 */
enum platform_exit_code {
	PLATFORM_EXIT_OK = 0,
	PLATFORM_EXIT_TESTS_FAILED = 1,
	PLATFORM_EXIT_BOOT_FAILED = 2,
	PLATFORM_EXIT_HV_FAULT = 3,
};

/** Ends the run: isa-debug-exit when configured, else halts. */
__attribute__((noreturn)) void platform_exit(enum platform_exit_code code);

/** Prints the boot-to-first-hypercall bench line. */
void x86_note_first_hypercall(void);

#endif
