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
 * One "DMA TEST PASS|FAIL" line per check, judged by check-log.sh.  edu's
 * registers (QEMU hw/misc/edu.c, shared/notes/qemu-7.2.md): DMA source
 * 0x80, destination 0x88, count 0x90, command 0x98 (bit 0 start/busy,
 * bit 1 device-to-RAM); its buffer is at device address 0x40000.
 */
#include <paddock/hypercall.h>
#include <paddock/pasid.h>
#include <asm/console.h>
#include <asm/dmatest.h>
#include <asm/domain.h>
#include <asm/paging.h>
#include <asm/pci.h>
#include <paddock/hypercall.h>
#include <asm/string.h>
#include <asm/testop.h>
#include <asm/x86.h>

#define EDU_ID		       0x11e81234u
#define EDU_DMA_SRC	       0x80
#define EDU_DMA_DST	       0x88
#define EDU_DMA_COUNT	       0x90
#define EDU_DMA_CMD	       0x98
#define EDU_CMD_START	       1u
#define EDU_CMD_TO_RAM	       2u
#define EDU_BUFFER	       0x40000u
#define PCI_COMMAND_MEM_MASTER 0x6u /* memory space, bus master */
#define PATTERN_BYTES	       64
#define DMA_WAIT_TSC	       8000000000ull /* a few seconds of TSC */

static volatile uint64_t *edu_regs(uint32_t bdf)
{
	uint32_t bar0 = pci_read32(bdf, 0x10) & ~0xfu;

	pci_write32(bdf, 0x04, pci_read32(bdf, 0x04) | PCI_COMMAND_MEM_MASTER);
	return phys_to_virt(bar0);
}

/* Starts one edu copy and waits for it; false on a timeout. */
static bool edu_copy(volatile uint64_t *regs, uint64_t src, uint64_t dst,
		     uint64_t count, bool to_ram)
{
	uint64_t t0 = rdtsc();

	regs[EDU_DMA_SRC / 8] = src;
	regs[EDU_DMA_DST / 8] = dst;
	regs[EDU_DMA_COUNT / 8] = count;
	regs[EDU_DMA_CMD / 8] = EDU_CMD_START | (to_ram ? EDU_CMD_TO_RAM : 0);
	while (regs[EDU_DMA_CMD / 8] & EDU_CMD_START) {
		if (rdtsc() - t0 > DMA_WAIT_TSC)
			return false;
		cpu_relax();
	}
	return true;
}

static unsigned passed, failed;

static void verdict(const struct arch_domain *ad, const char *what, bool ok)
{
	console_printf("DMA TEST %s %s: %s\n", ok ? "PASS" : "FAIL",
		       ad->d->name, what);
	if (ok)
		passed++;
	else
		failed++;
}

/* Reads or writes the domain's memory through its own tables. */
static void guest_bytes(struct arch_domain *ad, uint64_t gva, void *buf,
			size_t n, bool write)
{
	uint64_t old = read_cr3();

	write_cr3(ad->cr3);
	user_access_begin();
	if (write)
		memcpy((void *)gva, buf, n);
	else
		memcpy(buf, (const void *)gva, n);
	user_access_end();
	write_cr3(old);
}

