/* SPDX-License-Identifier: MIT */
/*
 * The MADT's CPU list (hypervisor/arch/x86_64/madt.c) on tables built
 * here: Processor Local APIC (type 0, ACPI 6.4 5.2.12.2) and Processor
 * Local x2APIC (type 9, 5.2.12.12) entries, their flags, duplicates, the
 * cap, the boot CPU first, and tables cut short.  QEMU 7.2 under TCG
 * never gives type-9 entries (it has no x2APIC), so this is where they
 * are proven.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <asm/madt.h>

#define EN MADT_CPU_ENABLED
#define OC MADT_CPU_ONLINE_CAPABLE

struct table {
	uint8_t b[1024];
	size_t len;
};

static char said[4096];

static void record(const char *fmt, ...)
{
	size_t n = strlen(said);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(said + n, sizeof(said) - n, fmt, ap);
	va_end(ap);
}

static void start(struct table *t)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->b, "APIC", 4);
	t->len = MADT_HEADER_BYTES;
	said[0] = 0;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Table 5.21: type, length 8, processor UID, APIC ID, flags. */
static void lapic(struct table *t, uint8_t id, uint32_t flags)
{
	uint8_t *e = t->b + t->len;

	e[0] = MADT_TYPE_LAPIC;
	e[1] = 8;
	e[2] = id; /* UID */
	e[3] = id;
	put32(e + 4, flags);
	t->len += 8;
}

/* Table 5.35: type, length 16, reserved, x2APIC ID, flags, UID. */
static void x2apic(struct table *t, uint32_t id, uint32_t flags)
{
	uint8_t *e = t->b + t->len;

	e[0] = MADT_TYPE_X2APIC;
	e[1] = 16;
	put32(e + 4, id);
	put32(e + 8, flags);
	put32(e + 12, id);
	t->len += 16;
}

/* An I/O APIC entry (5.2.12.3), which is no CPU. */
static void ioapic(struct table *t)
{
	uint8_t *e = t->b + t->len;

	e[0] = 1;
	e[1] = 12;
	t->len += 12;
}

static void list(const struct table *t, uint32_t boot, bool x2, unsigned cap,
		 struct madt_cpu_list *out)
{
	put32((uint8_t *)t->b + 4, (uint32_t)t->len);
	madt_cpus(t->b, t->len, boot, x2, cap, out, record);
}

static void ids_are(const struct madt_cpu_list *l, const uint64_t *want,
		    unsigned n)
{
	assert_int_equal(l->n, n);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(l->ids[i], want[i]);
}

static void qemu_four_cpus(void **state)
{
	struct table t;
	struct madt_cpu_list l;

	start(&t);
	for (uint8_t i = 0; i < 4; i++)
		lapic(&t, i, EN);
	ioapic(&t);
	list(&t, 0, false, 8, &l);
	ids_are(&l, (const uint64_t[]){0, 1, 2, 3}, 4);
	assert_int_equal(l.entries, 4);
	assert_string_equal(said, "");
}

static void boot_cpu_comes_first(void **state)
{
	struct table t;
	struct madt_cpu_list l;

	start(&t);
	lapic(&t, 0, EN);
	lapic(&t, 2, EN);
	lapic(&t, 4, EN);
	lapic(&t, 6, EN);
	list(&t, 4, false, 8, &l);
	ids_are(&l, (const uint64_t[]){4, 0, 2, 6}, 4);
}

static void disabled_are_left_off_online_capable_kept(void **state)
{
	struct table t;
	struct madt_cpu_list l;

	start(&t);
	lapic(&t, 0, EN);
	lapic(&t, 1, 0);  /* neither: not usable */
	lapic(&t, 2, OC); /* may be brought up: listed */
	x2apic(&t, 3, 0);
	x2apic(&t, 5, OC);
	list(&t, 0, true, 8, &l);
	ids_are(&l, (const uint64_t[]){0, 2, 5}, 3);
	assert_int_equal(l.disabled, 2);
}

static void x2apic_entries_are_cpus(void **state)
{
	struct table t;
	struct madt_cpu_list l;

	start(&t);
	x2apic(&t, 0, EN);
	x2apic(&t, 0x100, EN);
	x2apic(&t, 0x12345, EN);
	list(&t, 0, true, 8, &l);
	ids_are(&l, (const uint64_t[]){0, 0x100, 0x12345}, 3);
}

/* Firmware may list an ID below 255 in both kinds of entry. */
static void duplicates_are_ignored(void **state)
{
	struct table t;
	struct madt_cpu_list l;

	start(&t);
	lapic(&t, 0, EN);
	lapic(&t, 1, EN);
	x2apic(&t, 1, EN);
	x2apic(&t, 0, EN); /* the boot CPU again */
	list(&t, 0, true, 8, &l);
	ids_are(&l, (const uint64_t[]){0, 1}, 2);
	assert_int_equal(l.duplicates, 2);
	assert_non_null(strstr(said, "APIC id 1 listed again"));
	assert_non_null(strstr(said, "APIC id 0 listed again"));
}

