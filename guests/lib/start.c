/* SPDX-License-Identifier: MIT */
/*
 * From _start to main: check the start information, run constructors,
 * call main, and turn its status into a domain shutdown through exit().
 */
#include <stdlib.h>

#include "guest.h"

const struct paddock_start_info *paddock_start_info;

int main(int argc, char **argv);
void paddock_heap_init(const struct paddock_start_info *si);

typedef void (*init_fn)(void);
extern init_fn __init_array_start[], __init_array_end[];

/**
 * Called by crt0 with .bss already cleared.  A start page without the
 * magic means the hypervisor and this guest disagree on the entry
 * contract; nothing after that can be trusted, so the domain reports a
 * crash rather than running its tests on garbage.
 */
__attribute__((noreturn)) void
paddock_guest_start(const struct paddock_start_info *si)
{
	static char name[sizeof(si->name) + 1];
	char *argv[2] = {name, NULL};

	if (!si || si->magic != PADDOCK_START_MAGIC) {
		paddock_puts_raw("guest: bad start info magic\n");
		paddock_shutdown(SHUTDOWN_crash);
	}
	paddock_start_info = si;
	/* The name field need not be NUL-terminated when it is full. */
	for (size_t i = 0; i < sizeof(si->name) && si->name[i]; i++)
		name[i] = si->name[i];
	paddock_heap_init(si);

	for (init_fn *fn = __init_array_start; fn < __init_array_end; fn++)
		(*fn)();

	/* exit() flushes stdio and runs atexit handlers before _exit. */
	exit(main(1, argv));
}
