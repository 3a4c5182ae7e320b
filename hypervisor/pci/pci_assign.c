/* SPDX-License-Identifier: MIT */
/*
 * Configuring a PCI hierarchy the firmware left unconfigured (QEMU's Arm
 * virt machine booted with -kernel): bus numbers, memory BARs, bridge
 * windows, bridges' decoding.  See paddock/pci.h and docs/pci.md.
 *
 * One depth-first walk.  Buses are numbered in the order the walk meets
 * the bridges (PCI-to-PCI Bridge Architecture 1.2, 3.2.5.2-3.2.5.4).
 * Addresses come from two bump allocators, one per host window: each BAR
 * at the next naturally aligned address (PCI Local Bus 3.0, 6.2.5.1), and
 * each bridge's window starts and ends on a 1 MiB boundary (its
 * granularity, PCI-to-PCI Bridge 1.2, 3.2.5.8-3.2.5.9) around what the
 * walk placed below it, so windows nest and never overlap.  Simple rather
 * than dense: alignment leaves gaps, fine in windows of hundreds of MiB.
 */
#include <paddock/fmt.h>
#include <paddock/hypercall.h>
#include <paddock/pci.h>

/* PCI Local Bus 3.0, 6.1, and PCI-to-PCI Bridge 1.2, 3.2: offsets. */
#define CFG_VENDOR	  0x00
#define CFG_CLASS_REV	  0x08
#define CFG_HEADER_TYPE	  0x0c /* byte 2 of the dword */
#define CFG_BAR0	  0x10
#define CFG_BUS_NUMBERS	  0x18 /* primary, secondary, subordinate, latency */
#define CFG_IO_BASE_LIMIT 0x1c /* high half: Secondary Status (RW1C) */
#define CFG_MEM_WINDOW	  0x20 /* base, limit: address bits 31:20 */
#define CFG_PREF_WINDOW	  0x24 /* base, limit; bits 3:0 = 1: 64-bit */
#define CFG_PREF_BASE_HI  0x28
#define CFG_PREF_LIMIT_HI 0x2c
#define CFG_IO_UPPER	  0x30

#define HEADER_ENDPOINT 0
#define HEADER_BRIDGE	1
#define BARS_ENDPOINT	6
#define BARS_BRIDGE	2
#define BAR_IO		0x1u
#define BAR_TYPE_MASK	0x6u
#define BAR_TYPE_64	0x4u
#define BAR_PREFETCH	0x8u
#define PREF_64		0x1u
#define WINDOW_GRANULE	(1ull << 20)
#define WINDOW_CLOSED	0x0000fff0u /* base 0xfff00000 > limit 0xfffff */
#define IO_CLOSED	0x00f0u	    /* I/O base 0xf000 > limit 0x0fff */
#define COMMAND_IO	0x0001
#define FOUR_GIB	(1ull << 32)

#define BDF_FMT	      "%02x:%02x.%x"
#define BDF_ARGS(bdf) (bdf) >> 8, ((bdf) >> 3) & 31, (bdf)&7

/* Bus addresses [next, end) of one host window are still free. */
struct pool {
	const struct pci_mem_window *w;
	const char *name;
	uint64_t next, end;
};

struct assign {
	const struct pci_ecam *ecam;
	struct pool mem;  /* mmio32: every BAR but 64-bit prefetchable ones */
	struct pool pref; /* mmio64: 64-bit prefetchable BARs */
	bool have_pref;
	unsigned last_bus; /* the highest bus number given so far */
	int disabled;	   /* functions and bridges left disabled */
};

/* One memory BAR as sizing found it. */
struct bar {
	unsigned reg; /* its offset in the header */
	uint64_t size;
	bool is64, prefetch;
};

static uint64_t align_up(uint64_t v, uint64_t align, bool *overflow)
{
	uint64_t rem = v & (align - 1);

	if (rem && v > UINT64_MAX - (align - rem))
		*overflow = true;
	return rem ? v + (align - rem) : v;
}

/* The free part of w, trimmed inward to the bridge windows' 1 MiB. */
static void pool_init(struct pool *p, const struct pci_mem_window *w,
		      const char *name)
{
	bool overflow = false;

	p->w = w;
	p->name = name;
	p->next = align_up(w->pci, WINDOW_GRANULE, &overflow);
	p->end = (w->pci + w->size) & ~(WINDOW_GRANULE - 1);
	if (overflow || p->next > p->end)
		p->next = p->end;
}