/* xAPIC-mode IPIs carry an 8-bit destination, 0xFF the broadcast. */
static void xapic_mode_cannot_reach_big_ids(void **state)
{
	struct table t;
	struct madt_cpu_list l;

	start(&t);
	lapic(&t, 0, EN);
	x2apic(&t, 0xfe, EN);
	x2apic(&t, 0xff, EN);
	x2apic(&t, 0x100, EN);
	list(&t, 0, false, 8, &l);
	ids_are(&l, (const uint64_t[]){0, 0xfe}, 2);
	assert_int_equal(l.unreachable, 2);
	assert_non_null(strstr(said, "x2APIC id 256 left off: the local "
				     "APIC is in xAPIC mode"));
	/* In x2APIC mode they are reachable, the broadcast ID never. */
	start(&t);
	lapic(&t, 0, EN);
	x2apic(&t, 0x100, EN);
	x2apic(&t, 0xffffffff, EN);
	list(&t, 0, true, 8, &l);
	ids_are(&l, (const uint64_t[]){0, 0x100}, 2);
	assert_int_equal(l.unreachable, 1);
}

static void capped_with_a_message(void **state)
{
	struct table t;
	struct madt_cpu_list l;

	start(&t);
	for (uint8_t i = 0; i < 12; i++)
		lapic(&t, i, EN);
	list(&t, 0, false, 8, &l);
	ids_are(&l, (const uint64_t[]){0, 1, 2, 3, 4, 5, 6, 7}, 8);
	assert_int_equal(l.over_cap, 4);
	assert_non_null(strstr(said, "4 more CPUs left off: Paddock runs on "
				     "8 (CFG_MAX_CPUS)"));
	/* The boot CPU is kept even when the table lists it past the cap. */
	start(&t);
	for (uint8_t i = 0; i < 12; i++)
		lapic(&t, i, EN);
	list(&t, 11, false, 4, &l);
	ids_are(&l, (const uint64_t[]){11, 0, 1, 2}, 4);
	assert_int_equal(l.over_cap, 8);
}

static void boot_cpu_missing_from_the_table(void **state)
{
	struct table t;
	struct madt_cpu_list l;

	start(&t);
	lapic(&t, 1, EN);
	list(&t, 0, false, 8, &l);
	ids_are(&l, (const uint64_t[]){0, 1}, 2);
	assert_non_null(strstr(said, "boot CPU's APIC id 0 is not listed"));
}

/* An entry running past the table's length, or with a length too short
 * for its type, or a zero length, is never read. */
static void malformed_entries_are_not_read(void **state)
{
	struct table t;
	struct madt_cpu_list l;

	start(&t);
	lapic(&t, 0, EN);
	lapic(&t, 1, EN);
	x2apic(&t, 2, EN);
	/* The table's length ends inside the x2APIC entry. */
	put32(t.b + 4, (uint32_t)(t.len - 1));
	madt_cpus(t.b, t.len - 1, 0, true, 8, &l, record);
	ids_are(&l, (const uint64_t[]){0, 1}, 2);

	start(&t);
	lapic(&t, 0, EN);
	t.b[t.len] = MADT_TYPE_LAPIC; /* length 6: too short for type 0 */
	t.b[t.len + 1] = 6;
	t.b[t.len + 3] = 7;
	t.b[t.len + 4] = EN;
	t.len += 6;
	lapic(&t, 3, EN);
	list(&t, 0, false, 8, &l);
	ids_are(&l, (const uint64_t[]){0, 3}, 2);

	start(&t);
	lapic(&t, 0, EN);
	t.b[t.len] = MADT_TYPE_LAPIC; /* length 0: the walk stops */
	t.len += 8;
	lapic(&t, 5, EN);
	list(&t, 0, false, 8, &l);
	ids_are(&l, (const uint64_t[]){0}, 1);

	/* A table shorter than its header: only the boot CPU. */
	start(&t);
	madt_cpus(t.b, 20, 3, false, 8, &l, record);
	ids_are(&l, (const uint64_t[]){3}, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(qemu_four_cpus),
		cmocka_unit_test(boot_cpu_comes_first),
		cmocka_unit_test(disabled_are_left_off_online_capable_kept),
		cmocka_unit_test(x2apic_entries_are_cpus),
		cmocka_unit_test(duplicates_are_ignored),
		cmocka_unit_test(xapic_mode_cannot_reach_big_ids),
		cmocka_unit_test(capped_with_a_message),
		cmocka_unit_test(boot_cpu_missing_from_the_table),
		cmocka_unit_test(malformed_entries_are_not_read),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	printf("%d passed, %d failed\n",
	       (int)(sizeof(tests) / sizeof(tests[0])) - failed, failed);
	return failed != 0;
}
