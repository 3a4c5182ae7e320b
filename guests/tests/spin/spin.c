/* SPDX-License-Identifier: MIT */
/*
 * spin: takes a couple of PASIDs (when its quota allows), then never
 * yields and never calls the hypervisor again.  The other domains must
 * still run (the hypervisor preempts on its timer), the system must be
 * able to end without this domain's help, and its PASIDs are live for the
 * whole run, which gives the hostile guest other domains' PASIDs to try.
 */
#include <stdio.h>

#include "guest.h"

int main(int argc, char **argv)
{
	volatile uint64_t laps = 0;
	uint32_t p[2];
	int n = 0;

	while (n < 2 && pasid_alloc(&p[n], NULL) == 0)
		n++;
	if (n == 2)
		printf("spin: holding PASIDs %u and %u\n", p[0], p[1]);
	else if (n == 1)
		printf("spin: holding PASID %u\n", p[0]);
	printf("spin: spinning forever without yielding\n");
	fflush(stdout);
	for (;;)
		laps++;
}
