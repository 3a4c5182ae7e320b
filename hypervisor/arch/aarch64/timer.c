/* SPDX-License-Identifier: MIT */
/*
 * The slice timer: the EL2 physical timer (Arm ARM D11.2.4, CNTHP_*),
 * whose PPI the device tree names.  A domain cannot reach it: its
 * registers are EL2's, and its interrupt is taken to EL2 whatever the
 * domain's PSTATE.I says (HCR_EL2.IMO, D1.3.6).
 */
#include <asm/devices.h>
#include <asm/sysreg.h>

#define CNT_ENABLE (1u << 0)
#define CNT_IMASK  (1u << 1)

static uint64_t slice_ticks;

uint64_t timer_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

uint64_t timer_counter(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

void timer_start(unsigned us)
{
	slice_ticks = timer_freq() * us / 1000000;
	if (!slice_ticks)
		slice_ticks = 1;
	timer_rearm();
}

void timer_rearm(void)
{
	write_sysreg(cnthp_tval_el2, slice_ticks);
	write_sysreg(cnthp_ctl_el2, CNT_ENABLE);
	isb();
}

void timer_stop(void)
{
	write_sysreg(cnthp_ctl_el2, CNT_IMASK);
	isb();
}
