/* SPDX-License-Identifier: MIT */
/*
 * The x86 side of building a domain (paddock/arch.h): its address space,
 * DMA tables and device registers, and the load of its segments with
 * their permissions.  The image checks, the start information and the
 * sequence are generic (hypervisor/core/boot/domain_build.c).
 */
#include <paddock/elf.h>
#include <paddock/hypercall.h>
#include <paddock/mem.h>
#include <paddock/system.h>
#include <asm/console.h>
#include <asm/domain.h>
#include <asm/paging.h>
#include <asm/pci.h>
#include <asm/rmrr.h>
#include <asm/string.h>
#include <asm/x86.h>
#include <paddock/start_info.h>

#define PTE_CLAIMED (1ull << 9) /* software bit: set by a PT_LOAD segment */

/* SDM Vol. 3A, 4.6: leaf permissions from the segment's p_flags. */
static void protect_segment(struct arch_domain *ad, const struct elf64_phdr *ph)
{
	uint64_t first = ph->vaddr & ~(PAGE_SIZE - 1);

	for (uint64_t va = first; va < ph->vaddr + ph->memsz; va += PAGE_SIZE) {
		uint64_t *pte = paging_leaf(ad->cr3, va);
		uint64_t old = *pte;
		bool w = ph->flags & PF_W, x = ph->flags & PF_X;

		if (old & PTE_CLAIMED) { /* a page two segments share */
			w |= !!(old & PTE_RW);
			x |= !(old & PTE_NX);
		}
		*pte = (old & PTE_ADDR) | PTE_P | PTE_US | PTE_CLAIMED |
		       (w ? PTE_RW : 0) | (x ? 0 : PTE_NX);
	}
}

/* Copies the segments in.  Runs on the domain's own address space. */
static void elf_load(struct arch_domain *ad, const uint8_t *img)
{
	const struct elf64_ehdr *eh = (const void *)img;
	const struct elf64_phdr *ph;

	for (unsigned i = 0; (ph = elf_load_segment(img, i)); i++)
		memcpy((void *)ph->vaddr, img + ph->offset, ph->filesz);
	for (unsigned i = 0; (ph = elf_load_segment(img, i)); i++)
		protect_segment(ad, ph);
	write_cr3(ad->cr3); /* the new permissions */
	ad->ctx.rip = eh->entry;
}

static uint64_t mmio_addr(unsigned i)
{
	return PADDOCK_GUEST_MMIO_BASE + i * PADDOCK_GUEST_MMIO_STRIDE;
}

/*
 * Maps each assigned device's BAR0 into the domain, uncached and
 * user-accessible, at its fixed slot (start_info.h), and turns on the
 * device's memory decoding and bus mastering: the domain drives its own
 * devices, and their DMA is confined by the IOMMU to what the domain binds.
 * The DMA tables never map it.  A BAR bigger than a slot is mapped up to
 * the slot's size.
 */
static int map_device_bars(struct arch_domain *ad)
{
	const struct domain_cfg *cfg = ad->d->cfg;

	for (unsigned i = 0; i < cfg->ndevices; i++) {
		uint64_t base, size;

		if (!pci_bar0(cfg->devices[i], &base, &size) ||
		    size < PAGE_SIZE)
			continue;
		if (size > PADDOCK_GUEST_MMIO_STRIDE)
			size = PADDOCK_GUEST_MMIO_STRIDE;
		if (paging_map(ad->cr3, mmio_addr(i), base, size,
			       PTE_P | PTE_RW | PTE_US,
			       PTE_P | PTE_RW | PTE_US | PTE_NX | PTE_PCD |
				       PTE_PWT))
			return -1;
		ad->d->dev_regs[i].addr = mmio_addr(i);
		ad->d->dev_regs[i].phys = base;
		ad->d->dev_regs[i].size = (uint32_t)size;
		pci_command_update(cfg->devices[i],
				   PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 0);
	}
	return 0;
}

