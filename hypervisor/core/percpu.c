/* SPDX-License-Identifier: MIT */
/* The boot CPU's state (paddock/percpu.h). */
#include <paddock/percpu.h>

struct percpu percpu_boot_cpu;
