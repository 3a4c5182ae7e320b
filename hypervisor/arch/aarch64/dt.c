/* TEMPORARY: QEMU virt constants until the DT reader lands. */
#include <paddock/system.h>
#include <asm/devices.h>
#include <asm/platform.h>
#include <config/config.h>

int arm_discover(uint64_t dtb_phys, struct arm_platform *p)
{
	*p = (struct arm_platform){0};
	p->ram[0] = (struct arm_range){0x40000000, 512ull << 20};
	p->nram = 1;
	p->reserved[0] = (struct arm_range){dtb_phys & ~0xfffull, 0x100000};
	p->nreserved = 1;
	p->uart = (struct arm_range){0x09000000, 0x1000};
	p->gicd = (struct arm_range){0x08000000, 0x10000};
	p->gicr = (struct arm_range){0x080a0000, 0xf60000};
	p->timer_hyp_intid = 26;
	p->psci_smc = true;
	p->have_psci = true;
	p->ecam = (struct arm_range){0x4010000000ull, 0x10000000};
	p->bus_first = 0;
	p->bus_last = 255;
	p->pci_mmio32 = (struct arm_range){0x10000000, 0x2eff0000};
	p->pci_mmio32_bus = 0x10000000;
	p->smmu = (struct arm_range){0x09050000, 0x20000};
	pl011_init(p->uart.base);
	return 0;
}