static int build_tables(struct arch_domain *ad)
{
	ad->cr3 = paging_new_space();
	if (!ad->cr3)
		return -1;
	/* Everything user read/write, no execute; segments then get theirs. */
	if (paging_map(ad->cr3, ad->mem_base, ad->mem_phys, ad->mem_bytes,
		       PTE_P | PTE_RW | PTE_US,
		       PTE_P | PTE_RW | PTE_US | PTE_NX))
		return -1;
	if (map_device_bars(ad))
		return -1;
	ad->dma_root = paging_new_space();
	if (!ad->dma_root)
		return -1;
	/* The DMA tables have no hypervisor half: clear what new_space
	 * copied.  VT-d 9.8: second-level entries, R and W only. */
	uint64_t *root = phys_to_virt(ad->dma_root);

	for (unsigned i = 256; i < 512; i++)
		root[i] = 0;
	return paging_map(ad->dma_root, ad->mem_base, ad->mem_phys,
			  ad->mem_bytes, SLPTE_R | SLPTE_W, SLPTE_R | SLPTE_W);
}

const uint16_t arch_elf_machine = EM_X86_64;

void arch_domain_window(const struct domain *d, uint64_t *base, uint64_t *bytes)
{
	*base = d->arch->mem_base;
	*bytes = d->arch->mem_bytes;
}

/*
 * Zeroes the memory, loads the image, writes the start page.  Domain
 * memory is not in the hypervisor's physmap: it is reached through the
 * domain's own tables (interrupts are off).
 */
int arch_domain_load(struct domain *d, const uint8_t *elf, uint64_t image_end,
		     struct paddock_start_info *si)
{
	struct arch_domain *ad = arch_of(d);
	uint64_t top = ad->mem_base + ad->mem_bytes;
	uint64_t hv_cr3 = read_cr3();
	struct paddock_start_info *where =
		(struct paddock_start_info *)(top - PAGE_SIZE);

	ad->image_end = image_end;
	write_cr3(ad->cr3);
	user_access_begin();
	memset((void *)ad->mem_base, 0, ad->mem_bytes);
	elf_load(ad, elf);
	memcpy(where, si, sizeof(*si));
	user_access_end();
	write_cr3(hv_cr3);

	ad->ctx.rdi = (uint64_t)where;
	ad->ctx.rsp = top - PAGE_SIZE; /* 16-byte aligned, below start info */
	ad->ctx.cs = SEL_USER_CS;
	ad->ctx.ss = SEL_USER_DS;
	ad->ctx.rflags = RFLAGS_FIXED | RFLAGS_IF;
	return 0;
}

int arch_domain_create(struct domain *d, uint64_t mem_phys)
{
	const struct domain_cfg *cfg = d->cfg;
	struct arch_domain *ad = pd_zalloc(sizeof(*ad));

	if (!ad) {
		hv_printf("x86: domain %s: out of hypervisor memory\n",
			  cfg->name);
		return -1;
	}
	d->arch = ad;
	ad->d = d;
	ad->mem_phys = mem_phys;
	ad->mem_base = PADDOCK_GUEST_BASE;
	ad->mem_bytes = cfg->mem_bytes;
	if (build_tables(ad)) {
		hv_printf("x86: domain %s: out of memory for page tables\n",
			  cfg->name);
		return -1;
	}
	if (rmrr_map_domain(ad)) /* VT-d 8.4: its devices' RMRRs */
		return -1;
	/* After the RMRRs: first-level binds see the whole DMA view. */
	if (iommu_fl_tables(ad->dma_root, &ad->fl_root)) {
		hv_printf("x86: domain %s: out of memory for first-level "
			  "tables\n",
			  cfg->name);
		return -1;
	}
	return 0;
}

void arch_domain_free(struct domain *d)
{
	struct arch_domain *ad = d->arch;

	if (!ad)
		return;
	if (ad->cr3)
		paging_free_space(ad->cr3, true);
	if (ad->dma_root)
		paging_free_space(ad->dma_root, true);
	if (ad->fl_root)
		iommu_fl_free(ad->fl_root);
	pd_free(ad);
	d->arch = NULL;
}
