/* SPDX-License-Identifier: MIT */
/*
 * Prints the domains of one system, one line each: name, image and how it
 * is expected to end.  Built on the host against the system's own
 * config/systems/[<arch>/]<name>.c (mk/lava.mk), so that the LAVA judge
 * expects a summary row for exactly the domains the image runs, read from
 * the configuration rather than from the run it judges.
 */
#include <stdio.h>

#include <config/config.h>

static const char *expected_end(const struct domain_cfg *d)
{
	if (d->expect_crash)
		return "crash";
	return d->runs_forever ? "forever" : "poweroff";
}

int main(void)
{
	for (unsigned i = 0; i < system_config.ndomains; i++) {
		const struct domain_cfg *d = &system_config.domains[i];

		printf("%s %s %s\n", d->name, d->image, expected_end(d));
	}
	return 0;
}
