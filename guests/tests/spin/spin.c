/* SPDX-License-Identifier: MIT */
/*
 * spin: never yields and never makes a hypercall after its first line.
 * The other domains must still run (the hypervisor preempts on its timer)
 * and the system must be able to end without this domain's help.
 */
#include <stdio.h>

#include "guest.h"

int main(int argc, char **argv)
{
	volatile uint64_t laps = 0;

	printf("spin: spinning forever without yielding\n");
	fflush(stdout);
	for (;;)
		laps++;
}
