/* SPDX-License-Identifier: MIT */
/*
 * The arch hooks generic code calls (paddock/arch_hooks.h).
 *
 * Guest memory is reached only here, and only after the whole range has
 * been checked against the domain's own window; the copy then runs on the
 * domain's own address space, where that window is all there is.
 */
#include <paddock/arch_hooks.h>
#include <paddock/mem.h>
#include <asm/console.h>
#include <asm/domain.h>
#include <asm/paging.h>
#include <asm/pci.h>
#include <asm/sched.h>
#include <asm/string.h>
#include <asm/testop.h>
#include <asm/x86.h>
#include <xen/errno.h>

/** [addr, addr + len) lies inside the domain's memory; no wrap-around. */
static bool guest_range_ok(const struct arch_domain *ad, uint64_t addr,
			   size_t len)
{
	uint64_t lo = ad->mem_base, hi = ad->mem_base + ad->mem_bytes;

	if (addr < lo || addr >= hi)
		return len == 0 && addr == hi;
	return len <= hi - addr;
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

static void flush_line(struct arch_domain *ad)
{
	char prefix[48];
	size_t n = 0;

	prefix[n++] = '[';
	for (const char *s = ad->d->name; *s && n < sizeof(prefix) - 3; s++)
		prefix[n++] = *s;
	prefix[n++] = ']';
	prefix[n++] = ' ';
	serial_write(prefix, n);
	serial_write(ad->line, ad->line_len);
	serial_write("\n", 1);
	ad->line_len = 0;
}

/**
 * Domain output goes out a line at a time, prefixed with the domain's
 * name, so that the lines of domains preempted mid-line do not mix.
 */
void arch_console_write(struct domain *d, const char *buf, size_t len)
{
	struct arch_domain *ad;

	if (!d) {
		serial_write(buf, len);
		return;
	}
	ad = arch_of(d);
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n' || ad->line_len == sizeof(ad->line)) {
			flush_line(ad);
			if (buf[i] == '\n')
				continue;
		}
		if (buf[i] != '\r')
			ad->line[ad->line_len++] = buf[i];
	}
}

void arch_domain_yield(struct domain *d)
{
	sched_request_switch();
}

void arch_domain_stopped(struct domain *d)
{
	struct arch_domain *ad = arch_of(d);

	/* Whatever stopped it: its devices must not outlive it (a DMA or
	 * an MSI write still in flight, or started later, reaches nothing). */
	for (unsigned i = 0; i < ad->cfg->ndevices; i++)
		iommu_quiesce_device(ad->cfg->devices[i]);
	if (ad->line_len)
		flush_line(ad);
	ad->runnable = false;
	sched_request_switch();
}
