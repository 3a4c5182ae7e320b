/* SPDX-License-Identifier: MIT */
/*
 * irqstorm: a domain that owns a DMA-capable device attacks the CPU's
 * interrupt entry (issue 7, section 1; suite-x86-irq).
 *
 * A device write to 0xFEE00000-0xFEEFFFFF is an interrupt request, not
 * memory (Intel SDM Vol. 3A, 11.11 "Message Signalled Interrupts"; VT-d
 * 3.14 / 5.1): the data word picks the vector (bits 7:0), the delivery
 * mode (10:8) and the trigger mode (15).  QEMU 7.2's intel-iommu sends an
 * untagged write there to its interrupt window before any translation, and
 * passes a compatibility-format request (address bit 4 clear) on as an MSI
 * even with interrupt remapping on (docs/x86.md, "External interrupts and
 * exceptions").  So this domain can make the CPU take any vector it likes,
 * while whichever domain happens to run is interrupted.
 *
 * edu (QEMU hw/misc/edu.c; docs/guests.md) does it: every data word is
 * first copied from our memory into the device's buffer (RAM -> device,
 * through our bound PASID, steered to with the test-only STEER), then each
 * word is written, 4 bytes, device -> RAM to 0xFEE00000.  One DMA runs
 * 100 ms of virtual time after its command; when the device reports it
 * done, the interrupt has been posted to the local APIC.
 *
 * The vectors cover every class the CPU's entry must tell apart: exception
 * vectors without an error code (0, 1 on the #DB IST stack, 3, 6), with
 * one (8 on the #DF IST stack, 10-14, 17, 21, 29, 30), NMI's vector 2 and
 * #MC's 18 (IST gates), the legacy PIC's range, the APIC timer's vector,
 * unused vectors in other delivery and trigger modes, 0xFF (the APIC's
 * spurious vector) and a delivery-mode NMI.  INIT, SMI and ExtINT are left
 * out on purpose: INIT resets the CPU under QEMU (only interrupt remapping
 * on hardware can stop that; docs/x86.md).
 *
 * What must hold is checked elsewhere: this domain, and the victims
 * (irqvictim) that spin and make hypercalls meanwhile, end as configured,
 * the timer keeps preempting, and the hypervisor's end-of-run summary
 * counts each vector as a stray interrupt (suite-x86-irq's log checks).
 * Here: every DMA completes and the device still copies correctly after.
 */
#include <string.h>

#include "edu.h"
#include "pasid_check.h"

/* Where the data words sit in the device's 4 KiB buffer, well inside it
 * (an edu range reaching the buffer's last byte aborts QEMU 7.2). */
#define WORDS_OFF   0x100ull
#define CHECK_OFF   0x800ull
#define CHECK_BYTES 64u
#define MAX_XFER    0x400u
/* The interrupt window (compatibility format, destination APIC ID 0). */
#define MSI_ADDR 0xfee00000ull

/* MSI data word (SDM Vol. 3A, 11.11.2, Figure 11-25). */
#define DM_FIXED      (0u << 8)
#define DM_LOWEST     (1u << 8)
#define DM_NMI	      (4u << 8)
#define TRIGGER_LEVEL ((1u << 15) | (1u << 14)) /* level, asserted */

enum irq_class {
	EXC_NO_ERROR,
	EXC_ERROR,
	IST_GATE,
	PIC_RANGE,
	TIMER_VECTOR,
	UNUSED,
	NMI_MODE,
	PARTING, /* left running as we power off: must never arrive */
};

