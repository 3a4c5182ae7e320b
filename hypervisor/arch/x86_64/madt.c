/* SPDX-License-Identifier: MIT */
/* The MADT's CPUs, boot CPU first (asm/madt.h). */
#include <asm/madt.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static bool listed(const struct madt_cpu_list *out, uint32_t id)
{
	for (unsigned i = 0; i < out->n; i++) {
		if (out->ids[i] == id)
			return true;
	}
	return false;
}

/* One CPU entry: its APIC ID and flags, or false if it is not one. */
static bool cpu_entry(const uint8_t *e, uint32_t *id, uint32_t *flags)
{
	if (e[0] == MADT_TYPE_LAPIC && e[1] >= 8) {
		*id = e[3];
		*flags = le32(e + 4);
		return true;
	}
	if (e[0] == MADT_TYPE_X2APIC && e[1] >= 16) {
		*id = le32(e + 4);
		*flags = le32(e + 8);
		return true;
	}
	return false;
}

static void take(struct madt_cpu_list *out, uint32_t id, uint32_t flags,
		 bool x2apic, unsigned cap, madt_say_fn say)
{
	out->entries++;
	if (!(flags & (MADT_CPU_ENABLED | MADT_CPU_ONLINE_CAPABLE))) {
		out->disabled++;
		return;
	}
	if (listed(out, id)) {
		out->duplicates++;
		say("acpi: MADT: APIC id %u listed again: the later entry is "
		    "ignored\n",
		    id);
		return;
	}
	if (id == 0xffffffff) { /* x2APIC broadcast (SDM 11.12.9) */
		out->unreachable++;
		say("acpi: MADT: x2APIC id 0xffffffff (broadcast) ignored\n");
		return;
	}
	if (!x2apic && id > 0xfe) {
		out->unreachable++;
		say("acpi: MADT: CPU with x2APIC id %u left off: the local "
		    "APIC is in xAPIC mode, whose IPIs name 8-bit IDs only "
		    "(SDM Vol. 3A, 11.6.1)\n",
		    id);
		return;
	}
	if (out->n >= cap || out->n >= ARRAY_LEN(out->ids)) {
		out->over_cap++;
		return;
	}
	out->ids[out->n++] = id;
}

void madt_cpus(const uint8_t *table, size_t len, uint32_t boot_id, bool x2apic,
	       unsigned cap, struct madt_cpu_list *out, madt_say_fn say)
{
	const uint8_t *p = table + MADT_HEADER_BYTES, *end = table + len;
	bool boot_seen = false;

	*out = (struct madt_cpu_list){.n = 1, .ids = {boot_id}};
	if (!cap)
		cap = 1;
	while (len >= MADT_HEADER_BYTES && end - p >= 2 && p[1] >= 2 &&
	       p[1] <= end - p) {
		uint32_t id, flags;

		if (cpu_entry(p, &id, &flags)) {
			/* The boot CPU is listed already, and runs whatever
			 * its entry's flags say; a second entry for it is a
			 * duplicate like any other. */
			if (id == boot_id && !boot_seen) {
				boot_seen = true;
				out->entries++;
			} else {
				take(out, id, flags, x2apic, cap, say);
			}
		}
		p += p[1];
	}
	if (!boot_seen)
		say("acpi: MADT: the boot CPU's APIC id %u is not listed; it "
		    "runs all the same\n",
		    boot_id);
	if (out->over_cap)
		say("acpi: MADT: %u more CPUs left off: Paddock runs on %u "
		    "(CFG_MAX_CPUS)\n",
		    out->over_cap, cap);
}