/*
 * Takes size bytes (a power of two) at the next address aligned to size:
 * a BAR decodes the address bits above its size, so it must be naturally
 * aligned (PCI Local Bus 3.0, 6.2.5.1).  Never wraps: false when it does
 * not fit before the window's end.
 */
static bool pool_take(struct pool *p, uint64_t size, uint64_t *at)
{
	bool overflow = false;
	uint64_t start = align_up(p->next, size, &overflow);

	if (overflow || start > p->end || size > p->end - start)
		return false;
	*at = start;
	p->next = start + size;
	return true;
}

/* Moves to the next 1 MiB boundary (the end is one: pool_init). */
static void pool_align(struct pool *p)
{
	bool overflow = false;
	uint64_t next = align_up(p->next, WINDOW_GRANULE, &overflow);

	p->next = overflow || next > p->end ? p->end : next;
}

static uint64_t size_number(uint64_t size)
{
	if (size >= (1ull << 30) && !(size & ((1ull << 30) - 1)))
		return size >> 30;
	if (size >= (1ull << 20) && !(size & ((1ull << 20) - 1)))
		return size >> 20;
	if (size >= (1ull << 10) && !(size & ((1ull << 10) - 1)))
		return size >> 10;
	return size;
}

static const char *size_unit(uint64_t size)
{
	if (size >= (1ull << 30) && !(size & ((1ull << 30) - 1)))
		return "GiB";
	if (size >= (1ull << 20) && !(size & ((1ull << 20) - 1)))
		return "MiB";
	if (size >= (1ull << 10) && !(size & ((1ull << 10) - 1)))
		return "KiB";
	return "bytes";
}

static bool function_present(uint32_t bdf)
{
	return (pci_read32(bdf, CFG_VENDOR) & 0xffff) != 0xffff;
}

/* Bits 6:0 of the Header Type; bit 7 says multi-function. */
static unsigned header_type(uint32_t bdf)
{
	return (pci_read32(bdf, CFG_HEADER_TYPE) >> 16) & 0x7f;
}

static unsigned functions_of(unsigned bus, unsigned dev)
{
	uint32_t bdf = PCI_BDF(bus, dev, 0);

	if (!function_present(bdf))
		return 0;
	return pci_read32(bdf, CFG_HEADER_TYPE) & (0x80u << 16) ? 8 : 1;
}

/*
 * Sizes the BAR at reg (PCI Local Bus 3.0, 6.2.5.1): all ones written,
 * the read-back has zeros in the size's bits; a 64-bit BAR's upper half
 * is sized the same way.  Leaves it 0.  False for an I/O BAR, an
 * unimplemented one (reads back 0) and the reserved type 01.
 */
static bool bar_size(uint32_t bdf, unsigned reg, unsigned last_reg,
		     struct bar *b)
{
	uint32_t lo = pci_read32(bdf, reg), mask_lo, mask_hi = 0xffffffffu;
	uint64_t mask;

	b->reg = reg;
	b->is64 = false;
	if (lo & BAR_IO)
		return false; /* bit 2 is an address bit here, not a type */
	b->is64 = (lo & BAR_TYPE_MASK) == BAR_TYPE_64 && reg < last_reg;
	b->prefetch = lo & BAR_PREFETCH;
	if ((lo & BAR_TYPE_MASK) == 0x2)
		return false;
	pci_write32(bdf, reg, 0xffffffffu);
	mask_lo = pci_read32(bdf, reg) & ~0xfu;
	pci_write32(bdf, reg, 0);
	if (b->is64) {
		pci_write32(bdf, reg + 4, 0xffffffffu);
		mask_hi = pci_read32(bdf, reg + 4);
		pci_write32(bdf, reg + 4, 0);
	}
	mask = ((uint64_t)mask_hi << 32) | mask_lo;
	if (!mask_lo && (!b->is64 || !mask_hi))
		return false;
	b->size = ~mask + 1;
	return true;
}

/* The window a BAR goes to: 64-bit prefetchable ones to mmio64. */
static struct pool *bar_pool(struct assign *a, const struct bar *b,
			     bool pref_ok)
{
	return b->is64 && b->prefetch && pref_ok && a->have_pref ? &a->pref
								 : &a->mem;
}