static const struct shot {
	uint32_t word;
	enum irq_class cls;
} shots[] = {
	{0x00, EXC_NO_ERROR}, /* #DE: QEMU 7.2 never delivers 0 */
	{0x03, EXC_NO_ERROR}, /* #BP */
	{0x06, EXC_NO_ERROR}, /* #UD: was the running domain's death */
	{0x10, EXC_NO_ERROR}, /* #MF */
	{0x08, EXC_ERROR},    /* #DF: halted the machine */
	{0x0a, EXC_ERROR},    /* #TS */
	{0x0b, EXC_ERROR},    /* #NP */
	{0x0c, EXC_ERROR},    /* #SS */
	{0x0d, EXC_ERROR},    /* #GP */
	{0x0e, EXC_ERROR},    /* #PF */
	{0x11, EXC_ERROR},    /* #AC */
	{0x15, EXC_ERROR},    /* #CP */
	{0x1d, EXC_ERROR},    /* #VC */
	{0x1e, EXC_ERROR},    /* #SX */
	{0x01, IST_GATE},     /* #DB's gate, IST_DEBUG */
	{0x02, IST_GATE},     /* NMI's gate, fixed delivery */
	{0x12, IST_GATE},     /* #MC's gate */
	{0x20, PIC_RANGE},    /* PIC IRQ 0 */
	{0x27, PIC_RANGE},    /* PIC IRQ 7 */
	{0x2f, PIC_RANGE},    /* PIC IRQ 15 */
	/* VEC_TIMER, six times: a device's 0x40 that comes just as the
	 * timer runs out is taken for the timer's own tick (docs/x86.md),
	 * about one in six of them under QEMU, so one alone might not
	 * show. */
	{0x40, TIMER_VECTOR},
	{0x40, TIMER_VECTOR},
	{0x40, TIMER_VECTOR},
	{0x40, TIMER_VECTOR},
	{0x40, TIMER_VECTOR},
	{0x40, TIMER_VECTOR},
	{0x80, UNUSED},			/* above the timer: blocked it */
	{0x91 | DM_LOWEST, UNUSED},	/* lowest-priority delivery */
	{0xa0 | TRIGGER_LEVEL, UNUSED}, /* level triggered */
	{0xff, UNUSED},			/* the APIC's spurious vector */
	{0x02 | DM_NMI, NMI_MODE},	/* a non-maskable interrupt */
	{0x7e, PARTING}, /* an unused vector, after our teardown */
};

#define NSHOTS (sizeof(shots) / sizeof(shots[0]))
_Static_assert(NSHOTS * 4 <= MAX_XFER, "the words fit one DMA");

static volatile uint8_t *mmio;
static uint32_t dev, pasid;
static int uploaded;
static uint32_t words[NSHOTS] __attribute__((aligned(4096)));
static uint8_t page[2][4096] __attribute__((aligned(4096)));

