/* SPDX-License-Identifier: MIT */
/*
 * The GICv3 (Arm GIC Architecture Specification IHI 0069 H): only what
 * the slice timer needs.  Every SPI stays disabled: no device interrupt
 * reaches a domain, and the hypervisor polls the IOMMU's fault records on
 * each tick.  Domains never touch the GIC: its registers are not mapped
 * at stage 2, and with HCR_EL2.IMO their ICC_* accesses go to the
 * virtual interface, which ICH_HCR_EL2 makes trap (12.5.10).
 */
#include <paddock/hypercall.h>
#include <paddock/system.h>
#include <asm/devices.h>
#include <asm/sysreg.h>

/* 12.9 distributor registers. */
#define GICD_CTLR	 0x0000
#define GICD_TYPER	 0x0004
#define GICD_ICENABLER	 0x0180
#define GICD_CTLR_RWP	 (1u << 31)
#define GICD_CTLR_ARE_NS (1u << 4) /* ARE with one security state */
#define GICD_CTLR_GRP1	 (1u << 1)
/* 12.10 redistributor registers (RD_base, then SGI_base at +64 KiB). */
#define GICR_TYPER	  0x0008
#define GICR_WAKER	  0x0014
#define GICR_WAKER_SLEEP  (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)
#define GICR_TYPER_LAST	  (1ull << 4)
#define GICR_TYPER_VLPIS  (1ull << 1)
#define GICR_SGI	  0x10000
#define GICR_IGROUPR0	  0x0080
#define GICR_ISENABLER0	  0x0100
#define GICR_ICENABLER0	  0x0180
#define GICR_IPRIORITYR	  0x0400
/* 12.5.10 ICH_HCR_EL2: TC (10), TALL0 (11), TALL1 (12): every EL1
 * access to the virtual CPU interface traps.  12.2.11 ICC_SRE_EL2: SRE,
 * DFB, DIB, and Enable clear so EL1 accesses to ICC_SRE_EL1 trap. */
#define ICH_HCR_TRAP_ALL ((1u << 10) | (1u << 11) | (1u << 12))
#define ICC_SRE_EL2_VAL	 0x7u
#define TIMER_PRIORITY	 0x80

static volatile uint8_t *gicd;
static uint64_t gicr_base, gicr_size;
static unsigned timer_ppi;

static uint32_t r32(volatile uint8_t *b, unsigned off)
{
	return *(volatile uint32_t *)(b + off);
}

static void w32(volatile uint8_t *b, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(b + off) = v;
}

static bool wait_clear(volatile uint8_t *b, unsigned off, uint32_t bit)
{
	for (unsigned i = 0; i < 1000000; i++) {
		if (!(r32(b, off) & bit))
			return true;
	}
	return false;
}

/* 12.10.28 GICR_TYPER.Affinity_Value against this CPU's MPIDR. */
static volatile uint8_t *find_redistributor(uint64_t base, uint64_t size)
{
	/* Each CPU finds its own: the frames are per CPU (12.10). */
	uint64_t mpidr = read_sysreg(mpidr_el1);
	uint32_t aff =
		(uint32_t)((mpidr & 0xffffff) | ((mpidr >> 8) & 0xff000000));

	for (uint64_t off = 0; off + 0x20000 <= size;) {
		volatile uint8_t *frame =
			(volatile uint8_t *)(uintptr_t)(base + off);
		uint64_t typer = *(volatile uint64_t *)(frame + GICR_TYPER);

		if ((uint32_t)(typer >> 32) == aff)
			return frame;
		if (typer & GICR_TYPER_LAST)
			break;
		off += typer & GICR_TYPER_VLPIS ? 0x40000 : 0x20000;
	}
	return NULL;
}

static void distributor_init(void)
{
	unsigned lines = 32 * ((r32(gicd, GICD_TYPER) & 0x1f) + 1);

	w32(gicd, GICD_CTLR, 0);
	wait_clear(gicd, GICD_CTLR, GICD_CTLR_RWP);
	for (unsigned i = 32; i < lines; i += 32)
		w32(gicd, GICD_ICENABLER + i / 8, 0xffffffff);
	w32(gicd, GICD_CTLR, GICD_CTLR_ARE_NS | GICD_CTLR_GRP1);
	wait_clear(gicd, GICD_CTLR, GICD_CTLR_RWP);
}

static void cpu_interface_init(void)
{
	write_sysreg(S3_4_C12_C9_5, ICC_SRE_EL2_VAL); /* ICC_SRE_EL2 */
	isb();
	write_sysreg(S3_0_C4_C6_0, 0xff); /* ICC_PMR_EL1: all */
	write_sysreg(S3_0_C12_C12_3, 0);  /* ICC_BPR1_EL1 */
	write_sysreg(S3_0_C12_C12_4, 0);  /* ICC_CTLR_EL1: EOImode 0 */
	write_sysreg(S3_0_C12_C12_7, 1);  /* ICC_IGRPEN1_EL1 */
	write_sysreg(S3_4_C12_C11_0, ICH_HCR_TRAP_ALL); /* ICH_HCR_EL2 */
	isb();
}

/* The calling CPU's redistributor: awake, every PPI and SGI off but the
 * slice timer's; then its CPU interface. */
int gic_cpu_init(void)
{
	volatile uint8_t *rd = find_redistributor(gicr_base, gicr_size);
	volatile uint8_t *sgi;

	if (!rd)
		return -1;
	w32(rd, GICR_WAKER, r32(rd, GICR_WAKER) & ~GICR_WAKER_SLEEP);
	if (!wait_clear(rd, GICR_WAKER, GICR_WAKER_ASLEEP)) {
		hv_printf("arm64: GICv3: the redistributor does not wake\n");
		return -1;
	}
	sgi = rd + GICR_SGI;
	w32(sgi, GICR_ICENABLER0, 0xffffffff);
	w32(sgi, GICR_IGROUPR0, 0xffffffff);
	sgi[GICR_IPRIORITYR + timer_ppi] = TIMER_PRIORITY;
	w32(sgi, GICR_ISENABLER0, 1u << timer_ppi);
	cpu_interface_init();
	return 0;
}

int gic_init(uint64_t gicd_base, uint64_t redist_base, uint64_t redist_size,
	     unsigned timer_intid)
{
	gicd = (volatile uint8_t *)(uintptr_t)gicd_base;
	gicr_base = redist_base;
	gicr_size = redist_size;
	timer_ppi = timer_intid;
	if (timer_intid < 16 || timer_intid > 31) {
		hv_printf("arm64: GICv3: the timer's interrupt is not a "
			  "PPI\n");
		return -1;
	}
	distributor_init();
	if (gic_cpu_init()) {
		hv_printf("arm64: GICv3: no redistributor for this CPU\n");
		return -1;
	}
	return 0;
}

unsigned gic_ack(void)
{
	unsigned intid = (unsigned)read_sysreg(S3_0_C12_C12_0) & 0xffffff;

	dsb_sy();
	return intid;
}

void gic_eoi(unsigned intid)
{
	write_sysreg(S3_0_C12_C12_1, intid); /* ICC_EOIR1_EL1 */
	isb();
}