static void copy_through_domain(struct arch_domain *ad, uint32_t bdf,
				volatile uint64_t *regs)
{
	uint8_t pattern[PATTERN_BYTES], back[PATTERN_BYTES];
	uint64_t src = ad->mem_base + ad->mem_bytes / 2;
	uint64_t dst = src + PAGE_SIZE;
	bool done;

	for (unsigned i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(0xa5 ^ (i * 7) ^ ad->d->id);
	guest_bytes(ad, src, pattern, sizeof(pattern), true);
	done = edu_copy(regs, src, EDU_BUFFER, sizeof(pattern), false) &&
	       edu_copy(regs, EDU_BUFFER, dst, sizeof(pattern), true);
	guest_bytes(ad, dst, back, sizeof(back), false);
	verdict(ad, "DMA into its own memory arrives",
		done && !memcmp(pattern, back, sizeof(back)));
}

static void copy_outside_window(struct arch_domain *ad, uint32_t bdf,
				volatile uint64_t *regs)
{
	struct domain *d = ad->d;
	unsigned before = d->fault_count;
	uint64_t outside = ad->mem_base + ad->mem_bytes + PAGE_SIZE;

	edu_copy(regs, EDU_BUFFER, outside, PATTERN_BYTES, true);
	iommu_poll_faults();
	verdict(ad, "DMA outside its window faults, routed to it",
		d->fault_count > before);
}

static void copy_into_other_domain(struct arch_domain *ad,
				   struct arch_domain *other,
				   volatile uint64_t *regs)
{
	uint8_t before[PATTERN_BYTES], after[PATTERN_BYTES];
	unsigned faults = ad->d->fault_count;

	guest_bytes(other, other->mem_base, before, sizeof(before), false);
	edu_copy(regs, EDU_BUFFER, other->mem_phys, PATTERN_BYTES, true);
	iommu_poll_faults();
	guest_bytes(other, other->mem_base, after, sizeof(after), false);
	verdict(ad, "DMA at another domain's memory faults, memory unchanged",
		ad->d->fault_count > faults &&
			!memcmp(before, after, sizeof(after)));
}

/*
 * VT-d 8.4: an RMRR scoped to the device is identity-mapped in the
 * domain's DMA tables (rmrr.c), so a DMA to the RMRR page's physical
 * address lands there; the pages beside it are not mapped and fault.
 * Runs only when a test image injected an RMRR ("paddock.test=rmrr").
 */
static void copy_to_rmrr(struct arch_domain *ad, uint32_t bdf,
			 volatile uint64_t *regs)
{
	uint8_t pattern[PATTERN_BYTES];
	uint64_t page, src = ad->mem_base + ad->mem_bytes / 2 + 2 * PAGE_SIZE;
	uint8_t *in, *below, *above;
	uint8_t below_was[PATTERN_BYTES], above_was[PATTERN_BYTES];
	unsigned faults;
	bool done, ok = true;

	if (!x86_test_rmrr_page(bdf, &page))
		return;
	in = phys_to_virt(page);
	below = phys_to_virt(page - PAGE_SIZE + PAGE_SIZE / 2);
	above = phys_to_virt(page + PAGE_SIZE);
	for (unsigned i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(0x3c ^ (i * 5) ^ ad->d->id);
	memset(in, 0, PAGE_SIZE);
	guest_bytes(ad, src, pattern, sizeof(pattern), true);
	done = edu_copy(regs, src, EDU_BUFFER, sizeof(pattern), false) &&
	       edu_copy(regs, EDU_BUFFER, page + PATTERN_BYTES, sizeof(pattern),
			true);
	for (unsigned i = 0; i < PATTERN_BYTES; i++)
		ok &= in[i] == 0 && in[2 * PATTERN_BYTES + i] == 0;
	console_printf("x86: test: DMA to RMRR page %lx (I/O-virtual = "
		       "physical)\n",
		       page);
	verdict(ad, "DMA to its device's RMRR lands at that physical address",
		done && ok &&
			!memcmp(in + PATTERN_BYTES, pattern, sizeof(pattern)));

	memcpy(below_was, below, sizeof(below_was));
	memcpy(above_was, above, sizeof(above_was));
	faults = ad->d->fault_count;
	edu_copy(regs, EDU_BUFFER, virt_to_phys(below), PATTERN_BYTES, true);
	iommu_poll_faults();
	edu_copy(regs, EDU_BUFFER, virt_to_phys(above), PATTERN_BYTES, true);
	iommu_poll_faults();
	verdict(ad, "DMA to the pages beside its RMRR faults, memory unchanged",
		ad->d->fault_count >= faults + 2 &&
			!memcmp(below, below_was, sizeof(below_was)) &&
			!memcmp(above, above_was, sizeof(above_was)));
}

static void test_domain(struct arch_domain *ad, struct arch_domain *other,
			uint32_t bdf)
{
	struct hv_system *sys = hv_system();
	struct pasid_err err;
	struct pasid_bind_req req = {
		.device = bdf,
		.kind = PASID_ENTRY_SECOND_LEVEL,
		.sl_root = hpa(ad->dma_root),
	};
	volatile uint64_t *regs = edu_regs(bdf);
	uint32_t pasid;

	if (pasid_alloc(sys->pasids, ad->d->id, &pasid, &err) < 0 ||
	    pasid_bind(sys->pasids, ad->d->id, pasid, &req, &err) < 0) {
		verdict(ad, err.text, false);
		return;
	}
	verdict(ad, "PASID bound to its DMA tables",
		iommu_set_rid_pasid(bdf, pasid) == 0);
	copy_through_domain(ad, bdf, regs);
	copy_to_rmrr(ad, bdf, regs);
	copy_outside_window(ad, bdf, regs);
	if (other)
		copy_into_other_domain(ad, other, regs);
	verdict(ad, "PASID unbound and freed",
		pasid_unbind(sys->pasids, ad->d->id, pasid, bdf, &err) == 0 &&
			pasid_free(sys->pasids, ad->d->id, pasid, &err) == 0);
}

void dma_selftest(struct arch_domain *const *domains, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		const struct domain_cfg *cfg = domains[i]->d->cfg;

		for (unsigned k = 0; k < cfg->ndevices; k++) {
			if (pci_read32(cfg->devices[k], 0) == EDU_ID)
				test_domain(domains[i],
					    n > 1 ? domains[(i + 1) % n] : NULL,
					    cfg->devices[k]);
		}
	}
	console_printf("DMA TEST %u passed, %u failed\n", passed, failed);
}
