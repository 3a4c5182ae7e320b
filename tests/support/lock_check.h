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
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <paddock/spinlock.h>

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

/*
 * A thread that takes a lock and keeps it until told to let go, to show
 * that a lock held by someone else does not count.  It takes the spinlock
 * itself: a witness is only as good as the lock under it.
 */
struct lock_holder {
	struct spinlock *lock;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool holding, release;
};

static inline void *lock_holder_run(void *arg)
{
	struct lock_holder *h = arg;

	spin_lock(h->lock);
	pthread_mutex_lock(&h->mu);
	h->holding = true;
	pthread_cond_broadcast(&h->cv);
	while (!h->release)
		pthread_cond_wait(&h->cv, &h->mu);
	pthread_mutex_unlock(&h->mu);
	spin_unlock(h->lock);
	return NULL;
}

/** Starts the holder; returns once it holds the lock (0, or an errno). */
static inline int lock_holder_start(struct lock_holder *h)
{
	int rc;

	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->cv, NULL);
	h->holding = h->release = false;
	rc = pthread_create(&h->thread, NULL, lock_holder_run, h);
	if (rc)
		return rc;
	pthread_mutex_lock(&h->mu);
	while (!h->holding)
		pthread_cond_wait(&h->cv, &h->mu);
	pthread_mutex_unlock(&h->mu);
	return 0;
}

/** Tells the holder to let go and waits for it. */
static inline int lock_holder_stop(struct lock_holder *h)
{
	pthread_mutex_lock(&h->mu);
	h->release = true;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	return pthread_join(h->thread, NULL);
}

/** aborts_in_child(fn, ctx) while another thread holds `lock`. */
static inline bool aborts_while_held_elsewhere(struct spinlock *lock,
					       void (*fn)(void *ctx), void *ctx)
{
	struct lock_holder h = {.lock = lock};
	bool aborted;

	if (lock_holder_start(&h))
		return false;
	aborted = aborts_in_child(fn, ctx);
	return lock_holder_stop(&h) == 0 && aborted;
}

#endif
