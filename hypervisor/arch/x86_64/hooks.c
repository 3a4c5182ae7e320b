/* SPDX-License-Identifier: MIT */
/*
 * The arch hooks generic code calls (paddock/arch.h) for guest memory,
 * addresses and the console.
 *
 * Guest memory is reached only here, and only after the whole range has
 * been checked against the domain's own window; the copy then runs on the
 * domain's own address space, where that window is all there is.
 */
#include <paddock/arch.h>
#include <paddock/mem.h>
#include <asm/console.h>
#include <asm/domain.h>
#include <asm/paging.h>
#include <asm/string.h>
#include <asm/testop.h>
#include <asm/x86.h>
#include <xen/errno.h>

/** [addr, addr + len) lies inside the domain's memory; no wrap-around. */
static bool guest_range_ok(const struct arch_domain *ad, uint64_t addr,
			   size_t len)
{
	return guest_window_holds(ad->mem_base, ad->mem_bytes, addr, len);
}

/* Walks the tables: every page of [addr, addr + len) is writable. */
static __attribute__((noinline, cold)) bool
walk_writable(const struct arch_domain *ad, uint64_t addr, size_t len)
{
	uint64_t first = addr & ~(PAGE_SIZE - 1);

	for (uint64_t va = first; va < addr + len; va += PAGE_SIZE) {
		const uint64_t *pte = paging_leaf(ad->cr3, va);

		if (!pte || !(*pte & PTE_RW))
			return false;
	}
	return true;
}

/**
 * Every page of a (checked) range is mapped writable for the guest.  Only
 * the image's pages may be read-only (domain.c, protect_segment); those
 * above it are mapped writable at build and never changed, so a range
 * there needs no walk.  The walk is out of line: the common case then
 * needs no saved registers.
 */
static inline bool guest_range_writable(const struct arch_domain *ad,
					uint64_t addr, size_t len)
{
	return addr >= ad->image_end || walk_writable(ad, addr, len);
}

/* Switches to the domain's address space (usually it is already on). */
static uint64_t enter_space(const struct arch_domain *ad)
{
	uint64_t old = read_cr3();

	if (old != ad->cr3)
		write_cr3(ad->cr3);
	return old;
}

/* Nothing between enter and leave writes CR3: no need to read it again. */
static void leave_space(const struct arch_domain *ad, uint64_t old)
{
	if (old != ad->cr3)
		write_cr3(old);
}

int arch_copy_from_guest(struct domain *d, void *dst, gvaddr_t src, size_t len)
{
	struct arch_domain *ad = arch_of(d);
	uint64_t old;

	if (!guest_range_ok(ad, src.v, len))
		return -XEN_EFAULT;
	old = enter_space(ad);
	user_access_begin();
	copy_bytes(dst, (const void *)src.v, len);
	user_access_end();
	leave_space(ad, old);
	return 0;
}

int arch_guest_writable(struct domain *d, gvaddr_t addr, size_t len)
{
	struct arch_domain *ad = arch_of(d);

	if (!guest_range_ok(ad, addr.v, len) ||
	    !guest_range_writable(ad, addr.v, len))
		return -XEN_EFAULT;
	return 0;
}

/*
 * Copies to the guest.  Read-only text pages of the guest are refused too:
 * the hypervisor writes with CR0.WP set, so the check must come first.
 */
int arch_copy_to_guest(struct domain *d, gvaddr_t dst, const void *src,
		       size_t len)
{
	struct arch_domain *ad = arch_of(d);
	uint64_t old;

	if (arch_guest_writable(d, dst, len))
		return -XEN_EFAULT;
	old = enter_space(ad);
	user_access_begin();
	copy_bytes((void *)dst.v, src, len);
	user_access_end();
	leave_space(ad, old);
	return 0;
}

/* Test images link test/testop.c, the others test/notest.c. */
long arch_test_op(struct domain *d, const uint64_t args[5])
{
	return x86_test_op(d->arch, args);
}

hpaddr_t arch_domain_dma_root(struct domain *d)
{
	return hpa(arch_of(d)->dma_root);
}

hpaddr_t arch_domain_fl_root(struct domain *d)
{
	return hpa(arch_of(d)->fl_root);
}

/* The log prefix the test scripts match ("x86: all domains stopped"). */
const char arch_log_prefix[] = "x86";

void arch_console_write(const char *buf, size_t len)
{
	serial_write(buf, len);
}
