/* SPDX-License-Identifier: MIT */
/*
 * The aarch64 side of building a domain (paddock/arch.h): its stage-2
 * tables (each PT_LOAD segment at its permissions), its DMA tables, its
 * devices' registers, its first EL1 state, and the load of its image.
 * The image checks, the start information and the sequence are generic
 * (hypervisor/core/boot/domain_build.c).
 */
#include <paddock/hypercall.h>
#include <paddock/elf.h>
#include <paddock/iommu_glue.h>
#include <paddock/mem.h>
#include <paddock/system.h>
#include <paddock/start_info.h>
#include <asm/domain.h>
#include <asm/mmu.h>
#include <asm/sysreg.h>

/* Software bit (stage-2 descriptors keep 58:55 for software, D8.4.2):
 * the page belongs to a PT_LOAD segment. */
#define S2_CLAIMED (1ull << 55)
#define S2_PERMS   (S2_AP_RW | S2_XN)

/* D13.2.151 VTCR_EL2: T0SZ 25 (39-bit IPA), SL0 1 (start at level 1),
 * IRGN0/ORGN0 write-back, SH0 inner, TG0 4 KiB, PS from PARange; RES1
 * bit 31.  8-bit VMIDs. */
#define VTCR_BASE                                                              \
	((1ull << 31) | (25ull << 0) | (1ull << 6) | (1ull << 8) |             \
	 (1ull << 10) | (3ull << 12))

void stage2_init(void)
{
	write_sysreg(vtcr_el2, VTCR_BASE | ((uint64_t)pa_range_field() << 16));
	isb();
}

static void *domain_va(const struct arch_domain *ad, uint64_t ipa)
{
	return arch_phys_to_virt(ad->mem_phys + (ipa - ad->mem_base));
}

/* Stage-2 permissions from the segment's p_flags (D8.4.2: S2AP, XN). */
static void protect_segment(struct arch_domain *ad, const struct elf64_phdr *ph)
{
	uint64_t first = ph->vaddr & ~(PAGE_SIZE - 1);

	for (uint64_t ipa = first; ipa < ph->vaddr + ph->memsz;
	     ipa += PAGE_SIZE) {
		uint64_t *pte = xlat_page(&ad->s2, ipa);
		uint64_t old = *pte;
		bool w = ph->flags & PF_W, x = ph->flags & PF_X;

		if (old & S2_CLAIMED) { /* a page two segments share */
			w |= (old & S2_AP_RW) == S2_AP_RW;
			x |= !(old & S2_XN);
		}
		*pte = (old & ~S2_PERMS) | S2_CLAIMED |
		       (w ? S2_AP_RW : S2_AP_RO) | (x ? 0 : S2_XN);
	}
}

/* Copies the segments in through the physmap, then protects them. */
static void elf_load(struct arch_domain *ad, const uint8_t *img)
{
	const struct elf64_phdr *ph;

	for (unsigned i = 0; (ph = elf_load_segment(img, i)); i++)
		pd_memcpy(domain_va(ad, ph->vaddr), img + ph->offset,
			  ph->filesz);
	for (unsigned i = 0; (ph = elf_load_segment(img, i)); i++)
		protect_segment(ad, ph);
	ad->ctx.elr = ((const struct elf64_ehdr *)img)->entry;
}

static uint64_t mmio_ipa(unsigned i)
{
	return PADDOCK_A64_GUEST_MMIO_BASE + i * PADDOCK_GUEST_MMIO_STRIDE;
}

/*
 * Maps each assigned device's BAR0 into the domain as Device memory at
 * its slot (start_info.h) and turns on memory decoding.  Bus mastering
 * only for a device an IOMMU confines: without one its DMA could reach
 * anything, so it stays off (docs/arm64.md).
 */
static int map_device_bars(struct arch_domain *ad)
{
	const struct domain_cfg *cfg = ad->d->cfg;

	for (unsigned i = 0; i < cfg->ndevices; i++) {
		uint32_t bdf = cfg->devices[i];
		uint64_t base, size;

		if (!pci_bar0(bdf, &base, &size) || size < PAGE_SIZE)
			continue;
		if (size > PADDOCK_GUEST_MMIO_STRIDE)
			size = PADDOCK_GUEST_MMIO_STRIDE;
		if (xlat_map(&ad->s2, mmio_ipa(i), base, size, S2_DEVICE_RW,
			     false))
			return -1;
		ad->d->dev_regs[i].addr = mmio_ipa(i);
		ad->d->dev_regs[i].phys = base;
		ad->d->dev_regs[i].size = (uint32_t)size;
		pci_command_update(bdf,
				   PCI_COMMAND_MEMORY |
					   (iommu_for_device(bdf)
						    ? PCI_COMMAND_MASTER
						    : 0),
				   0);
	}
	return 0;
}

