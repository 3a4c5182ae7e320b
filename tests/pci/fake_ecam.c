/* SPDX-License-Identifier: MIT */
/* The configuration space model: see fake_ecam.h. */
#include <string.h>

#include "fake_ecam.h"

static struct fake_fn fns[FAKE_MAX_FN];
static unsigned nfns;
static uint64_t ecam_base;
static unsigned first_bus;
static unsigned conflicts;

void fake_ecam_reset(uint64_t base, unsigned start_bus)
{
	memset(fns, 0, sizeof(fns));
	nfns = 0;
	ecam_base = base;
	first_bus = start_bus;
	conflicts = 0;
}

struct fake_fn *fake_get(int idx)
{
	return &fns[idx];
}

unsigned fake_count(void)
{
	return nfns;
}

unsigned fake_conflicts(void)
{
	return conflicts;
}

void fake_bar(int idx, unsigned bar, uint64_t size, uint32_t flags)
{
	struct fake_fn *f = &fns[idx];

	f->bar_size[bar] = size;
	f->bar_flags[bar] = flags;
	f->cfg[(0x10 + 4 * bar) / 4] = flags;
	if ((flags & 0x7) == 0x4)
		f->bar_upper[bar + 1] = true;
}

/* PCI Express capability at 0x40 of the given Device/Port Type. */
static void pcie_cap(struct fake_fn *f, unsigned type)
{
	f->cfg[0x04 / 4] = 1u << 20; /* Status: capabilities list */
	f->cfg[0x34 / 4] = 0x40;
	f->cfg[0x40 / 4] = 0x10 | 2u << 16 | type << 20;
}

static void bridge(int idx, uint32_t id, unsigned type, bool open_windows)
{
	struct fake_fn *f = &fns[idx];

	f->bridge = f->has_pref = f->pref64 = true;
	f->cfg[0] = id;
	f->cfg[0x08 / 4] = 0x06040000;
	f->cfg[0x0c / 4] = 1u << 16;
	pcie_cap(f, type);
	/* QEMU's reset values: the root port's windows closed, the
	 * PCIe-to-PCI bridge's open over [0, 1 MiB). */
	f->cfg[0x1c / 4] = open_windows ? 0 : 0xf0;
	f->cfg[0x20 / 4] = open_windows ? 0 : 0xfff0;
	f->cfg[0x24 / 4] = (open_windows ? 0 : 0xfff0) | 0x00010001;
}

int fake_add(int parent, unsigned dev, unsigned fn, enum fake_kind kind)
{
	int idx = (int)nfns++;
	struct fake_fn *f = &fns[idx];

	f->parent = parent;
	f->devfn = dev << 3 | fn;
	switch (kind) {
	case FAKE_HOST_BRIDGE:
		f->cfg[0] = 0x00081b36;
		f->cfg[0x08 / 4] = 0x06000000;
		break;
	case FAKE_ROOT_PORT:
		bridge(idx, 0x000c1b36, 0x4, false);
		fake_bar(idx, 0, 0x1000, 0);
		break;
	case FAKE_PCIE_PCI_BRIDGE:
		bridge(idx, 0x000e1b36, 0x7, true);
		fake_bar(idx, 0, 0x100, 0x4);
		break;
	case FAKE_EDU:
		f->cfg[0] = 0x11e81234;
		f->cfg[0x08 / 4] = 0x00ff0010;
		fake_bar(idx, 0, 1u << 20, 0);
		break;
	case FAKE_PLAIN:
		f->cfg[0] = 0xbeef1af4;
		f->cfg[0x08 / 4] = 0x02000000;
		break;
	}
	return idx;
}

void fake_qemu_topology(struct fake_qemu *q)
{
	q->host = fake_add(FAKE_ROOT, 0, 0, FAKE_HOST_BRIDGE);
	q->rp1 = fake_add(FAKE_ROOT, 1, 0, FAKE_ROOT_PORT);
	q->edu1 = fake_add(q->rp1, 0, 0, FAKE_EDU);
	q->pbr = fake_add(FAKE_ROOT, 2, 0, FAKE_PCIE_PCI_BRIDGE);
	q->edu2a = fake_add(q->pbr, 1, 0, FAKE_EDU);
	q->edu2b = fake_add(q->pbr, 2, 0, FAKE_EDU);
	q->rp2 = fake_add(FAKE_ROOT, 3, 0, FAKE_ROOT_PORT);
	q->edu3 = fake_add(q->rp2, 0, 0, FAKE_EDU);
}

static unsigned secondary(const struct fake_fn *f)
{
	return (f->cfg[0x18 / 4] >> 8) & 0xff;
}

