/* SPDX-License-Identifier: MIT */
/*
 * The generic side of a running domain: its guest image, its console
 * lines, its crash and its stop.
 */
#include <paddock/hypercall.h>
#include <paddock/iommu_glue.h>
#include <paddock/mem.h>
#include <paddock/system.h>
#include <config/config.h>
#include <xen/sched.h>

const struct guest_image *guest_image_find(const char *name)
{
	for (unsigned i = 0; i < guest_image_count; i++) {
		const char *a = guest_images[i].name, *b = name;

		while (*a && *a == *b) {
			a++;
			b++;
		}
		if (*a == *b)
			return &guest_images[i];
	}
	return NULL;
}

void domain_crash(struct domain *d, const char *why)
{
	size_t n = pd_strlen(why);

	if (n >= sizeof(d->why))
		n = sizeof(d->why) - 1;
	pd_memcpy(d->why, why, n);
	d->why[n] = 0;
	domain_stop(hv_system(), d, DOMAIN_CRASHED, SHUTDOWN_crash, why);
}

static void flush_line(struct domain *d)
{
	char prefix[48];
	size_t n = 0;

	prefix[n++] = '[';
	for (const char *s = d->name; *s && n < sizeof(prefix) - 3; s++)
		prefix[n++] = *s;
	prefix[n++] = ']';
	prefix[n++] = ' ';
	arch_console_write(prefix, n);
	arch_console_write(d->line, d->line_len);
	arch_console_write("\n", 1);
	d->line_len = 0;
}

/**
 * Domain output goes out a line at a time, prefixed with the domain's
 * name, so that the lines of domains preempted mid-line do not mix.
 */
void domain_console_write(struct domain *d, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n' || d->line_len == sizeof(d->line)) {
			flush_line(d);
			if (buf[i] == '\n')
				continue;
		}
		if (buf[i] != '\r')
			d->line[d->line_len++] = buf[i];
	}
}

void domain_stopped(struct domain *d)
{
	/* Whatever stopped it: its devices must not outlive it (a DMA or
	 * an MSI write still in flight, or started later, reaches nothing). */
	for (unsigned i = 0; i < d->cfg->ndevices; i++)
		iommu_quiesce_device(d->cfg->devices[i]);
	if (d->line_len)
		flush_line(d);
	d->runnable = false;
	sched_request_switch();
}
