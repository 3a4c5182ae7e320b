/* SPDX-License-Identifier: MIT */
/*
 * Building a domain: its memory, address space, DMA tables, image and
 * start information (layouts in asm/domain.h and start_info.h).
 */
#include <paddock/fmt.h>
#include <paddock/hypercall.h>
#include <paddock/mem.h>
#include <paddock/system.h>
#include <asm/console.h>
#include <asm/domain.h>
#include <asm/elf.h>
#include <asm/paging.h>
#include <asm/pci.h>
#include <asm/rmrr.h>
#include <asm/string.h>
#include <asm/x86.h>
#include <paddock/start_info.h>
#include <xen/sched.h>

#define PTE_CLAIMED (1ull << 9) /* software bit: set by a PT_LOAD segment */

static uint64_t page_up(uint64_t v)
{
	return (v + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

/* The highest address an image may occupy: below stack and start info. */
static uint64_t image_limit(const struct arch_domain *ad)
{
	return ad->mem_base + ad->mem_bytes - PAGE_SIZE - GUEST_STACK_BYTES;
}

/** Every PT_LOAD fits the file and the image window, without overflow. */
static int elf_check(const struct arch_domain *ad, const uint8_t *img,
		     uint64_t size, uint64_t *image_end)
{
	const struct elf64_ehdr *eh = (const void *)img;
	uint64_t limit = image_limit(ad), end = ad->mem_base;

	if (size < sizeof(*eh) || *(const uint32_t *)eh->ident != ELF_MAGIC ||
	    eh->ident[4] != ELFCLASS64 || eh->ident[5] != ELFDATA2LSB ||
	    eh->type != ET_EXEC || eh->machine != EM_X86_64 ||
	    eh->phentsize != sizeof(struct elf64_phdr) || eh->phoff > size ||
	    eh->phnum > (size - eh->phoff) / eh->phentsize)
		return -1;
	for (unsigned i = 0; i < eh->phnum; i++) {
		const struct elf64_phdr *ph =
			(const void *)(img + eh->phoff + i * sizeof(*ph));

		if (ph->type != PT_LOAD)
			continue;
		if (ph->filesz > ph->memsz || ph->offset > size ||
		    ph->filesz > size - ph->offset ||
		    ph->vaddr < ad->mem_base || ph->vaddr > limit ||
		    ph->memsz > limit - ph->vaddr)
			return -1;
		if (ph->vaddr + ph->memsz > end)
			end = ph->vaddr + ph->memsz;
	}
	if (eh->entry < ad->mem_base || eh->entry >= end)
		return -1;
	*image_end = page_up(end);
	return 0;
}

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

	for (unsigned i = 0; i < eh->phnum; i++) {
		const struct elf64_phdr *ph =
			(const void *)(img + eh->phoff + i * sizeof(*ph));

		if (ph->type != PT_LOAD)
			continue;
		memcpy((void *)ph->vaddr, img + ph->offset, ph->filesz);
	}
	for (unsigned i = 0; i < eh->phnum; i++) {
		const struct elf64_phdr *ph =
			(const void *)(img + eh->phoff + i * sizeof(*ph));

		if (ph->type == PT_LOAD)
			protect_segment(ad, ph);
	}
	write_cr3(ad->cr3); /* the new permissions */
	ad->ctx.rip = eh->entry;
}

static uint64_t mmio_addr(unsigned i)
{
	return PADDOCK_GUEST_MMIO_BASE + i * PADDOCK_GUEST_MMIO_STRIDE;
}

static void fill_start_info(struct arch_domain *ad,
			    struct paddock_start_info *si, uint64_t image_end,
			    uint64_t probe_other)
{
	const struct domain_cfg *cfg = ad->d->cfg;
	size_t n = pd_strlen(cfg->name);

	si->magic = PADDOCK_START_MAGIC;
	si->domid = ad->d->id;
	si->flags = cfg->privileged ? PADDOCK_START_PRIVILEGED : 0;
	si->mem_base = ad->mem_base;
	si->mem_size = ad->mem_bytes;
	si->heap_start = image_end;
	si->heap_end = image_limit(ad);
	si->pasid_quota = cfg->pasid_quota;
	si->ndevices = cfg->ndevices;
	for (unsigned i = 0; i < cfg->ndevices; i++)
		si->devices[i] = cfg->devices[i];
	pd_memcpy(si->name, cfg->name,
		  n < sizeof(si->name) ? n : sizeof(si->name));
	si->probe_hv_addr = (uint64_t)hv_system();
	si->probe_other_addr = probe_other;
	for (unsigned i = 0; i < cfg->ndevices; i++) {
		si->dev_mmio[i] = ad->mmio[i].size ? mmio_addr(i) : 0;
		si->dev_mmio_size[i] = (uint32_t)ad->mmio[i].size;
	}
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
		ad->mmio[i].phys = base;
		ad->mmio[i].size = size;
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

/* Zeroes the memory, loads the image, writes the start page. */
static int load_guest(struct arch_domain *ad, const struct guest_image *gi,
		      uint64_t probe_other)
{
	uint64_t image_end, top = ad->mem_base + ad->mem_bytes;
	uint64_t hv_cr3 = read_cr3();
	struct paddock_start_info *si;

	if (elf_check(ad, gi->start, gi->end - gi->start, &image_end)) {
		hv_printf("x86: domain %s: image '%s' is not a valid guest "
			  "ELF for this memory size\n",
			  ad->d->cfg->name, gi->name);
		return -1;
	}
	/* Domain memory is not in the hypervisor's physmap: reach it
	 * through the domain's own tables (interrupts are off). */
	ad->image_end = image_end;
	write_cr3(ad->cr3);
	user_access_begin();
	memset((void *)ad->mem_base, 0, ad->mem_bytes);
	elf_load(ad, gi->start);
	si = (struct paddock_start_info *)(top - PAGE_SIZE);
	fill_start_info(ad, si, image_end, probe_other);
	user_access_end();
	write_cr3(hv_cr3);

	ad->ctx.rdi = (uint64_t)si;
	ad->ctx.rsp = top - PAGE_SIZE; /* 16-byte aligned, below start info */
	ad->ctx.cs = SEL_USER_CS;
	ad->ctx.ss = SEL_USER_DS;
	ad->ctx.rflags = RFLAGS_FIXED | RFLAGS_IF;
	return 0;
}

struct domain *domain_build(domid_t id, const struct domain_cfg *cfg,
			    uint64_t mem_phys, uint64_t probe_other)
{
	const struct guest_image *gi = guest_image_find(cfg->image);
	struct arch_domain *ad = pd_zalloc(sizeof(*ad));
	struct domain *d = pd_zalloc(sizeof(*d));

	if (!ad || !d) {
		hv_printf("x86: domain %s: out of hypervisor memory\n",
			  cfg->name);
		goto fail;
	}
	if (!gi) {
		hv_printf("x86: domain %s: no guest image named '%s'\n",
			  cfg->name, cfg->image);
		goto fail;
	}
	d->id = id;
	d->name = cfg->name;
	d->privileged = cfg->privileged;
	d->cfg = cfg;
	d->state = DOMAIN_RUNNING;
	spin_init(&d->fault_lock);
	d->arch = ad;
	ad->d = d;
	ad->mem_phys = mem_phys;
	ad->mem_base = PADDOCK_GUEST_BASE;
	ad->mem_bytes = cfg->mem_bytes;
	if (build_tables(ad)) {
		hv_printf("x86: domain %s: out of memory for page tables\n",
			  cfg->name);
		goto fail;
	}
	if (rmrr_map_domain(ad)) /* VT-d 8.4: its devices' RMRRs */
		goto fail;
	/* After the RMRRs: first-level binds see the whole DMA view. */
	if (iommu_fl_tables(ad->dma_root, &ad->fl_root)) {
		hv_printf("x86: domain %s: out of memory for first-level "
			  "tables\n",
			  cfg->name);
		goto fail;
	}
	if (load_guest(ad, gi, probe_other))
		goto fail;
	d->runnable = true;
	return d;
fail:
	if (ad && ad->cr3)
		paging_free_space(ad->cr3, true);
	if (ad && ad->dma_root)
		paging_free_space(ad->dma_root, true);
	if (ad && ad->fl_root)
		iommu_fl_free(ad->fl_root);
	pd_free(ad);
	pd_free(d);
	return NULL;
}