static void print_placed(const struct pool *p, uint32_t bdf,
			 const struct bar *b, uint64_t at)
{
	uint64_t cpu = p->w->cpu + (at - p->w->pci);
	char where[32] = "";

	if (cpu != at)
		pd_snprintf(where, sizeof(where), " = CPU %llx",
			    (unsigned long long)cpu);
	hv_printf("pci: " BDF_FMT " BAR%u %llx-%llx%s (%llu %s, %s%s)\n",
		  BDF_ARGS(bdf), (b->reg - CFG_BAR0) / 4,
		  (unsigned long long)at,
		  (unsigned long long)(at + b->size - 1), where,
		  (unsigned long long)size_number(b->size), size_unit(b->size),
		  b->is64 ? "64-bit" : "32-bit",
		  b->prefetch ? " prefetchable" : "");
}

/* Sizes and places one BAR; false when it did not fit. */
static bool place_bar(struct assign *a, uint32_t bdf, struct bar *b,
		      bool pref_ok)
{
	struct pool *p = bar_pool(a, b, pref_ok);
	uint64_t at;

	if (b->size & (b->size - 1) || !pool_take(p, b->size, &at) ||
	    (!b->is64 && at + b->size > FOUR_GIB)) {
		hv_printf("pci: " BDF_FMT " BAR%u (%llu %s) does not fit the "
			  "%s window %llx-%llx\n",
			  BDF_ARGS(bdf), (b->reg - CFG_BAR0) / 4,
			  (unsigned long long)size_number(b->size),
			  size_unit(b->size), p->name,
			  (unsigned long long)p->w->pci,
			  (unsigned long long)(p->w->pci + p->w->size - 1));
		return false;
	}
	pci_write32(bdf, b->reg, (uint32_t)at);
	if (b->is64)
		pci_write32(bdf, b->reg + 4, (uint32_t)(at >> 32));
	print_placed(p, bdf, b, at);
	return true;
}

/* Every memory BAR of the function; false if one did not fit. */
static bool assign_bars(struct assign *a, uint32_t bdf, unsigned nbars,
			bool pref_ok)
{
	unsigned last_reg = CFG_BAR0 + 4 * (nbars - 1);
	bool all = true;

	for (unsigned reg = CFG_BAR0; reg <= last_reg; reg += 4) {
		struct bar b;

		if (bar_size(bdf, reg, last_reg, &b) &&
		    !place_bar(a, bdf, &b, pref_ok))
			all = false;
		if (b.is64)
			reg += 4;
	}
	return all;
}

/*
 * Primary, secondary and subordinate bus numbers in one write, keeping
 * the Secondary Latency Timer (PCI-to-PCI Bridge 1.2, 3.2.5.2-3.2.5.5).
 */
static void set_bus_numbers(uint32_t bdf, unsigned primary, unsigned secondary,
			    unsigned subordinate)
{
	uint32_t latency = pci_read32(bdf, CFG_BUS_NUMBERS) & 0xff000000u;

	pci_write32(bdf, CFG_BUS_NUMBERS,
		    latency | subordinate << 16 | secondary << 8 | primary);
}

/*
 * A bridge's memory window [base, end) in the registers' 1 MiB units, or
 * closed (base above limit) when empty (PCI-to-PCI Bridge 1.2, 3.2.5.8).
 */
static void set_mem_window(uint32_t bdf, uint64_t base, uint64_t end)
{
	uint32_t v = WINDOW_CLOSED;

	if (end > base)
		v = (uint32_t)((base >> 16) & 0xfff0) |
		    (uint32_t)(((end - 1) >> 16) & 0xfff0) << 16;
	pci_write32(bdf, CFG_MEM_WINDOW, v);
}

/* The prefetchable window, upper 32 bits too (3.2.5.9-3.2.5.10). */
static void set_pref_window(uint32_t bdf, uint64_t base, uint64_t end)
{
	uint32_t base_hi = 0, limit_hi = 0, v = WINDOW_CLOSED;

	if (end > base) {
		v = (uint32_t)((base >> 16) & 0xfff0) |
		    (uint32_t)(((end - 1) >> 16) & 0xfff0) << 16;
		base_hi = (uint32_t)(base >> 32);
		limit_hi = (uint32_t)((end - 1) >> 32);
	}
	pci_write32(bdf, CFG_PREF_WINDOW, v);
	pci_write32(bdf, CFG_PREF_BASE_HI, base_hi);
	pci_write32(bdf, CFG_PREF_LIMIT_HI, limit_hi);
}

/*
 * Whether the bridge has a 64-bit prefetchable window: the low bits of
 * the base read 1 (PCI-to-PCI Bridge 1.2, 3.2.5.9; the window is
 * optional, its registers then read 0).
 */
