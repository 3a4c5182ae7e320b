/* SPDX-License-Identifier: MIT */
/* Every CPU's state (paddock/percpu.h). */
#include <paddock/percpu.h>

struct percpu percpus[PERCPU_MAX_CPUS];
unsigned cpus_found = 1;

#if !__has_include(<asm/percpu.h>)
_Thread_local struct percpu *host_this_cpu = &percpus[0];
#endif
