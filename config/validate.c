/* SPDX-License-Identifier: MIT */
/*
 * The configuration check (config.h).  Pure C over plain data, so that the
 * same code runs at boot and in the host test tests/config/.  Each message
 * names the domain and the field, since a person fixing a config file
 * needs exactly those two things.
 */
#include <paddock/fmt.h>
#include "config.h"

#define PAGE_BYTES 4096ull

static void report(struct cfg_report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void report(struct cfg_report *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nerrors < CFG_MAX_ERRORS) {
		va_start(ap, fmt);
		pd_vsnprintf(r->errors[r->nerrors], CFG_MSG_LEN, fmt, ap);
		va_end(ap);
	}
	r->nerrors++;
}

static bool same_string(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static bool has_range(const struct domain_cfg *d)
{
	return d->pasid_range.lo || d->pasid_range.hi;
}

static const struct cfg_device *find_device(const struct cfg_inventory *inv,
					    uint32_t bdf)
{
	for (unsigned i = 0; i < inv->ndevices; i++) {
		if (inv->devices[i].bdf == bdf)
			return &inv->devices[i];
	}
	return NULL;
}

static void check_names(const struct system_cfg *sys,
			const struct cfg_inventory *inv, unsigned i,
			struct cfg_report *r)
{
	const struct domain_cfg *d = &sys->domains[i];
	bool known = !inv->images;

	if (!d->name || !d->name[0]) {
		report(r, "domain %u: .name is empty", i);
		return;
	}
	for (unsigned j = 0; j < i; j++) {
		if (same_string(sys->domains[j].name, d->name)) {
			report(r, "domain %s: .name is used twice", d->name);
			break;
		}
	}
	for (unsigned k = 0; inv->images && k < inv->nimages; k++)
		known |= same_string(inv->images[k], d->image);
	if (!d->image || !known)
		report(r, "domain %s: .image '%s' is not a known guest image",
		       d->name, d->image ? d->image : "");
}

static void check_pasids(const struct system_cfg *sys,
			 const struct cfg_inventory *inv, unsigned i,
			 struct cfg_report *r)
{
	const struct domain_cfg *d = &sys->domains[i];
	uint32_t space = inv->pasid_bits >= 32 ? 0xffffffffu
					       : (1u << inv->pasid_bits) - 1;
	uint32_t lo = d->pasid_range.lo, hi = d->pasid_range.hi;

	if (d->pasid_quota > space)
		report(r,
		       "domain %s: .pasid_quota %u exceeds the %u PASIDs of "
		       "a %u-bit space",
		       d->name, d->pasid_quota, space, inv->pasid_bits);
	if (!has_range(d))
		return;
	if (lo == 0 || lo > hi || hi > space) {
		report(r,
		       "domain %s: .pasid_range [%u, %u] is not inside "
		       "[1, %u]",
		       d->name, lo, hi, space);
		return;
	}
	if (d->pasid_quota > hi - lo + 1)
		report(r,
		       "domain %s: .pasid_quota %u exceeds its .pasid_range "
		       "[%u, %u] (%u PASIDs)",
		       d->name, d->pasid_quota, lo, hi, hi - lo + 1);
	for (unsigned j = 0; j < i; j++) {
		const struct domain_cfg *o = &sys->domains[j];

		if (has_range(o) && lo <= o->pasid_range.hi &&
		    o->pasid_range.lo <= hi) {
			report(r,
			       "domain %s: .pasid_range [%u, %u] overlaps "
			       "domain %s's [%u, %u]",
			       d->name, lo, hi, o->name, o->pasid_range.lo,
			       o->pasid_range.hi);
			break; /* one overlap per domain is enough to fix */
		}
	}
}

/* Has any domain before (i, k) been given device bdf? */
static const struct domain_cfg *earlier_owner(const struct system_cfg *sys,
					      unsigned i, unsigned k,
					      uint32_t bdf)
{
	for (unsigned j = 0; j <= i; j++) {
		const struct domain_cfg *o = &sys->domains[j];
		unsigned n = j == i ? k : o->ndevices;

		for (unsigned m = 0; m < n && m < CFG_MAX_DEVICES; m++) {
			if (o->devices[m] == bdf)
				return o;
		}
	}
	return NULL;
}

/* Another domain holding a device of `group`, or NULL. */
static const struct domain_cfg *group_holder(const struct system_cfg *sys,
					     const struct cfg_inventory *inv,
					     unsigned i, uint32_t group,
					     uint32_t *bdf)
{
	for (unsigned j = 0; j < sys->ndomains; j++) {
		const struct domain_cfg *o = &sys->domains[j];

		for (unsigned m = 0;
		     j != i && m < o->ndevices && m < CFG_MAX_DEVICES; m++) {
			const struct cfg_device *dev =
				find_device(inv, o->devices[m]);

			if (dev && dev->group == group) {
				*bdf = dev->bdf;
				return o;
			}
		}
	}
	return NULL;
}

static void print_bdf(char *buf, uint32_t bdf)
{
	pd_snprintf(buf, 12, "%02x:%02x.%x", (bdf >> 8) & 0xff, (bdf >> 3) & 31,
		    bdf & 7);
}

static void check_devices(const struct system_cfg *sys,
			  const struct cfg_inventory *inv, unsigned i,
			  struct cfg_report *r)
{
	const struct domain_cfg *d = &sys->domains[i];
	char a[12], b[12];

	if (d->ndevices > CFG_MAX_DEVICES) {
		report(r, "domain %s: .ndevices %u exceeds %u", d->name,
		       d->ndevices, CFG_MAX_DEVICES);
		return;
	}
	for (unsigned k = d->ndevices; k < CFG_MAX_DEVICES; k++) {
		if (d->devices[k]) { /* most likely a forgotten .ndevices */
			print_bdf(a, d->devices[k]);
			report(r,
			       "domain %s: .devices[%u] %s is beyond "
			       ".ndevices %u",
			       d->name, k, a, d->ndevices);
		}
	}
	for (unsigned k = 0; k < d->ndevices; k++) {
		uint32_t bdf = d->devices[k], other_bdf = 0;
		const struct cfg_device *dev = find_device(inv, bdf);
		const struct domain_cfg *o = earlier_owner(sys, i, k, bdf);

		print_bdf(a, bdf);
		if (!dev) {
			report(r, "domain %s: .devices[%u] %s: no such device",
			       d->name, k, a);
			continue;
		}
		if (o) {
			report(r,
			       "domain %s: .devices[%u] %s is already "
			       "assigned to domain %s",
			       d->name, k, a, o->name);
			continue;
		}
		o = group_holder(sys, inv, i, dev->group, &other_bdf);
		if (o && o < d) { /* report each split once, at the later one */
			print_bdf(b, other_bdf);
			report(r,
			       "domain %s: .devices[%u] %s splits isolation "
			       "group %u with domain %s (%s)",
			       d->name, k, a, dev->group, o->name, b);
		}
	}
}

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return a ? (v + a - 1) / a * a : v;
}