/* Stage 2 in pages (segments get their own permissions), the DMA view in
 * blocks (the pool is 2 MiB-aligned). */
static int build_tables(struct arch_domain *ad)
{
	if (xlat_init(&ad->s2, 3) ||
	    xlat_map(&ad->s2, ad->mem_base, ad->mem_phys, ad->mem_bytes,
		     S2_RAM_RW, false) ||
	    map_device_bars(ad))
		return -1;
	if (xlat_init(&ad->dma, 4) ||
	    xlat_map(&ad->dma, ad->mem_base, ad->mem_phys, ad->mem_bytes,
		     DMA_RAM_RW, true))
		return -1;
	arch_dma_sync(arch_phys_to_virt(ad->dma.root), PAGE_SIZE);
	return 0;
}

/*
 * Zeroes the memory, loads the image, writes the start page, and cleans
 * it all to the point of coherency: the domain starts with its MMU and
 * caches off and must see what was written through ours (the same
 * contract as Linux's booting.rst).
 */
int arch_domain_load(struct domain *d, const uint8_t *elf, uint64_t image_end,
		     struct paddock_start_info *si)
{
	struct arch_domain *ad = arch_of(d);
	uint64_t top = ad->mem_base + ad->mem_bytes;
	void *mem = arch_phys_to_virt(ad->mem_phys);

	ad->image_end = image_end;
	pd_memset(mem, 0, ad->mem_bytes);
	elf_load(ad, elf);
	pd_memcpy(domain_va(ad, top - PAGE_SIZE), si, sizeof(*si));
	dcache_clean_inval(mem, ad->mem_bytes);
	__asm__ volatile("ic iallu\n dsb ish\n isb" ::: "memory");

	ad->ctx.x[0] = top - PAGE_SIZE;
	ad->ctx.spsr = SPSR_EL1H | SPSR_DAIF;
	el1_state_init(&ad->el1);
	ad->el1.sp_el1 = top - PAGE_SIZE; /* 16-byte aligned, below it */
	return 0;
}

/* The arch side of d, its memory placed; NULL when the heap is out. */
static struct arch_domain *arch_domain_new(struct domain *d, uint64_t mem_phys)
{
	struct arch_domain *ad = pd_zalloc(sizeof(*ad));

	if (ad) {
		*ad = (struct arch_domain){
			.d = d,
			.mem_phys = mem_phys,
			.mem_base = PADDOCK_A64_GUEST_BASE,
			.mem_bytes = d->cfg->mem_bytes,
		};
	}
	d->arch = ad;
	return ad;
}

int arch_domain_create(struct domain *d, uint64_t mem_phys)
{
	const struct domain_cfg *cfg = d->cfg;
	struct arch_domain *ad = arch_domain_new(d, mem_phys);

	if (!ad) {
		hv_printf("arm64: domain %s: out of hypervisor memory\n",
			  cfg->name);
		return -1;
	}
	if (build_tables(ad)) {
		hv_printf("arm64: domain %s: out of memory for its tables\n",
			  cfg->name);
		return -1;
	}
	/* VMID 0 is nobody's: each domain tags its TLB entries with its
	 * own (D8.13.1), so none can hit another's translations. */
	ad->vttbr = ad->s2.root | ((uint64_t)(d->id + 1) << VTTBR_VMID_SHIFT);
	if (iommu_has_first_level() &&
	    iommu_fl_tables(ad->dma.root, &ad->fl_root)) {
		hv_printf("arm64: domain %s: out of memory for first-level "
			  "tables\n",
			  cfg->name);
		return -1;
	}
	return 0;
}

/* Forgets every stage-2 translation tagged with the domain's VMID. */
static void flush_vmid(uint64_t vttbr)
{
	uint64_t old = read_sysreg(vttbr_el2);

	write_sysreg(vttbr_el2, vttbr);
	isb();
	__asm__ volatile("tlbi vmalls12e1is\n dsb ish" ::: "memory");
	write_sysreg(vttbr_el2, old);
	isb();
}

void arch_domain_free(struct domain *d)
{
	struct arch_domain *ad = d->arch;

	if (!ad)
		return;
	if (ad->vttbr)
		flush_vmid(ad->vttbr);
	xlat_free(&ad->s2);
	xlat_free(&ad->dma);
	if (ad->fl_root)
		iommu_fl_free(ad->fl_root);
	pd_free(ad);
	d->arch = NULL;
}