static bool bridge_pref64(uint32_t bdf)
{
	return (pci_read32(bdf, CFG_PREF_WINDOW) & 0xf) == PREF_64;
}

/* I/O BARs stay disabled, so nothing below needs an I/O window. */
static void close_windows(uint32_t bdf)
{
	pci_write32(bdf, CFG_IO_BASE_LIMIT, IO_CLOSED);
	pci_write32(bdf, CFG_IO_UPPER, 0);
	set_mem_window(bdf, 0, 0);
	set_pref_window(bdf, 0, 0);
}

static void assign_bus(struct assign *a, unsigned bus, bool pref_ok);

/*
 * The bridge's next bus number, or false (the bridge left forwarding
 * nothing) when the ECAM window has no bus left: the numbers must stay
 * inside it, or configuration space below could not be reached.
 */
static bool take_bus(struct assign *a, uint32_t bdf, unsigned *secondary)
{
	if (a->last_bus >= a->ecam->end_bus) {
		hv_printf("pci: " BDF_FMT " bridge: no bus number left (the "
			  "ECAM window has buses %02x-%02x); left disabled\n",
			  BDF_ARGS(bdf), a->ecam->start_bus, a->ecam->end_bus);
		return false;
	}
	*secondary = ++a->last_bus;
	return true;
}

static void window_text(char *buf, size_t size, uint64_t base, uint64_t end)
{
	if (end > base)
		pd_snprintf(buf, size, "%llx-%llx", (unsigned long long)base,
			    (unsigned long long)(end - 1));
	else
		pd_snprintf(buf, size, "closed");
}

/*
 * Windows around what the walk placed below the bridge: both pools are
 * at a 1 MiB boundary before and after it.  Prefetchable: only where the
 * whole path down has 64-bit prefetchable windows (pref_ok).
 */
static void bridge_windows(struct assign *a, uint32_t bdf, uint64_t mem_base,
			   uint64_t pref_base, bool pref_ok)
{
	char mem[40], pref[40];

	pool_align(&a->mem);
	set_mem_window(bdf, mem_base, a->mem.next);
	if (pref_ok) {
		pool_align(&a->pref);
		set_pref_window(bdf, pref_base, a->pref.next);
	}
	window_text(mem, sizeof(mem), mem_base, a->mem.next);
	window_text(pref, sizeof(pref), pref_base, pref_ok ? a->pref.next : 0);
	hv_printf("pci: " BDF_FMT " bridge: mem %s, prefetchable %s\n",
		  BDF_ARGS(bdf), mem, pref);
}

/*
 * A PCI-to-PCI bridge on bus: its own BARs, bus numbers (subordinate
 * 0xff while the walk is below it, so that configuration cycles for any
 * bus number reach there, then the last bus found: 3.2.5.4), what is below
 * it, its windows, then Memory Space so that it forwards and Bus Master
 * so that it forwards DMA upstream (PCI-to-PCI Bridge 1.2, 3.2.2.3.1).
 */
static void assign_bridge(struct assign *a, uint32_t bdf, unsigned bus,
			  bool pref_ok)
{
	bool own_ok = assign_bars(a, bdf, BARS_BRIDGE, pref_ok);
	unsigned secondary;
	uint64_t mem_base, pref_base;

	close_windows(bdf);
	if (!take_bus(a, bdf, &secondary)) {
		a->disabled++;
		return;
	}
	set_bus_numbers(bdf, bus, secondary, 0xff);
	pref_ok = pref_ok && a->have_pref && bridge_pref64(bdf);
	pool_align(&a->mem);
	mem_base = a->mem.next;
	pref_base = 0;
	if (pref_ok) {
		pool_align(&a->pref);
		pref_base = a->pref.next;
	}
	assign_bus(a, secondary, pref_ok);
	set_bus_numbers(bdf, bus, secondary, a->last_bus);
	hv_printf("pci: " BDF_FMT " bridge: buses %02x-%02x\n", BDF_ARGS(bdf),
		  secondary, a->last_bus);
	bridge_windows(a, bdf, mem_base, pref_base, pref_ok);
	if (!own_ok) {
		hv_printf("pci: " BDF_FMT " left disabled\n", BDF_ARGS(bdf));
		a->disabled++;
		return;
	}
	pci_command_update(bdf, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 0);
}

