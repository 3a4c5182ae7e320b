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

/* One console write per line, so that lines of domains on other CPUs
 * never land inside it. */
static void flush_line(struct domain *d)
{
	char out[DOMAIN_CONSOLE_LINE + 48];
	size_t n = 0;

	out[n++] = '[';
	for (const char *s = d->name; *s && n < 44; s++)
		out[n++] = *s;
	out[n++] = ']';
	out[n++] = ' ';
	pd_memcpy(out + n, d->line, d->line_len);
	n += d->line_len;
	out[n++] = '\n';
	arch_console_write(out, n);
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
	sched_domain_ended(d);
	sched_request_switch();
}