static unsigned subordinate(const struct fake_fn *f)
{
	return (f->cfg[0x18 / 4] >> 16) & 0xff;
}

/*
 * The function at (bus, devfn), looked for below parent, whose bus is
 * bus_here: type 0 there, else through the one bridge that claims bus.
 */
static struct fake_fn *route(int parent, unsigned bus_here, unsigned bus,
			     unsigned devfn)
{
	struct fake_fn *found = NULL;
	int via = -1;

	for (unsigned i = 0; i < nfns; i++) {
		struct fake_fn *f = &fns[i];

		if (f->parent != parent)
			continue;
		if (bus == bus_here && f->devfn == devfn)
			return f;
		if (bus != bus_here && f->bridge && secondary(f) > bus_here &&
		    bus >= secondary(f) && bus <= subordinate(f)) {
			if (via >= 0)
				conflicts++;
			via = (int)i;
		}
	}
	if (via >= 0)
		found = route(via, secondary(&fns[via]), bus, devfn);
	return found;
}

static struct fake_fn *decode(uint64_t pa, unsigned *reg)
{
	uint64_t off = pa - ecam_base;

	*reg = off & 0xffc;
	return route(FAKE_ROOT, first_bus, first_bus + (unsigned)(off >> 20),
		     (off >> 12) & 0xff);
}

uint32_t fake_ecam_read(uint64_t pa)
{
	unsigned reg;
	struct fake_fn *f = decode(pa, &reg);

	return f ? f->cfg[reg / 4] : 0xffffffffu;
}

/* A BAR register written with v: what the hardware keeps. */
static uint32_t bar_write(const struct fake_fn *f, unsigned bar, uint32_t v)
{
	uint64_t size;

	if (f->bar_upper[bar])
		return v & (uint32_t)(~(f->bar_size[bar - 1] - 1) >> 32);
	size = f->bar_size[bar];
	if (!size)
		return 0;
	if (f->bar_flags[bar] & 1)
		return (v & (uint32_t) ~(size - 1) & ~0x3u) | 1;
	return (v & (uint32_t) ~(size - 1) & ~0xfu) | f->bar_flags[bar];
}

static bool is_bar(const struct fake_fn *f, unsigned reg)
{
	return reg >= 0x10 && reg < (f->bridge ? 0x18u : 0x28u);
}

/* A bridge's registers (PCI-to-PCI Bridge 1.2, 3.2): what is kept. */
static bool bridge_write(struct fake_fn *f, unsigned reg, uint32_t v)
{
	uint32_t *r = &f->cfg[reg / 4];

	switch (reg) {
	case 0x18:
		*r = v & 0x00ffffff;
		return true;
	case 0x1c:
		*r = v & 0xf0f0; /* 16-bit I/O; Secondary Status reads 0 */
		return true;
	case 0x20:
		*r = v & 0xfff0fff0;
		return true;
	case 0x24:
		*r = f->has_pref ? (v & 0xfff0fff0) | (f->pref64 ? 0x10001 : 0)
				 : 0;
		return true;
	case 0x28:
	case 0x2c:
		*r = f->pref64 ? v : 0;
		return true;
	case 0x30:
		*r = v;
		return true;
	}
	return false;
}

void fake_ecam_write(uint64_t pa, uint32_t v)
{
	unsigned reg;
	struct fake_fn *f = decode(pa, &reg);
	uint32_t *r;

	if (!f)
		return;
	r = &f->cfg[reg / 4];
	if (reg == 0x04)
		*r = (*r & 0xffff0000) | (v & 0x0547);
	else if (is_bar(f, reg))
		*r = bar_write(f, (reg - 0x10) / 4, v);
	else if (f->bridge && bridge_write(f, reg, v))
		return;
	else if (reg == 0x3c)
		*r = v;
}

bool fake_bdf(int idx, uint32_t *bdf)
{
	const struct fake_fn *f = &fns[idx];
	unsigned bus = first_bus;

	if (f->parent != FAKE_ROOT) {
		uint32_t up;

		if (!fake_bdf(f->parent, &up))
			return false;
		bus = secondary(&fns[f->parent]);
		if (!bus)
			return false;
	}
	*bdf = bus << 8 | f->devfn;
	return true;
}

uint64_t fake_bar_addr(int idx, unsigned bar)
{
	const struct fake_fn *f = &fns[idx];
	uint32_t lo = f->cfg[(0x10 + 4 * bar) / 4];
	uint64_t a = lo & ~0xfu;

	if ((f->bar_flags[bar] & 0x7) == 0x4)
		a |= (uint64_t)f->cfg[(0x14 + 4 * bar) / 4] << 32;
	return a;
}
