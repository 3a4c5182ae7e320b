/* SPDX-License-Identifier: MIT */
/*
 * The arch hooks generic code calls (paddock/arch.h) for guest memory,
 * the DMA roots and the console.
 *
 * Guest memory is reached only here, and only after the whole range has
 * been checked against the domain's own window.  A guest address is an
 * IPA (asm/domain.h), and the window is one contiguous range of host
 * memory, so the copy goes through the hypervisor's identity map.
 */
#include <paddock/spinlock.h>
#include <paddock/arch.h>
#include <paddock/elf.h>
#include <paddock/mem.h>
#include <asm/devices.h>
#include <asm/domain.h>
#include <asm/testop.h>
#include <xen/errno.h>

static bool guest_range_ok(const struct arch_domain *ad, uint64_t addr,
			   size_t len)
{
	return guest_window_holds(ad->mem_base, ad->mem_bytes, addr, len);
}

static void *host_va(const struct arch_domain *ad, uint64_t ipa)
{
	return (void *)(uintptr_t)(ad->mem_phys + (ipa - ad->mem_base));
}

/* Walks stage 2: every page of [addr, addr + len) is writable. */
static __attribute__((noinline, cold)) bool
walk_writable(const struct arch_domain *ad, uint64_t addr, size_t len)
{
	uint64_t first = addr & ~(PAGE_SIZE - 1);

	for (uint64_t ipa = first; ipa < addr + len; ipa += PAGE_SIZE) {
		const uint64_t *pte = xlat_page(&ad->s2, ipa);

		if (!pte || (*pte & S2_AP_RW) != S2_AP_RW)
			return false;
	}
	return true;
}

/** Only the image's pages may be read-only (domain.c, protect_segment). */
static inline bool guest_range_writable(const struct arch_domain *ad,
					uint64_t addr, size_t len)
{
	return addr >= ad->image_end || walk_writable(ad, addr, len);
}

/*
 * The host address of [addr, addr + len) of the domain's memory, or NULL
 * when any byte of it is outside the window or, for a write, read-only:
 * every access below goes through this one check.
 */
static void *guest_bytes(struct domain *d, uint64_t addr, size_t len,
			 bool write)
{
	struct arch_domain *ad = arch_of(d);

	if (!guest_range_ok(ad, addr, len) ||
	    (write && !guest_range_writable(ad, addr, len)))
		return NULL;
	return host_va(ad, addr);
}

int arch_copy_from_guest(struct domain *d, void *dst, gvaddr_t src, size_t len)
{
	const void *from = guest_bytes(d, src.v, len, false);

	return from ? (pd_memcpy(dst, from, len), 0) : -XEN_EFAULT;
}

int arch_guest_writable(struct domain *d, gvaddr_t addr, size_t len)
{
	return guest_bytes(d, addr.v, len, true) ? 0 : -XEN_EFAULT;
}

int arch_copy_to_guest(struct domain *d, gvaddr_t dst, const void *src,
		       size_t len)
{
	void *to = guest_bytes(d, dst.v, len, true);

	return to ? (pd_memcpy(to, src, len), 0) : -XEN_EFAULT;
}

/* Test images link test/testop.c, the others test/notest.c. */
long arch_test_op(struct domain *d, const uint64_t args[5])
{
	return aarch64_test_op(d, args);
}

hpaddr_t arch_domain_dma_root(struct domain *d)
{
	return hpa(arch_of(d)->dma.root);
}

/*
 * The SMMU walks stage-1 tables for both kinds of bind, and the domain's
 * DMA tables are stage-1 tables the hypervisor built: a first-level bind
 * installs them too, unless the IOMMU made a first-level copy.
 */
hpaddr_t arch_domain_fl_root(struct domain *d)
{
	struct arch_domain *ad = arch_of(d);

	return hpa(ad->fl_root ? ad->fl_root : ad->dma.root);
}

/* Guest images are AArch64 ELF; the window is the domain's IPA range. */
const uint16_t arch_elf_machine = EM_AARCH64;

void arch_domain_window(const struct domain *d, uint64_t *base, uint64_t *bytes)
{
	*base = d->arch->mem_base;
	*bytes = d->arch->mem_bytes;
}

/* The log prefix the test scripts match ("arm64: all domains stopped"). */
const char arch_log_prefix[] = "arm64";

/* One write at a time: every CPU prints, and a line must stay whole.
 * Nothing is printed with this held but the line itself. */
void arch_console_write(const char *buf, size_t len)
{
	static struct spinlock console_lock = SPINLOCK_INIT;

	spin_lock(&console_lock);
	pl011_write(buf, len);
	spin_unlock(&console_lock);
}
