# x86_64: what the arch adds to the generic image build (mk/hypervisor.mk):
# its flags, sources and linker script, its own test guest, its suites
# and its benches.  Included by the top Makefile when the board's
# BOARD_ARCH is x86_64 (docs/porting.md, "The build: what an arch.mk sets").
#
#   make suite-x86-selftest            in-QEMU platform self-test
#   make suite-x86-<name>              the other in-QEMU suites below
#   make bench-x86                     bench lines under -icount shift=0

ARCH_CFLAGS := $(X86_64_CFLAGS)
ARCH_ASFLAGS := --target=x86_64-unknown-elf
ARCH_LDSCRIPT := $(ARCH_DIR)/linker.ld
ARCH_LDFLAGS :=
# What starts the arch's own log lines ("x86: all domains stopped").
ARCH_LOG_PREFIX := x86

# The arch's sources; the generic ones are HV_GENERIC_SRCS
# (mk/hypervisor.mk).
ARCH_SRCS := $(wildcard $(ARCH_DIR)/*.c $(ARCH_DIR)/*.S)
# The IOMMU drivers it links (drivers/iommu/vtd/driver.mk, included first).
ARCH_DRIVER_SRCS := $(VTD_SRCS) drivers/iommu/vtd/vtd_glue.c
# The test-only hypercall (asm/testop.h), and its refusal in other images.
ARCH_TESTOP_SRCS := $(ARCH_DIR)/test/testop.c
ARCH_NOTEST_SRCS := $(ARCH_DIR)/test/notest.c

# The platform's own test guest, x86-selftest (freestanding, no newlib).
include guests/x86_64/selftest/selftest.mk

# Each suite boots one system under QEMU (call qemu_run, mk/hypervisor.mk),
# the serial log in $(HV_BUILD)/<suite>.log, and judges the log.
# (The command line is suite-x86-uefi's too, through grub.cfg.)
X86_SELFTEST_APPEND := paddock.test=heap
suite-x86-selftest: $(HV_BUILD)/x86-selftest/paddock.elf | $(DEPS_STAMP)
	-QEMU_APPEND="$(X86_SELFTEST_APPEND)" $(call qemu_run,$<,$(HV_BUILD)/x86-selftest.log) >/dev/null
	$(JUDGE) $(HV_BUILD)/x86-selftest.log
ARCH_SUITES += x86-selftest

suite-x86-guests: $(HV_BUILD)/guests/paddock.elf | $(DEPS_STAMP)
	-$(call qemu_run,$<,$(HV_BUILD)/guests.log) >/dev/null
	$(JUDGE) $(HV_BUILD)/guests.log
ARCH_SUITES += x86-guests

# The UEFI path a server takes (docs/x86.md, "Booting from UEFI"): OVMF
# starts GRUB for x86_64-efi from an EFI system partition
# (scripts/grub-efi-esp.sh), and GRUB boots the image with `multiboot2`
# and the same command line its -kernel suite gives.  Both systems of the
# suites above, each judged as there, and each log must also show that
# the Multiboot2 path ran: the boot line (memory map from the EFI tag 17,
# RSDP from tag 15, the XSDT; a fall back to Multiboot v1 or to the BIOS
# scan fails it), the firmware's runtime regions seen as such, a low page
# below 1 MiB kept for the APs, and the boot-time check of the heap, the
# domain pool and the low page against the map.
# The self-test run also moves the ACPI tables above 4 GiB
# (paddock.test=acpi-high, acpi_high.c; -m 3G puts 1 GiB of RAM there)
# and must read the MADT, MCFG and DMAR from there.
X86_UEFI := $(HV_BUILD)/x86-uefi
X86_UEFI_PROOF := \
	"^x86: boot: multiboot2 from \"GRUB [^\"]*\", memory map from tag 17 \(EFI\), .* RSDP from multiboot2 tag 15, XSDT[[:space:]]*$$" \
	"^x86:   [0-9a-f]+-[0-9a-f]+ firmware runtime " \
	"^x86: memory: image .*, low page [1-9a-f][0-9a-f]{3,4}[[:space:]]*$$" \
	"^x86: memory: [0-9]+ claims checked against the [0-9]+ entries of the map: all in usable RAM, none overlapping"
X86_UEFI_HIGH := "^acpi: RSDP rev 2, XSDT at 1[0-9a-f]{8}[[:space:]]*$$" \
	"^acpi: APIC at 1[0-9a-f]{8}, " "^acpi: MCFG at 1[0-9a-f]{8}, " "^acpi: DMAR at 1[0-9a-f]{8}, "
$(X86_UEFI)/selftest.esp: $(HV_BUILD)/x86-selftest/paddock.elf scripts/grub-efi-esp.sh | $(DEPS_STAMP)
	@mkdir -p $(@D)
	bash scripts/grub-efi-esp.sh $< $@ "$(X86_SELFTEST_APPEND) paddock.test=acpi-high"
$(X86_UEFI)/guests.esp: $(HV_BUILD)/guests/paddock.elf scripts/grub-efi-esp.sh | $(DEPS_STAMP)
	@mkdir -p $(@D)
	bash scripts/grub-efi-esp.sh $< $@ ""
# $(1) = the run (its ESP), $(2) = more QEMU arguments: a fresh variable
# store, then the board's machine with its firmware, no -kernel.
x86_uefi_run = cp $(BOARD_OVMF_VARS) $(X86_UEFI)/$(1).vars && \
	$(call qemu_run,none,$(HV_BUILD)/x86-uefi-$(1).log,$(call BOARD_UEFI_ARGS,$(X86_UEFI)/$(1).esp,$(X86_UEFI)/$(1).vars) $(2)) >/dev/null
suite-x86-uefi: $(X86_UEFI)/selftest.esp $(X86_UEFI)/guests.esp | $(DEPS_STAMP)
	@$(call x86_uefi_run,selftest,-m 3G); \
	$(call x86_uefi_run,guests); \
	{ echo "== x86-selftest through OVMF, GRUB and multiboot2"; \
	  $(JUDGE) $(HV_BUILD)/x86-uefi-selftest.log $(X86_UEFI_PROOF) $(X86_UEFI_HIGH); \
	  echo "== guests through OVMF, GRUB and multiboot2"; \
	  $(JUDGE) $(HV_BUILD)/x86-uefi-guests.log $(X86_UEFI_PROOF); } | awk \
		'/^[0-9]+ passed, [0-9]+ failed$$/ { p += $$1; f += $$3; next } { print } \
		END { print p " passed, " f " failed"; exit f != 0 }'
ARCH_SUITES += x86-uefi

# Real DMA through VT-d and the domains' DMA tables (dmatest.c), with a
# synthetic RMRR (VT-d 8.4) for dma-rootport's edu that must be honoured.
# dma-bridged's two functions share one requester ID, so one PASID
# directory and, one PASID bound at a time, one leaf page at most: its
# summary row must say 1/1 (per requester ID), not one per function.
suite-x86-dma: $(HV_BUILD)/x86-dma/paddock.elf | $(DEPS_STAMP)
	-QEMU_APPEND="paddock.test=dma paddock.test=rmrr" $(call qemu_run,$<,$(HV_BUILD)/x86-dma.log) >/dev/null
	$(JUDGE) $(HV_BUILD)/x86-dma.log \
		"^0 +dma-rootport .* 1/1 +[0-9]+ ok" \
		"^1 +dma-bridged .* 1/1 +[0-9]+ ok"
ARCH_SUITES += x86-dma

# Real DMA through a bound PASID, proven from inside a domain
# (guests/tests/dma, a test image): one line per test, then the verdict.
suite-x86-dma-guest: $(HV_BUILD)/dma-guest/$(HV_IMAGE) | $(DEPS_STAMP)
	-$(call qemu_run,$<,$(HV_BUILD)/x86-dma-guest.log) >/dev/null
	$(JUDGE) $(HV_BUILD)/x86-dma-guest.log
ARCH_SUITES += x86-dma-guest

# The red team (guests/tests/{victim,attacker,referee}, a test image): an
# unprivileged attacker with a device of its own against a victim that
# holds PASIDs in every state and re-checks them throughout, refereed by
# a privileged domain (docs/guests.md, "The red team").
suite-x86-redteam: $(HV_BUILD)/x86-redteam/paddock.elf | $(DEPS_STAMP)
	-$(call qemu_run,$<,$(HV_BUILD)/x86-redteam.log) >/dev/null
	$(JUDGE) $(HV_BUILD)/x86-redteam.log
ARCH_SUITES += x86-redteam

# A domain's device writes data words into the interrupt window, one
# vector of every class (guests/tests/irqstorm), while two domains that
# never yield check their registers and PASIDs (guests/tests/irqvictim).
# The run must end with every domain as configured (a stopped timer hangs
# it: the timeout fails it), and the summary must count each vector as a
# stray interrupt, and the NMI, so that the attack is known to have landed.
# Vector 0 is sent too, but QEMU 7.2's local APIC never delivers it (seen,
# docs/x86.md), so it is not counted on.  Vector 0x7e is the storm's
# parting shot, left running as it powers off: the teardown quiesced its
# device, so it must never arrive (the linger domain runs past its moment).
# The timer's own vector 0x40 is sent six times but not required in the
# summary: a device's 0x40 pending in the local APIC together with the
# timer's expiry is one interrupt (the IRR has one bit per vector), which
# on a loaded host, where the vCPU thread is descheduled for longer than a
# timer period, can swallow every shot.  The run ending with every domain
# preempted as configured is what proves the timer survived them.
X86_IRQ_VECTORS := 01 02 03 06 08 0a 0b 0c 0d 0e 10 11 12 15 1d 1e \
	20 27 2f 80 91 a0 ff
suite-x86-irq: $(HV_BUILD)/x86-irq/paddock.elf | $(DEPS_STAMP)
	@$(call qemu_run,$<,$(HV_BUILD)/x86-irq.log) >/dev/null; \
	rc=$$?; \
	judge=$$($(JUDGE) $(HV_BUILD)/x86-irq.log); \
	check=$$($(CHECK_LOG) $(HV_BUILD)/x86-irq.log $$rc 0 \
		$(foreach v,$(X86_IRQ_VECTORS),"^x86: stray interrupt vector 0x$(v): [1-9][0-9]* ") \
		"^x86: NMIs: [1-9][0-9]* ignored" \
		"!^x86: stray interrupt vector 0x7e:" \
		"^x86: 4 of 4 domains ended as expected"); \
	printf '%s\n%s\n' "$$judge" "$$check" | grep -v '^[0-9]* passed, [0-9]* failed$$'; \
	printf '%s\n%s\n' "$$judge" "$$check" | awk \
		'/^[0-9]+ passed, [0-9]+ failed$$/ { p += $$1; f += $$3 } \
		END { print p " passed, " f " failed"; exit f != 0 }'
ARCH_SUITES += x86-irq

# Boot-time refusals: every mistake of config/systems/x86-badconfig.c named.
suite-x86-badconfig: $(HV_BUILD)/x86-badconfig/paddock.elf | $(DEPS_STAMP)
	$(call qemu_run,$<,$(HV_BUILD)/x86-badconfig.log) >/dev/null; \
	$(CHECK_LOG) $(HV_BUILD)/x86-badconfig.log $$? 2 \
		"domain overlap: .pasid_range \[384, 639\] overlaps domain ranged" \
		"domain greedy: .pasid_quota 64 exceeds its .pasid_range" \
		"domain twice: .devices\[0\] 01:00.0 is already assigned to domain ranged" \
		"domain splitter: .devices\[0\] 02:02.0 splits isolation group [0-9]+ with domain ranged \(02:01.0\)" \
		"domain phantom: .devices\[0\] 07:00.0: no such device" \
		"domain huge: .mem_bytes 4096 MiB does not fit" \
		"x86: boot failed: configuration"
ARCH_SUITES += x86-badconfig

# An RMRR (VT-d 8.4) inside a domain's DMA window cannot be identity-
# mapped: the boot is refused, naming domain, device and range.
suite-x86-rmrr-refused: $(HV_BUILD)/x86-dma/paddock.elf | $(DEPS_STAMP)
	QEMU_APPEND="paddock.test=rmrr-overlap" $(call qemu_run,$<,$(HV_BUILD)/x86-rmrr-refused.log) >/dev/null; \
	$(CHECK_LOG) $(HV_BUILD)/x86-rmrr-refused.log $$? 2 \
		"x86: test: RMRR 401000-401fff injected for 01:00.0 of domain dma-rootport" \
		"x86: domain dma-rootport: device 01:00.0: RMRR 401000-401fff overlaps the domain's DMA window 400000-7fffff; it cannot be identity-mapped \(VT-d 8.4\): refused" \
		"x86: boot failed: domains"
ARCH_SUITES += x86-rmrr-refused

# A fault in hypervisor mode: register dump, then the machine stops.
suite-x86-hvfault: $(HV_BUILD)/paddock.elf | $(DEPS_STAMP)
	QEMU_APPEND="paddock.test=hv-fault" $(call qemu_run,$<,$(HV_BUILD)/x86-hvfault.log) >/dev/null; \
	$(CHECK_LOG) $(HV_BUILD)/x86-hvfault.log $$? 3 \
		"x86: HYPERVISOR FAULT: vector 6 \(#UD invalid opcode\) on cpu 0 \(APIC id 0\)" \
		"rip ffffffff8[0-9a-f]+  cs 0008" "rax [0-9a-f]{16} rbx" \
		"r13 [0-9a-f]{16} r14 [0-9a-f]{16} r15 [0-9a-f]{16} cr3" \
		"x86: halted; 0 other CPUs stopped"
ARCH_SUITES += x86-hvfault

# The same on a started CPU (cpus.c, once CPU 1 has its own descriptor
# tables and APIC): the dump names that CPU, and the boot CPU, running
# and waiting for it, is stopped by an NMI before the machine halts.
suite-x86-hvfault-ap: $(HV_BUILD)/paddock.elf | $(DEPS_STAMP)
	QEMU_APPEND="paddock.test=hv-fault-ap" $(call qemu_run,$<,$(HV_BUILD)/x86-hvfault-ap.log) >/dev/null; \
	$(CHECK_LOG) $(HV_BUILD)/x86-hvfault-ap.log $$? 3 \
		"x86: test: faulting in hypervisor mode on cpu 1" \
		"x86: HYPERVISOR FAULT: vector 6 \(#UD invalid opcode\) on cpu 1 \(APIC id 1\)" \
		"rip ffffffff8[0-9a-f]+  cs 0008" \
		"x86: halted; 1 other CPUs stopped" \
		"!x86: cpu 1 \(APIC id 1\) online"
ARCH_SUITES += x86-hvfault-ap

# The physmap is no-execute: running our own code through it faults
# (#PF with the instruction-fetch bit, SDM Vol. 3A, 4.7).
suite-x86-hvnx: $(HV_BUILD)/paddock.elf | $(DEPS_STAMP)
	QEMU_APPEND="paddock.test=hv-nx" $(call qemu_run,$<,$(HV_BUILD)/x86-hvnx.log) >/dev/null; \
	$(CHECK_LOG) $(HV_BUILD)/x86-hvnx.log $$? 3 \
		"x86: test: executing through the physmap" \
		"x86: HYPERVISOR FAULT: vector 14 \(#PF page fault\)" \
		"rip ffff8000[0-9a-f]{8}  cs 0008" \
		"error 0000000000000011  cr2 ffff8000[0-9a-f]{8}"
ARCH_SUITES += x86-hvnx

# One CPU (-smp 1 after the board's -smp 4 wins): under -icount QEMU runs
# every CPU in one thread by turns, which would count the others' boot in
# the boot times.
bench-x86: $(HV_BUILD)/x86-bench/paddock.elf | $(DEPS_STAMP)
	@QEMU_ICOUNT=1 $(call qemu_run,$<,$(HV_BUILD)/x86-bench.log,-smp 1) >/dev/null || \
		{ tail -n 30 $(HV_BUILD)/x86-bench.log; exit 1; }
	@grep -a '^\(\[[^]]*\] \)\?bench: ' $(HV_BUILD)/x86-bench.log | sed 's/^\[[^]]*\] //' | \
		grep -v '^bench: vtd\.table_pages'
BENCHES += bench-x86

# The demo's PASID-table footprint at its largest, beside the format's
# minimum for the entries present then (printed at the end of its run).
bench-x86-demo: $(HV_BUILD)/paddock.elf | $(DEPS_STAMP)
	@$(call qemu_run,$<,$(HV_BUILD)/bench-demo.log) >/dev/null || \
		{ tail -n 30 $(HV_BUILD)/bench-demo.log; exit 1; }
	@grep -a '^bench: vtd\.table_pages' $(HV_BUILD)/bench-demo.log
BENCHES += bench-x86-demo

.PHONY: suite-x86-selftest suite-x86-guests suite-x86-uefi suite-x86-dma suite-x86-dma-guest \
	suite-x86-redteam suite-x86-irq suite-x86-badconfig \
	suite-x86-rmrr-refused suite-x86-hvfault suite-x86-hvfault-ap \
	suite-x86-hvnx bench-x86 \
	bench-x86-demo

# The SMP proof, the same as suite-aarch64-smp (config/systems/smp.c;
# docs/testing.md, "The SMP suites"), and the SMP bench (bench-smp,
# mk/hypervisor.mk), on the application processors cpus.c starts.
suite-x86-smp: $(HV_BUILD)/smp/paddock.elf | $(DEPS_STAMP)
	-$(call qemu_run,$<,$(HV_BUILD)/x86-smp.log,-smp 4) >/dev/null
	$(SMP_JUDGE) $(HV_BUILD)/x86-smp.log 4
ARCH_SUITES += x86-smp
BENCHES += bench-smp
.PHONY: suite-x86-smp
