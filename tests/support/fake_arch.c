/* SPDX-License-Identifier: MIT */
/*
 * The fake architecture the host tests link in place of
 * hypervisor/arch/<arch>: each domain's "guest memory" is a buffer at a
 * guest-virtual base address of the test's choosing, and every copy is
 * bounds-checked exactly as the real arch must do it.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>

static struct fake_domain *fake(struct domain *d)
{
	return (struct fake_domain *)d->arch;
}

/* [addr, addr + len) lies inside the domain's memory, without wrapping. */
static void *guest_range(struct domain *d, uint64_t addr, size_t len)
{
	struct fake_domain *f = fake(d);

	if (!f || !guest_window_holds(f->base, f->size, addr, len))
		return NULL;
	return f->mem + (addr - f->base);
}

int arch_copy_from_guest(struct domain *d, void *dst, gvaddr_t src, size_t len)
{
	void *p = guest_range(d, src.v, len);

	if (!p)
		return -XEN_EFAULT;
	memcpy(dst, p, len);
	return 0;
}

/* [addr, addr + len) (inside the memory) touches the read-only part. */
static bool touches_read_only(struct domain *d, uint64_t addr, size_t len)
{
	struct fake_domain *f = fake(d);
	uint64_t off = addr - f->base;

	if (f->read_only)
		return true;
	return len && off < f->ro_hi && off + len > f->ro_lo;
}

int arch_guest_writable(struct domain *d, gvaddr_t addr, size_t len)
{
	if (!guest_range(d, addr.v, len) || touches_read_only(d, addr.v, len))
		return -XEN_EFAULT;
	return 0;
}

int arch_copy_to_guest(struct domain *d, gvaddr_t dst, const void *src,
		       size_t len)
{
	void *p = guest_range(d, dst.v, len);

	if (!p || touches_read_only(d, dst.v, len))
		return -XEN_EFAULT;
	memcpy(p, src, len);
	return 0;
}

hpaddr_t arch_domain_dma_root(struct domain *d)
{
	return hpa(0x1000ull * (d->id + 1));
}

hpaddr_t arch_domain_fl_root(struct domain *d)
{
	return hpa(0x100000000ull * (d->id + 1));
}

/* The hypervisor's own log: shown with PADDOCK_TEST_VERBOSE set. */
void arch_console_write(const char *buf, size_t len)
{
	if (getenv("PADDOCK_TEST_VERBOSE"))
		fwrite(buf, 1, len, stdout);
}

/* A domain's console output, kept whole for the test to read (the
 * hypervisor's line buffering is core/boot's, not tested here). */
void domain_console_write(struct domain *d, const char *buf, size_t len)
{
	struct fake_domain *f = fake(d);

	if (f->console_len + len < sizeof(f->console)) {
		memcpy(f->console + f->console_len, buf, len);
		f->console_len += len;
	}
}

/* The host tests are no test image: the test-only hypercall is refused. */
long arch_test_op(struct domain *d, const uint64_t args[5])
{
	return -XEN_ENOSYS;
}

void domain_yield(struct domain *d)
{
	fake(d)->yields++;
}

void domain_stopped(struct domain *d)
{
	fake(d)->stopped++;
}

void fake_domain_init(struct fake_domain *f, domid_t id, const char *name,
		      bool privileged, uint64_t base, size_t size)
{
	memset(f, 0, sizeof(*f));
	f->base = base;
	f->size = size;
	f->mem = calloc(1, size);
	f->dom.id = id;
	f->dom.name = name;
	f->dom.privileged = privileged;
	f->dom.arch = (struct arch_domain *)f;
}

void fake_domain_fini(struct fake_domain *f)
{
	free(f->mem);
	f->mem = NULL;
}

/*
 * The rest of paddock/arch.h, which only hypervisor/core/boot calls (not
 * linked by the unit tests; tests/core/test_boot.c has its own stand-ins
 * for what it links): present so that the fake is a whole architecture.
 */
const char arch_log_prefix[] = "fake";
const uint16_t arch_elf_machine = 62; /* EM_X86_64: the host's images */

void arch_exit(enum arch_exit_code code)
{
	exit((int)code);
}

void arch_timer_start(unsigned us, unsigned ndomains)
{
	(void)us;
	(void)ndomains;
}

void arch_run_ending(void)
{
}

void arch_run_over(void)
{
}

void arch_summary_lines(void)
{
}

/* Host memory is its own physical address space here. */
void *arch_phys_to_virt(uint64_t pa)
{
	return (void *)(uintptr_t)pa;
}

uint64_t arch_virt_to_phys(const void *va)
{
	return (uint64_t)(uintptr_t)va;
}

void arch_dma_sync(const void *va, size_t len)
{
	(void)va;
	(void)len;
}

/* Fake domains are made by fake_domain_init(), never built: the build
 * hooks refuse; the window is the buffer fake_domain_init() set up. */
int arch_domain_create(struct domain *d, uint64_t mem_phys)
{
	(void)d;
	(void)mem_phys;
	return -1;
}

void arch_domain_free(struct domain *d)
{
	(void)d;
}

void arch_domain_window(const struct domain *d, uint64_t *base, uint64_t *bytes)
{
	const struct fake_domain *f = (const struct fake_domain *)d->arch;

	*base = f->base;
	*bytes = f->size;
}

int arch_domain_load(struct domain *d, const uint8_t *elf, uint64_t image_end,
		     struct paddock_start_info *si)
{
	(void)d;
	(void)elf;
	(void)image_end;
	(void)si;
	return -1;
}

void arch_start_first(void)
{
	abort();
}
