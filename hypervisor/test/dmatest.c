/* SPDX-License-Identifier: MIT */
/*
 * A boot-time proof that a domain's DMA tables (arch_domain_dma_root) are
 * what a real IOMMU walks: with "paddock.test=dma" on the command line,
 * before the domains start, for each domain that owns a QEMU edu device
 * (1234:11e8):
 *
 *   1. a PASID is allocated for the domain and bound second-level to its
 *      DMA tables; the device's requests without PASID are pointed at it
 *      (VT-d RID_PASID, the only way QEMU 7.2 devices use a PASID entry);
 *   2. the device copies a pattern from one guest address of the domain
 *      to its buffer and back to another guest address, and the pattern
 *      must arrive there, read through the domain's own page tables;
 *   3. a copy to a guest address outside the domain's window must be
 *      refused by the IOMMU and its fault routed to that domain, and so
 *      must a copy aimed at another domain's memory by its host-physical
 *      address, which must stay as it was;
 *   4. the PASID is unbound and freed.
 *
 * One "DMA TEST PASS|FAIL" line per check, judged by judge.sh (the
 * x86-dma suite).  edu's registers (QEMU hw/misc/edu.c): DMA source 0x80,
 * destination 0x88, count 0x90, command 0x98 (bit 0 start/busy, bit 1
 * device-to-RAM); its buffer is at device address 0x40000.
 *
 * The domain's memory is read and written through its own tables
 * (arch_copy_from_guest, arch_copy_to_guest), never by host-physical
 * address, so what the device wrote is proven to be where the domain
 * sees it.
 */
#include <paddock/arch.h>
#include <paddock/hypercall.h>
#include <paddock/iommu_glue.h>
#include <paddock/iommu_layer.h>
#include <paddock/mem.h>
#include <paddock/pasid.h>
#include <paddock/pci.h>
#include <paddock/selftest.h>

#include "bytes.h"

#define EDU_ID	       0x11e81234u
#define EDU_DMA_SRC    0x80
#define EDU_DMA_DST    0x88
#define EDU_DMA_COUNT  0x90
#define EDU_DMA_CMD    0x98
#define EDU_CMD_START  1u
#define EDU_CMD_TO_RAM 2u
#define EDU_BUFFER     0x40000u
#define PATTERN_BYTES  64
#define PAGE_BYTES     4096u

static volatile uint64_t *edu_regs(uint32_t bdf)
{
	uint32_t bar0 = pci_read32(bdf, 0x10) & ~0xfu;

	pci_command_update(bdf, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 0);
	return arch_phys_to_virt(bar0);
}

/* Starts one edu copy and waits for it; false on a timeout. */
static bool edu_copy(volatile uint64_t *regs, uint64_t src, uint64_t dst,
		     uint64_t count, bool to_ram)
{
	uint64_t deadline = arch_poll_deadline();

	regs[EDU_DMA_SRC / 8] = src;
	regs[EDU_DMA_DST / 8] = dst;
	regs[EDU_DMA_COUNT / 8] = count;
	regs[EDU_DMA_CMD / 8] = EDU_CMD_START | (to_ram ? EDU_CMD_TO_RAM : 0);
	while (regs[EDU_DMA_CMD / 8] & EDU_CMD_START) {
		if (arch_poll_expired(deadline))
			return false;
	}
	return true;
}

static unsigned passed, failed;

static void verdict(const struct dma_test_domain *t, const char *what, bool ok)
{
	hv_printf("DMA TEST %s %s: %s\n", ok ? "PASS" : "FAIL", t->d->name,
		  what);
	if (ok)
		passed++;
	else
		failed++;
}

/* Reads or writes the domain's memory through its own tables. */
static bool guest_bytes(const struct dma_test_domain *t, uint64_t addr,
			void *buf, size_t n, bool write)
{
	if (write)
		return arch_copy_to_guest(t->d, gva(addr), buf, n) == 0;
	return arch_copy_from_guest(t->d, buf, gva(addr), n) == 0;
}

