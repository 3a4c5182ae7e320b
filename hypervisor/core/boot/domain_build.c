/* SPDX-License-Identifier: MIT */
/*
 * Building a domain, on any architecture: its image found and checked,
 * its start information filled (include/public/paddock/start_info.h),
 * the arch asked for the address space and the load.
 *
 * The guest layout (docs/abi.md): the domain's memory is one window of
 * guest addresses; its ELF segments lie in it, the start info takes the
 * top page and the initial stack the GUEST_STACK_BYTES below it.
 */
#include <paddock/elf.h>
#include <paddock/hypercall.h>
#include <paddock/mem.h>
#include <paddock/system.h>
#include <paddock/start_info.h>
#include <config/config.h>

#define GUEST_PAGE	  4096ull
#define GUEST_STACK_BYTES (64 * 1024)

_Static_assert(CFG_MAX_DEVICES == PADDOCK_START_MAX_DEVICES,
	       "a domain's devices fit its start info and d->dev_regs");

static uint64_t page_up(uint64_t v)
{
	return (v + GUEST_PAGE - 1) & ~(GUEST_PAGE - 1);
}

/* The highest address an image may occupy: below stack and start info. */
static uint64_t image_limit(uint64_t base, uint64_t bytes)
{
	return base + bytes - GUEST_PAGE - GUEST_STACK_BYTES;
}

static bool elf_header_ok(const struct elf64_ehdr *eh, uint64_t size)
{
	return size >= sizeof(*eh) &&
	       *(const uint32_t *)eh->ident == ELF_MAGIC &&
	       eh->ident[4] == ELFCLASS64 && eh->ident[5] == ELFDATA2LSB &&
	       eh->type == ET_EXEC && eh->machine == arch_elf_machine &&
	       eh->phentsize == sizeof(struct elf64_phdr) &&
	       eh->phoff <= size &&
	       eh->phnum <= (size - eh->phoff) / eh->phentsize;
}

/** Every PT_LOAD fits the file and the image window, without overflow. */
static int elf_check(const struct domain *d, const uint8_t *img, uint64_t size,
		     uint64_t *image_end)
{
	const struct elf64_ehdr *eh = (const void *)img;
	uint64_t base, bytes, limit, end;

	arch_domain_window(d, &base, &bytes);
	limit = image_limit(base, bytes);
	end = base;
	if (!elf_header_ok(eh, size))
		return -1;
	for (unsigned i = 0; i < eh->phnum; i++) {
		const struct elf64_phdr *ph =
			(const void *)(img + eh->phoff + i * sizeof(*ph));

		if (ph->type != PT_LOAD)
			continue;
		if (ph->filesz > ph->memsz || ph->offset > size ||
		    ph->filesz > size - ph->offset || ph->vaddr < base ||
		    ph->vaddr > limit || ph->memsz > limit - ph->vaddr)
			return -1;
		if (ph->vaddr + ph->memsz > end)
			end = ph->vaddr + ph->memsz;
	}
	if (eh->entry < base || eh->entry >= end)
		return -1;
	*image_end = page_up(end);
	return 0;
}

/* Everything but the device register windows, which the arch maps. */
static void fill_start_info(const struct domain *d,
			    struct paddock_start_info *si, uint64_t image_end,
			    uint64_t probe_other)
{
	const struct domain_cfg *cfg = d->cfg;
	size_t n = pd_strlen(cfg->name);
	uint64_t base, bytes;

	arch_domain_window(d, &base, &bytes);
	pd_memset(si, 0, sizeof(*si));
	si->magic = PADDOCK_START_MAGIC;
	si->domid = d->id;
	si->flags = cfg->privileged ? PADDOCK_START_PRIVILEGED : 0;
	si->mem_base = base;
	si->mem_size = bytes;
	si->heap_start = image_end;
	si->heap_end = image_limit(base, bytes);
	si->pasid_quota = cfg->pasid_quota;
	si->ndevices = cfg->ndevices;
	for (unsigned i = 0; i < cfg->ndevices; i++) {
		si->devices[i] = cfg->devices[i];
		si->dev_mmio[i] = d->dev_regs[i].addr;
		si->dev_mmio_size[i] = d->dev_regs[i].size;
	}
	pd_memcpy(si->name, cfg->name,
		  n < sizeof(si->name) ? n : sizeof(si->name));
	si->probe_hv_addr = (uint64_t)hv_system();
	si->probe_other_addr = probe_other;
}

static struct domain *domain_new(domid_t id, const struct domain_cfg *cfg)
{
	struct domain *d = pd_zalloc(sizeof(*d));

	if (!d) {
		hv_printf("%s: domain %s: out of hypervisor memory\n",
			  arch_log_prefix, cfg->name);
		return NULL;
	}
	d->id = id;
	d->name = cfg->name;
	d->privileged = cfg->privileged;
	d->cfg = cfg;
	d->state = DOMAIN_RUNNING;
	spin_init(&d->fault_lock);
	return d;
}

/* Checks the image against the window, then has the arch load it. */
static int load_image(struct domain *d, const struct guest_image *gi,
		      uint64_t probe_other)
{
	static struct paddock_start_info si; /* boot is single-threaded */
	uint64_t image_end;

	if (elf_check(d, gi->start, gi->end - gi->start, &image_end)) {
		hv_printf("%s: domain %s: image '%s' is not a valid guest ELF "
			  "for this memory size\n",
			  arch_log_prefix, d->name, gi->name);
		return -1;
	}
	fill_start_info(d, &si, image_end, probe_other);
	return arch_domain_load(d, gi->start, image_end, &si);
}

struct domain *domain_build(domid_t id, const struct domain_cfg *cfg,
			    uint64_t mem_phys, uint64_t probe_other)
{
	const struct guest_image *gi = guest_image_find(cfg->image);
	struct domain *d = domain_new(id, cfg);

	if (!d)
		return NULL;
	if (!gi) {
		hv_printf("%s: domain %s: no guest image named '%s'\n",
			  arch_log_prefix, cfg->name, cfg->image);
		goto fail;
	}
	if (arch_domain_create(d, mem_phys) || load_image(d, gi, probe_other))
		goto fail;
	d->runnable = true;
	return d;
fail:
	arch_domain_free(d);
	pd_free(d);
	return NULL;
}