/* An endpoint: decodes its BARs if all fit; never masters here. */
static void assign_endpoint(struct assign *a, uint32_t bdf, bool pref_ok)
{
	if (!assign_bars(a, bdf, BARS_ENDPOINT, pref_ok)) {
		hv_printf("pci: " BDF_FMT " left disabled\n", BDF_ARGS(bdf));
		a->disabled++;
		return;
	}
	pci_command_update(bdf, PCI_COMMAND_MEMORY, 0);
}

static void assign_function(struct assign *a, uint32_t bdf, unsigned bus,
			    bool pref_ok)
{
	unsigned type = header_type(bdf);

	/* Nothing decodes or masters while its registers change. */
	pci_command_update(
		bdf, 0, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | COMMAND_IO);
	if (type == HEADER_BRIDGE)
		assign_bridge(a, bdf, bus, pref_ok);
	else if (type == HEADER_ENDPOINT)
		assign_endpoint(a, bdf, pref_ok);
	else
		hv_printf("pci: " BDF_FMT " header type %u: left disabled\n",
			  BDF_ARGS(bdf), type);
}

/*
 * Every function of bus.  First every bridge on it forwards no bus:
 * stale numbers on a later sibling must not claim the buses given to an
 * earlier one (3.2.5.3: a bridge claims [secondary, subordinate]).
 */
static void assign_bus(struct assign *a, unsigned bus, bool pref_ok)
{
	for (unsigned dev = 0; dev < 32; dev++) {
		for (unsigned fn = 0; fn < functions_of(bus, dev); fn++) {
			uint32_t bdf = PCI_BDF(bus, dev, fn);

			if (function_present(bdf) &&
			    header_type(bdf) == HEADER_BRIDGE)
				set_bus_numbers(bdf, 0, 0, 0);
		}
	}
	for (unsigned dev = 0; dev < 32; dev++) {
		for (unsigned fn = 0; fn < functions_of(bus, dev); fn++) {
			uint32_t bdf = PCI_BDF(bus, dev, fn);

			if (function_present(bdf))
				assign_function(a, bdf, bus, pref_ok);
		}
	}
}

/* A window the walk can use: not empty, not wrapping, 32-bit below 4 GiB. */
static bool window_usable(const struct pci_mem_window *w, bool below_4g)
{
	if (!w->size || w->pci > UINT64_MAX - w->size ||
	    w->cpu > UINT64_MAX - w->size)
		return false;
	return !below_4g || w->pci + w->size <= FOUR_GIB;
}

int pci_assign(const struct pci_ecam *ecam, const struct pci_mem_window *mmio32,
	       const struct pci_mem_window *mmio64)
{
	struct pci_mem_window windows[PCI_MAX_MEM_WINDOWS];
	struct assign a = {.ecam = ecam, .last_bus = ecam->start_bus};
	unsigned n = 0;

	if (!mmio32 || !window_usable(mmio32, true) ||
	    (mmio64 && !window_usable(mmio64, false)) || ecam->segment ||
	    ecam->end_bus < ecam->start_bus) {
		hv_printf("pci: assign: needs a segment-0 ECAM window and a "
			  "32-bit memory window below 4 GiB\n");
		return -1;
	}
	windows[n++] = *mmio32;
	pool_init(&a.mem, mmio32, "32-bit");
	if (mmio64) {
		windows[n++] = *mmio64;
		pool_init(&a.pref, mmio64, "64-bit");
		a.have_pref = true;
	}
	pci_use_ecam(ecam, 1);
	pci_set_mem_windows(windows, n);
	assign_bus(&a, ecam->start_bus, true);
	hv_printf("pci: assigned buses %02x-%02x, %d left disabled\n",
		  ecam->start_bus, a.last_bus, a.disabled);
	return a.disabled;
}

/* Whether the function on bus decodes anything (firmware enabled it). */
static bool decodes(uint32_t bdf)
{
	return pci_command(bdf) & (PCI_COMMAND_MEMORY | COMMAND_IO);
}

bool pci_needs_assign(const struct pci_ecam *ecam)
{
	unsigned bus = ecam->start_bus;
	bool bridge = false, enabled = false;

	pci_use_ecam(ecam, 1);
	for (unsigned dev = 0; dev < 32; dev++) {
		for (unsigned fn = 0; fn < functions_of(bus, dev); fn++) {
			uint32_t bdf = PCI_BDF(bus, dev, fn);

			if (!function_present(bdf))
				continue;
			if (header_type(bdf) == HEADER_BRIDGE) {
				bridge = true;
				if (!pci_secondary_bus(bdf))
					return true;
			}
			enabled = enabled || decodes(bdf);
		}
	}
	return !bridge && !enabled;
}
