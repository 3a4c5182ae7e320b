/* SPDX-License-Identifier: MIT */
/* Console output and shutdown, usable before and without stdio. */
#include <string.h>

#include "guest.h"

long paddock_console_write(const char *buf, size_t len)
{
	/*
	 * The hypervisor bounds one console_io call (Paddock: 4 KiB) and
	 * refuses a longer one outright, so long writes go in pieces.
	 */
	size_t done = 0;

	while (done < len) {
		size_t chunk = len - done;
		long ret;

		if (chunk > 1024)
			chunk = 1024;
		ret = HYPERVISOR_console_io(CONSOLEIO_write, (int)chunk,
					    buf + done);
		if (ret < 0)
			return ret;
		done += chunk;
	}
	return 0;
}

void paddock_puts_raw(const char *s)
{
	paddock_console_write(s, strlen(s));
}

__attribute__((noreturn)) void paddock_shutdown(unsigned int reason)
{
	struct sched_shutdown sd = {.reason = reason};

	HYPERVISOR_sched_op(SCHEDOP_shutdown, &sd);
	/*
	 * A shutdown that returns was refused; faulting on purpose makes the
	 * hypervisor stop the domain as crashed instead of leaving a guest
	 * that believes it has finished still running.
	 */
	__builtin_trap();
}
