/* SPDX-License-Identifier: MIT */
/*
 * GDT, TSS, IDT and syscall set-up (layouts in asm/desc.h).  Each CPU has
 * its own GDT, TSS and syscall entry, in its block (asm/cpu.h); the IDT is
 * one for all.
 */
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/layout.h>
#include <asm/trap.h>
#include <asm/x86.h>

/* Intel SDM Vol. 3A, 3.4.5, Figure 3-8: code and data descriptors. */
#define DESC_KERNEL_CODE64 0x00af9a000000ffffull
#define DESC_KERNEL_DATA   0x00cf92000000ffffull
#define DESC_USER_DATA	   0x00cff2000000ffffull
#define DESC_USER_CODE64   0x00affa000000ffffull
/* SDM Vol. 3A, 7.2.3: type 9 = available 64-bit TSS, present. */
#define DESC_TSS_TYPE_PRESENT  0x89ull
#define GATE_INTERRUPT_PRESENT 0x8e /* P=1, DPL=0, type 0xE */
/* SDM Vol. 3A, 5.8.8: FMASK bits cleared on syscall. */
#define SYSCALL_FMASK                                                          \
	(RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC | RFLAGS_NT |           \
	 RFLAGS_IOPL)

static struct idt_gate idt[256] __attribute__((aligned(16)));

struct __attribute__((packed)) desc_ptr {
	uint16_t limit;
	uint64_t base;
};

static void gdt_set_tss(uint64_t *gdt, unsigned index, const struct tss64 *t)
{
	uint64_t base = (uint64_t)t;
	uint64_t limit = sizeof(*t) - 1;

	gdt[index] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		     (DESC_TSS_TYPE_PRESENT << 40) |
		     (((limit >> 16) & 0xf) << 48) |
		     (((base >> 24) & 0xff) << 56);
	gdt[index + 1] = base >> 32;
}

static void load_gdt_and_tss(struct x86_cpu *xc)
{
	uint64_t *gdt = xc->gdt;
	struct desc_ptr p = {sizeof(xc->gdt) - 1, (uint64_t)gdt};

	gdt[SEL_KERNEL_CS >> 3] = DESC_KERNEL_CODE64;
	gdt[SEL_KERNEL_DS >> 3] = DESC_KERNEL_DATA;
	/* The 32-bit user code slot stays empty: no domain may enter
	 * compatibility mode (a far jump there faults, #NP). */
	gdt[SEL_USER_CS32 >> 3] = 0;
	gdt[SEL_USER_DS >> 3] = DESC_USER_DATA;
	gdt[SEL_USER_CS >> 3] = DESC_USER_CODE64;
	gdt_set_tss(gdt, SEL_TSS >> 3, &xc->tss);

	/* Reload CS with a far return, the data segments directly. */
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "mov %w2, %%ds\n\t"
			 "mov %w2, %%es\n\t"
			 "mov %w2, %%ss\n\t"
			 "ltr %w3"
			 :
			 : "m"(p), "i"(SEL_KERNEL_CS), "r"(SEL_KERNEL_DS),
			   "r"(SEL_TSS)
			 : "rax", "memory");
}

static void idt_set(unsigned vector, uint64_t handler, unsigned ist)
{
	struct idt_gate *g = &idt[vector];

	g->offset_lo = handler & 0xffff;
	g->selector = SEL_KERNEL_CS;
	g->ist = ist;
	g->type_attr = GATE_INTERRUPT_PRESENT;
	g->offset_mid = (handler >> 16) & 0xffff;
	g->offset_hi = handler >> 32;
	g->reserved = 0;
}

void desc_build_idt(void)
{
	for (unsigned v = 0; v < 256; v++) {
		bool critical = v == EXC_DF || v == EXC_MC;

		idt_set(v, (uint64_t)x86_vector_stubs + v * VECTOR_STUB_SIZE,
			critical       ? IST_CRITICAL
			: v == EXC_DB  ? IST_DEBUG
			: v == EXC_NMI ? IST_NMI
				       : 0);
	}
}

static void load_idt(void)
{
	struct desc_ptr p = {sizeof(idt) - 1, (uint64_t)idt};

	__asm__ volatile("lidt %0" : : "m"(p));
}

/*
 * SDM Vol. 3A, 5.8.8: STAR, LSTAR, FMASK; EFER.SCE is set at boot.  SYSCALL
 * leaves RSP as the domain had it, so each CPU's LSTAR is a stub of its
 * own that knows its stack (entry.S).
 */
static void enable_syscall(const struct x86_cpu *xc)
{
	wrmsr(MSR_STAR, ((uint64_t)(SEL_USER_CS32 & ~3) << 48) |
				((uint64_t)SEL_KERNEL_CS << 32));
	wrmsr(MSR_LSTAR,
	      (uint64_t)x86_syscall_stubs + xc->id * SYSCALL_STUB_SIZE);
	/* Unreachable without a 32-bit code segment; a guest fault if not. */
	wrmsr(MSR_CSTAR,
	      (uint64_t)x86_compat_syscall_stubs + xc->id * SYSCALL_STUB_SIZE);
	wrmsr(MSR_SYSENTER_CS, 0); /* SYSENTER: #GP (SDM Vol. 2B) */
	wrmsr(MSR_FMASK, SYSCALL_FMASK);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE | EFER_NXE);
}

void desc_load_cpu(struct x86_cpu *xc)
{
	struct x86_cpu_block *b = (struct x86_cpu_block *)xc;
	struct tss64 *tss = &xc->tss;

	tss->rsp[0] = x86_cpu_stack_top(xc);
	tss->ist[IST_CRITICAL - 1] =
		(uint64_t)b->critical_stack + sizeof(b->critical_stack);
	tss->ist[IST_DEBUG - 1] =
		(uint64_t)b->debug_stack + sizeof(b->debug_stack);
	tss->ist[IST_NMI - 1] = (uint64_t)b->nmi_stack + sizeof(b->nmi_stack);
	tss->iomap_base = sizeof(*tss); /* no I/O bitmap: no ports in ring 3 */
	load_gdt_and_tss(xc);
	load_idt();
	enable_syscall(xc);
}