static void copy_through_domain(const struct dma_test_domain *t, uint32_t bdf,
				volatile uint64_t *regs)
{
	uint8_t pattern[PATTERN_BYTES], back[PATTERN_BYTES];
	uint64_t src = t->window + t->window_bytes / 2;
	uint64_t dst = src + PAGE_BYTES;
	bool done;

	for (unsigned i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(0xa5 ^ (i * 7) ^ t->d->id);
	done = guest_bytes(t, src, pattern, sizeof(pattern), true) &&
	       edu_copy(regs, src, EDU_BUFFER, sizeof(pattern), false) &&
	       edu_copy(regs, EDU_BUFFER, dst, sizeof(pattern), true) &&
	       guest_bytes(t, dst, back, sizeof(back), false);
	verdict(t, "DMA into its own memory arrives",
		done && bytes_equal(pattern, back, sizeof(back)));
}

static void copy_outside_window(const struct dma_test_domain *t, uint32_t bdf,
				volatile uint64_t *regs)
{
	struct domain *d = t->d;
	unsigned before = d->fault_count;
	uint64_t outside = t->window + t->window_bytes + PAGE_BYTES;

	edu_copy(regs, EDU_BUFFER, outside, PATTERN_BYTES, true);
	iommu_poll_faults();
	verdict(t, "DMA outside its window faults, routed to it",
		d->fault_count > before);
}

static void copy_into_other_domain(const struct dma_test_domain *t,
				   const struct dma_test_domain *other,
				   volatile uint64_t *regs)
{
	uint8_t before[PATTERN_BYTES], after[PATTERN_BYTES];
	unsigned faults = t->d->fault_count;

	bool read = guest_bytes(other, other->window, before, sizeof(before),
				false);

	edu_copy(regs, EDU_BUFFER, other->mem_phys, PATTERN_BYTES, true);
	iommu_poll_faults();
	read = read &&
	       guest_bytes(other, other->window, after, sizeof(after), false);
	verdict(t, "DMA at another domain's memory faults, memory unchanged",
		t->d->fault_count > faults && read &&
			bytes_equal(before, after, sizeof(after)));
}

/*
 * VT-d 8.4: an RMRR scoped to the device is identity-mapped in the
 * domain's DMA tables (the arch's, x86: rmrr.c), so a DMA to the RMRR page's
 * physical address lands there; the pages beside it are not mapped and fault.
 * Runs only when a test image injected an RMRR ("paddock.test=rmrr").
 */
static void copy_to_rmrr(const struct dma_test_domain *t, uint32_t bdf,
			 volatile uint64_t *regs)
{
	uint8_t pattern[PATTERN_BYTES];
	uint64_t page, src = t->window + t->window_bytes / 2 + 2 * PAGE_BYTES;
	uint8_t *in, *below, *above;
	uint8_t below_was[PATTERN_BYTES], above_was[PATTERN_BYTES];
	unsigned faults;
	bool done, ok = true;

	if (!arch_test_rmrr_page(bdf, &page))
		return;
	in = arch_phys_to_virt(page);
	below = arch_phys_to_virt(page - PAGE_BYTES + PAGE_BYTES / 2);
	above = arch_phys_to_virt(page + PAGE_BYTES);
	for (unsigned i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(0x3c ^ (i * 5) ^ t->d->id);
	pd_memset(in, 0, PAGE_BYTES);
	done = guest_bytes(t, src, pattern, sizeof(pattern), true) &&
	       edu_copy(regs, src, EDU_BUFFER, sizeof(pattern), false) &&
	       edu_copy(regs, EDU_BUFFER, page + PATTERN_BYTES, sizeof(pattern),
			true);
	for (unsigned i = 0; i < PATTERN_BYTES; i++)
		ok &= in[i] == 0 && in[2 * PATTERN_BYTES + i] == 0;
	hv_printf("%s: test: DMA to RMRR page %lx (I/O-virtual = physical)\n",
		  arch_log_prefix, page);
	verdict(t, "DMA to its device's RMRR lands at that physical address",
		done && ok &&
			bytes_equal(in + PATTERN_BYTES, pattern,
				    sizeof(pattern)));

	pd_memcpy(below_was, below, sizeof(below_was));
	pd_memcpy(above_was, above, sizeof(above_was));
	faults = t->d->fault_count;
	edu_copy(regs, EDU_BUFFER, arch_virt_to_phys(below), PATTERN_BYTES,
		 true);
	iommu_poll_faults();
	edu_copy(regs, EDU_BUFFER, arch_virt_to_phys(above), PATTERN_BYTES,
		 true);
	iommu_poll_faults();
	verdict(t, "DMA to the pages beside its RMRR faults, memory unchanged",
		t->d->fault_count >= faults + 2 &&
			bytes_equal(below, below_was, sizeof(below_was)) &&
			bytes_equal(above, above_was, sizeof(above_was)));
}

static void test_domain(const struct dma_test_domain *t,
			const struct dma_test_domain *other, uint32_t bdf)
{
	struct hv_system *sys = hv_system();
	struct pasid_err err;
	struct pasid_bind_req req = {
		.device = bdf,
		.kind = PASID_ENTRY_SECOND_LEVEL,
		.sl_root = t->dma_root,
	};
	volatile uint64_t *regs = edu_regs(bdf);
	uint32_t pasid;

	if (pasid_alloc(sys->pasids, t->d->id, &pasid, &err) < 0 ||
	    pasid_bind(sys->pasids, t->d->id, pasid, &req, &err) < 0) {
		verdict(t, err.text, false);
		return;
	}
	verdict(t, "PASID bound to its DMA tables",
		iommu_set_rid_pasid(bdf, pasid) == 0);
	copy_through_domain(t, bdf, regs);
	copy_to_rmrr(t, bdf, regs);
	copy_outside_window(t, bdf, regs);
	if (other)
		copy_into_other_domain(t, other, regs);
	verdict(t, "PASID unbound and freed",
		pasid_unbind(sys->pasids, t->d->id, pasid, bdf, &err) == 0 &&
			pasid_free(sys->pasids, t->d->id, pasid, &err) == 0);
}

void dma_selftest(const struct dma_test_domain *domains, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		const struct domain_cfg *cfg = domains[i].cfg;

		for (unsigned k = 0; k < cfg->ndevices; k++) {
			if (pci_read32(cfg->devices[k], 0) == EDU_ID)
				test_domain(&domains[i],
					    n > 1 ? &domains[(i + 1) % n]
						  : NULL,
					    cfg->devices[k]);
		}
	}
	hv_printf("DMA TEST %u passed, %u failed\n", passed, failed);
}