static uint64_t gaddr(const volatile void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* RAM -> device -> RAM through the steered PASID lands to the byte. */
static int round_trip(uint8_t seed)
{
	uint8_t *src = page[0], *dst = page[1];

	for (unsigned i = 0; i < CHECK_BYTES; i++)
		src[i] = (uint8_t)(seed ^ (i * 7));
	memset(dst, 0, sizeof(page[1]));
	if (edu_dma(mmio, gaddr(src), EDU_BUF + CHECK_OFF, CHECK_BYTES, 0) ||
	    edu_dma(mmio, EDU_BUF + CHECK_OFF, gaddr(dst), CHECK_BYTES, 1))
		return -1;
	return memcmp(src, dst, CHECK_BYTES) ? -1 : 0;
}

TEST(irqstorm, device_steered_to_a_bound_pasid)
{
	const struct paddock_start_info *si = paddock_start_info;
	struct pasid_why why;

	ASSERT_GE(si->ndevices, 1);
	ASSERT_NE(si->dev_mmio[0], 0);
	dev = si->devices[0];
	mmio = (volatile uint8_t *)(uintptr_t)si->dev_mmio[0];
	ASSERT_EQ(*(volatile uint32_t *)mmio, EDU_ID_VALUE);
	ASSERT_OK(pasid_alloc(&pasid, &why), &why);
	ASSERT_OK(pasid_bind(pasid, dev, PADDOCK_BIND_SECOND_LEVEL, 0, &why),
		  &why);
	ASSERT_EQ(HYPERVISOR_paddock_test_op(PADDOCK_TEST_STEER, dev, pasid),
		  0);
	EXPECT_EQ(round_trip(0x5a), 0);
}

/* Every data word into the device's buffer at once, and read back. */
TEST(irqstorm, words_uploaded_to_the_device)
{
	uint8_t *back = page[1];

	ASSERT_TRUE(mmio != NULL);
	for (unsigned i = 0; i < NSHOTS; i++)
		words[i] = shots[i].word;
	ASSERT_EQ(edu_dma(mmio, gaddr(words), EDU_BUF + WORDS_OFF,
			  sizeof(words), 0),
		  0);
	memset(back, 0, sizeof(page[1]));
	ASSERT_EQ(edu_dma(mmio, EDU_BUF + WORDS_OFF, gaddr(back), sizeof(words),
			  1),
		  0);
	ASSERT_EQ(memcmp(back, words, sizeof(words)), 0);
	uploaded = 1;
}

/*
 * Writes each word of the class to the interrupt window, one DMA each.
 * We run right after a timer tick (the victims never yield) and edu's DMA
 * runs 100 ms, rounded to a millisecond, after its command: commands
 * given at once would land at much the same point of the timer's period
 * each time.  Each waits a different part of a 2 ms slice first (by the
 * TSC, about 0.1 ms a step at 2.5 GHz; it need not be exact).
 */
static void fire_class(enum irq_class cls)
{
	ASSERT_TRUE(uploaded);
	for (unsigned i = 0; i < NSHOTS; i++) {
		uint64_t t0 = guest_cycles(), wait = (i * 5 % 16) * 250000ull;

		if (shots[i].cls != cls)
			continue;
		while (guest_cycles() - t0 < wait)
			;
		EXPECT_EQ(edu_dma(mmio, EDU_BUF + WORDS_OFF + 4 * i, MSI_ADDR,
				  4, 1),
			  0);
		/* The interrupt is posted when the DMA is done; let every
		 * domain run before the next one. */
		for (unsigned k = 0; k < 4; k++)
			paddock_yield();
		test_note("data word %#x written to %#lx", shots[i].word,
			  (unsigned long)MSI_ADDR);
	}
}

TEST(irqstorm, exception_vectors_without_error_code)
{
	fire_class(EXC_NO_ERROR);
}

TEST(irqstorm, exception_vectors_with_error_code)
{
	fire_class(EXC_ERROR);
}

TEST(irqstorm, vectors_of_ist_gates)
{
	fire_class(IST_GATE);
}

TEST(irqstorm, legacy_pic_vectors)
{
	fire_class(PIC_RANGE);
}

TEST(irqstorm, timer_vector)
{
	fire_class(TIMER_VECTOR);
}

TEST(irqstorm, unused_vectors_and_modes)
{
	fire_class(UNUSED);
}

TEST(irqstorm, nmi_delivery_mode)
{
	fire_class(NMI_MODE);
}

/* The storm harmed nothing of ours: the device and its PASID still work. */
TEST(irqstorm, device_still_copies_after_the_storm)
{
	struct pasid_why why;

	ASSERT_TRUE(mmio != NULL);
	EXPECT_EQ(round_trip(0xc3), 0);
	EXPECT_OK(pasid_unbind(pasid, dev, &why), &why);
	EXPECT_OK(pasid_free(pasid, &why), &why);
}

/*
 * The last word is written to the interrupt window by a DMA we start and
 * do not wait for: it runs 100 ms later, after this domain has powered
 * off, as a device outliving its domain would.  The teardown quiesces the
 * device (bus mastering off, context entry retired), so vector 0x7e must
 * never reach the CPU: suite-x86-irq fails if the summary counts it.  The
 * linger domain keeps domains running, interrupts on, past its moment.
 */
TEST(irqstorm, parting_shot_left_running)
{
	unsigned i = NSHOTS - 1;

	ASSERT_TRUE(uploaded);
	ASSERT_EQ(shots[i].cls, PARTING);
	edu_dma_start(mmio, EDU_BUF + WORDS_OFF + 4 * i, MSI_ADDR, 4, 1);
	test_note("data word %#x left on its way to %#lx", shots[i].word,
		  (unsigned long)MSI_ADDR);
}
