/* SPDX-License-Identifier: MIT */
/*
 * The system calls newlib needs, on top of Paddock hypercalls.  A guest has
 * one console (fds 0-2), a fixed heap and no files, processes or signals.
 *
 * newlib's x86_64-elf build calls these without a leading underscore
 * (configure defines MISSING_SYSCALL_NAMES); its aarch64-none-elf build
 * calls _write, _sbrk, ...  NEWLIB_SYSCALL() gives each function the name
 * its target's libc.a asks for.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "guest.h"

#if defined(__x86_64__)
#define NEWLIB_SYSCALL(name) name
#else
#define NEWLIB_SYSCALL(name) _##name
#endif

static uintptr_t heap_brk, heap_lo, heap_hi;

/** Called from paddock_guest_start before any allocation. */
void paddock_heap_init(const struct paddock_start_info *si)
{
	heap_lo = si->heap_start;
	heap_hi = si->heap_end;
	heap_brk = heap_lo;
}

static int is_console(int fd)
{
	return fd >= 0 && fd <= 2;
}

void *NEWLIB_SYSCALL(sbrk)(ptrdiff_t incr)
{
	uintptr_t old = heap_brk;

	/* Checked without forming an out-of-range pointer. */
	if (incr >= 0 ? (uintptr_t)incr > heap_hi - old
		      : (uintptr_t)-incr > old - heap_lo) {
		errno = ENOMEM;
		return (void *)-1;
	}
	heap_brk = old + (uintptr_t)incr;
	return (void *)old;
}

int NEWLIB_SYSCALL(write)(int fd, const void *buf, size_t len)
{
	if (fd != 1 && fd != 2) {
		errno = EBADF;
		return -1;
	}
	if (paddock_console_write(buf, len) < 0) {
		errno = EIO;
		return -1;
	}
	return (int)len;
}

int NEWLIB_SYSCALL(read)(int fd, void *buf, size_t len)
{
	/* The console has no input side: stdin is at end of file. */
	if (fd == 0)
		return 0;
	errno = EBADF;
	return -1;
}

int NEWLIB_SYSCALL(close)(int fd)
{
	if (is_console(fd))
		return 0;
	errno = EBADF;
	return -1;
}

int NEWLIB_SYSCALL(fstat)(int fd, struct stat *st)
{
	if (!is_console(fd)) {
		errno = EBADF;
		return -1;
	}
	/* A character device, so that stdio line-buffers the console. */
	*st = (struct stat){.st_mode = S_IFCHR};
	return 0;
}

int NEWLIB_SYSCALL(isatty)(int fd)
{
	if (is_console(fd))
		return 1;
	errno = EBADF;
	return 0;
}

off_t NEWLIB_SYSCALL(lseek)(int fd, off_t off, int whence)
{
	errno = is_console(fd) ? ESPIPE : EBADF;
	return -1;
}

int NEWLIB_SYSCALL(getpid)(void)
{
	return paddock_start_info ? paddock_start_info->domid : 0;
}

/**
 * There are no signal handlers to deliver to: a signal sent to oneself
 * (abort() raises SIGABRT) ends the domain as crashed.
 */
int NEWLIB_SYSCALL(kill)(int pid, int sig)
{
	if (pid != NEWLIB_SYSCALL(getpid)()) {
		errno = ESRCH;
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	printf("guest: killed by signal %d\n", sig);
	fflush(stdout);
	paddock_shutdown(SHUTDOWN_crash);
}

/**
 * The end of every path out of main: 0 is a clean power-off, any other
 * status is reported and ends the domain as crashed, so that the
 * hypervisor's record of the shutdown says whether the guest succeeded.
 */
__attribute__((noreturn)) void _exit(int status)
{
	if (status != 0) {
		/* Built by hand: stdio is already shut down here. */
		char msg[40] = "guest: exit status ";
		size_t n = strlen(msg);
		char digits[12];
		int nd = 0;
		unsigned s = (unsigned)status;

		if (status < 0) {
			msg[n++] = '-';
			s = 0u - s;
		}
		do {
			digits[nd++] = (char)('0' + s % 10);
			s /= 10;
		} while (s);
		while (nd)
			msg[n++] = digits[--nd];
		msg[n++] = '\n';
		paddock_console_write(msg, n);
	}
	paddock_shutdown(status == 0 ? SHUTDOWN_poweroff : SHUTDOWN_crash);
}