static void check_memory(const struct system_cfg *sys,
			 const struct cfg_inventory *inv, unsigned i,
			 uint64_t *used, struct cfg_report *r)
{
	const struct domain_cfg *d = &sys->domains[i];
	uint64_t need;

	if (d->mem_bytes < CFG_MIB || d->mem_bytes % PAGE_BYTES) {
		report(r,
		       "domain %s: .mem_bytes %llu is not a multiple of "
		       "4 KiB of at least 1 MiB",
		       d->name, (unsigned long long)d->mem_bytes);
		return;
	}
	/* Compare before rounding: rounding a huge size up would wrap. */
	need = d->mem_bytes > inv->pool_bytes
		       ? d->mem_bytes
		       : round_up(d->mem_bytes, inv->mem_align);
	if (need > inv->pool_bytes || *used > inv->pool_bytes - need) {
		report(r,
		       "domain %s: .mem_bytes %llu MiB does not fit: %llu "
		       "of %llu MiB already given to earlier domains",
		       d->name, (unsigned long long)(d->mem_bytes >> 20),
		       (unsigned long long)(*used >> 20),
		       (unsigned long long)(inv->pool_bytes >> 20));
		return; /* later domains are checked against what is left */
	}
	*used += need;
}

/* A domain's CPU must exist: a system written for a bigger machine is
 * refused rather than silently squeezed onto fewer CPUs. */
static void check_cpu(const struct system_cfg *sys,
		      const struct cfg_inventory *inv, unsigned i,
		      struct cfg_report *r)
{
	const struct domain_cfg *d = &sys->domains[i];
	unsigned ncpus = inv->ncpus ? inv->ncpus : 1;

	if (d->cpu == CFG_CPU_ANY)
		return;
	if (d->cpu < 0 || (unsigned)d->cpu >= ncpus)
		report(r,
		       "domain %s: .cpu %d does not exist: the machine has "
		       "%u CPUs (0-%u); name one of them or CFG_CPU_ANY",
		       d->name, d->cpu, ncpus, ncpus - 1);
}

unsigned config_validate(const struct platform_cfg *plat,
			 const struct system_cfg *sys,
			 const struct cfg_inventory *inv, struct cfg_report *r)
{
	uint64_t used = 0;

	r->nerrors = 0;
	if (plat->pasid_bits_cap < 1 || plat->pasid_bits_cap > 20)
		report(r, "platform %s: .pasid_bits_cap %u is not in 1..20",
		       plat->name, plat->pasid_bits_cap);
	if (!sys->ndomains || sys->ndomains > CFG_MAX_DOMAINS ||
	    !sys->domains) {
		report(r, "system %s: .ndomains %u is not in 1..%u", sys->name,
		       sys->ndomains, CFG_MAX_DOMAINS);
		return r->nerrors;
	}
	for (unsigned i = 0; i < sys->ndomains; i++) {
		check_names(sys, inv, i, r);
		if (!sys->domains[i].name || !sys->domains[i].name[0])
			continue;
		check_pasids(sys, inv, i, r);
		check_devices(sys, inv, i, r);
		check_memory(sys, inv, i, &used, r);
		check_cpu(sys, inv, i, r);
	}
	return r->nerrors;
}
