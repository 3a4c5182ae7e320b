/* SPDX-License-Identifier: MIT */
/*
 * Death tests for the lock witnesses (hypervisor/include/paddock/
 * spinlock.h): host tests build with PADDOCK_LOCK_CHECKS, where a
 * function given a witness for a lock its caller does not hold aborts.
 * aborts_in_child() runs such a call in a child process, so the test
 * itself survives to say whether the check fired.  The child's stderr,
 * where the failed check names its file and line, is discarded unless
 * LOCK_CHECK_VERBOSE is set in the environment.
 */
#ifndef PADDOCK_TESTS_LOCK_CHECK_H
#define PADDOCK_TESTS_LOCK_CHECK_H

#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PADDOCK_LOCK_CHECKS
#error "lock witness tests need a build with PADDOCK_LOCK_CHECKS"
#endif

/** True when fn(ctx) dies of SIGABRT (a failed check) in a child. */
static inline bool aborts_in_child(void (*fn)(void *ctx), void *ctx)
{
	int status = 0;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		signal(SIGABRT, SIG_DFL);
		if (null >= 0 && !getenv("LOCK_CHECK_VERBOSE"))
			dup2(null, STDERR_FILENO);
		fn(ctx);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return false;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

#endif
