# aarch64: what the arch adds to the generic image build (mk/hypervisor.mk):
# its flags, sources and linker script, its suites and its benches.
# Included by the top Makefile when the board's BOARD_ARCH is aarch64
# (docs/porting.md, "The build: what an arch.mk sets").
#
#   make suite-arm64-<name> PLATFORM=qemu-aarch64   the in-QEMU suites
#   make bench-arm64 PLATFORM=qemu-aarch64          bench lines (icount)

# -mgeneral-regs-only: EL2 never touches FP/SIMD registers, which hold the
# running domain's values (sched.c switches them).  -mstrict-align: before
# the MMU is on every access is a Device access, where unaligned ones
# fault.  -fpie: the image runs wherever the loader put it (boot.S).
ARCH_CFLAGS := $(filter-out -fno-pic,$(AARCH64_CFLAGS)) -mgeneral-regs-only \
	-mstrict-align -fpie -fvisibility=hidden -fomit-frame-pointer
ARCH_ASFLAGS := --target=aarch64-none-elf
ARCH_LDSCRIPT := $(ARCH_DIR)/linker.ld
ARCH_LDFLAGS := -pie --no-dynamic-linker -z notext -z norelro
ARCH_LOG_PREFIX := arm64

ARCH_SRCS := $(wildcard $(ARCH_DIR)/*.c $(ARCH_DIR)/*.S)
# The IOMMU driver it links (drivers/iommu/smmuv3/driver.mk).
ARCH_DRIVER_SRCS := $(SMMUV3_SRCS)
ARCH_TESTOP_SRCS := $(ARCH_DIR)/test/testop.c $(SMMUV3_TESTOP_SRCS)
ARCH_NOTEST_SRCS := $(ARCH_DIR)/test/notest.c

# The platform's own test guest, arm64-selftest (guests/aarch64/selftest).
include guests/aarch64/selftest/selftest.mk

# Each suite boots one system under QEMU (call qemu_run, mk/hypervisor.mk),
# the serial log in $(HV_BUILD)/<suite>.log, and judges the log.

# The platform self-test and red team: every fault-* domain must die for
# its own reason, named; the heap self-check runs at boot.
ARM64_FAULT_REASONS := \
	"fault-smc\) crashed: SMC \#0 .*: a domain never reaches the firmware" \
	"fault-sysreg\) crashed: read of system register S3_3_C9_C12_0 " \
	"fault-timer\) crashed: write of system register S3_3_C14_C2_1 " \
	"fault-gic-sysreg\) crashed: write of system register S3_0_C4_C6_0 " \
	"fault-gic-mmio\) crashed: data abort at IPA 8000000 .*write" \
	"fault-hv\) crashed: data abort at IPA [0-9a-f]+ .*write.*not its memory" \
	"fault-other\) crashed: data abort at IPA [0-9a-f]+ .*write.*not its memory" \
	"fault-text\) crashed: data abort at IPA 40[0-9a-f]{8} .*write, FSC 0xf" \
	"fault-udf\) crashed: undefined instruction at EL1 " \
	"fault-pc-align\) crashed: PC alignment fault at EL1 " \
	"fault-eret\) crashed: illegal exception return at EL1 " \
	"fault-pauth\) crashed: pointer authentication " \
	"fault-sve\) crashed: SVE access at EL1 " \
	"^\[selftest\] 7 passed, 0 failed" \
	"^HEAP TEST PASS "
suite-arm64-selftest: $(HV_BUILD)/arm64-selftest/$(HV_IMAGE) | $(DEPS_STAMP)
	-QEMU_APPEND="paddock.test=heap" $(call qemu_run,$<,$(HV_BUILD)/arm64-selftest.log) >/dev/null
	$(JUDGE) $(HV_BUILD)/arm64-selftest.log $(ARM64_FAULT_REASONS)
ARCH_SUITES += arm64-selftest

# Every test guest of guests/tests/, as on x86_64 (config/systems/guests.c).
suite-arm64-guests: $(HV_BUILD)/guests/$(HV_IMAGE) | $(DEPS_STAMP)
	-$(call qemu_run,$<,$(HV_BUILD)/guests.log) >/dev/null
	$(JUDGE) $(HV_BUILD)/guests.log
ARCH_SUITES += arm64-guests

# Real DMA through the SMMUv3 and a bound PASID, proven from inside a
# domain (guests/tests/dma and dmavictim, config/systems/dma-guest.c, a
# test image), the same suite as x86_64's.
suite-arm64-dma-guest: $(HV_BUILD)/dma-guest/$(HV_IMAGE) | $(DEPS_STAMP)
	-$(call qemu_run,$<,$(HV_BUILD)/arm64-dma-guest.log) >/dev/null
	$(JUDGE) $(HV_BUILD)/arm64-dma-guest.log
ARCH_SUITES += arm64-dma-guest

# A fault at EL2: register dump, then the machine stops with status 3.
suite-arm64-hvfault: $(HV_BUILD)/$(HV_IMAGE) | $(DEPS_STAMP)
	QEMU_APPEND="paddock.test=hv-fault" $(call qemu_run,$<,$(HV_BUILD)/arm64-hvfault.log) >/dev/null; \
	$(CHECK_LOG) $(HV_BUILD)/arm64-hvfault.log $$? 3 \
		"arm64: test: faulting in hypervisor mode" \
		"arm64: HYPERVISOR FAULT: undefined instruction \(ESR_EL2 EC 0x0\)" \
		"elr [0-9a-f]{16}  spsr" "x28 [0-9a-f]{16} x29 [0-9a-f]{16} x30" \
		"arm64: halted"
ARCH_SUITES += arm64-hvfault

# The lab's path: U-Boot from the board's firmware finds boot.scr on a
# disk (scripts/uboot-disk.sh), loads the Image and starts it with booti
# at EL2, passing the command line through /chosen; the self-test must
# then pass exactly as with -kernel.
$(HV_BUILD)/aarch64-uboot.img: $(HV_BUILD)/arm64-selftest/$(HV_IMAGE) scripts/uboot-disk.sh | $(DEPS_STAMP)
	bash scripts/uboot-disk.sh $< $@ "paddock.test=heap"
suite-aarch64-uboot: $(HV_BUILD)/aarch64-uboot.img | $(DEPS_STAMP)
	-$(call qemu_run,none,$(HV_BUILD)/aarch64-uboot.log,-bios $(BOARD_UBOOT) \
		$(call BOARD_BOOT_DISK_ARGS,$<)) >/dev/null
	$(JUDGE) $(HV_BUILD)/aarch64-uboot.log "^Found U-Boot script /boot.scr" \
		"^Starting kernel" "^arm64: booted at EL2" \
		"^arm64: entered with the MMU and the D-cache off" $(ARM64_FAULT_REASONS)
ARCH_SUITES += aarch64-uboot

# The server's path: UEFI firmware (AAVMF) finds the Image as
# \EFI\BOOT\BOOTAA64.EFI on an EFI system partition (scripts/efi-esp.sh)
# and starts it as an EFI application; the EFI stub reads the command line
# from paddock.cfg beside it, exits boot services and enters the Image at
# EL2 with the firmware's tree.  The self-test must pass exactly as with
# -kernel, and the log must show the stub ran with the tree from the
# configuration table and the hypervisor took its hand-off: a run started
# any other way fails.  scripts/efi-ranges.sh then checks, from the log
# alone, that the image, the heap and the domain pool stay outside every
# range the firmware keeps; its verdict line is appended to the log.
UEFI_STUB_LINES := \
	"^Paddock EFI stub: firmware EDK II rev [0-9a-f]+ \(UEFI 2\.[0-9]+\) at EL2, device tree from the EFI configuration table at [0-9a-f]+" \
	"^arm64: started by the EFI stub: firmware EDK II .*device tree from the EFI configuration table" \
	"^arm64: entered with the MMU and the D-cache off" \
	"^arm64: EFI boot services exited: the system table has no boot services" \
	"^arm64: EFI memory map: [1-9][0-9]* ranges the firmware keeps" \
	"^arm64:   [0-9a-f]{16}-[0-9a-f]{16} runtime services (code|data)" \
	"^efi-ranges: image, heap and domain pool are outside all [0-9]+ ranges"
# $(1) = suite, $(2) = its ESP, $(3) = more QEMU arguments: boots AAVMF
# with a private copy of its variable store.
uefi_run = cp $(BOARD_AAVMF_VARS) $(HV_BUILD)/$(1).vars && \
	$(call qemu_run,none,$(HV_BUILD)/$(1).log,$(call BOARD_UEFI_ARGS,$(HV_BUILD)/$(1).vars,$(2)) $(3))
$(HV_BUILD)/aarch64-uefi.esp: $(HV_BUILD)/arm64-selftest/$(HV_IMAGE) scripts/efi-esp.sh | $(DEPS_STAMP)
	bash scripts/efi-esp.sh $< $@ "paddock.test=heap"
suite-aarch64-uefi: $(HV_BUILD)/aarch64-uefi.esp | $(DEPS_STAMP)
	-$(call uefi_run,aarch64-uefi,$<) >/dev/null
	-bash scripts/efi-ranges.sh $(HV_BUILD)/aarch64-uefi.log >>$(HV_BUILD)/aarch64-uefi.log
	$(JUDGE) $(HV_BUILD)/aarch64-uefi.log $(UEFI_STUB_LINES) \
		"^Paddock EFI stub: command line from [\]EFI[\]BOOT[\]paddock\.cfg: paddock\.test=heap" \
		"^arm64: booted at EL2" $(ARM64_FAULT_REASONS)
ARCH_SUITES += aarch64-uefi

# The same through the UEFI shell, as a boot entry with options would: the
# Image elsewhere on the partition, run by startup.nsh, so its command line
# comes as the load options.
$(HV_BUILD)/aarch64-uefi-shell.esp: $(HV_BUILD)/arm64-selftest/$(HV_IMAGE) scripts/efi-esp.sh | $(DEPS_STAMP)
	bash scripts/efi-esp.sh $< $@ "paddock.test=heap" /EFI/paddock/paddock.efi
suite-aarch64-uefi-shell: $(HV_BUILD)/aarch64-uefi-shell.esp | $(DEPS_STAMP)
	-$(call uefi_run,aarch64-uefi-shell,$<) >/dev/null
	-bash scripts/efi-ranges.sh $(HV_BUILD)/aarch64-uefi-shell.log >>$(HV_BUILD)/aarch64-uefi-shell.log
	$(JUDGE) $(HV_BUILD)/aarch64-uefi-shell.log $(UEFI_STUB_LINES) \
		"^Paddock EFI stub: command line from the load options: FS0:[\]EFI[\]paddock[\]paddock\.efi paddock\.test=heap" \
		$(ARM64_FAULT_REASONS)
ARCH_SUITES += aarch64-uefi-shell

# What the stub refuses, on the firmware's console, returning an error to
# the boot manager (which then starts the UEFI shell: its startup.nsh
# powers the machine off): firmware that publishes ACPI tables and no
# device tree (QEMU's default, acpi=on), and a start at EL1
# (virtualization=off).  Paddock itself must never start.
$(HV_BUILD)/aarch64-uefi-refuse.esp: $(HV_BUILD)/arm64-selftest/$(HV_IMAGE) scripts/efi-esp.sh | $(DEPS_STAMP)
	EFI_ESP_STARTUP="reset -s" bash scripts/efi-esp.sh $< $@ "paddock.test=heap"
UEFI_REFUSED := "BdsDxe: failed to start .*: Unsupported" "!^Paddock aarch64 on" \
	"!^arm64: booted at EL2"
suite-aarch64-uefi-acpi-only: $(HV_BUILD)/aarch64-uefi-refuse.esp | $(DEPS_STAMP)
	$(call uefi_run,aarch64-uefi-acpi-only,$<,-machine acpi=on) >/dev/null; \
	$(CHECK_LOG) $(HV_BUILD)/aarch64-uefi-acpi-only.log $$? 1 $(UEFI_REFUSED) \
		"^Paddock EFI stub: no device tree in the EFI configuration table \(the firmware publishes ACPI tables only; QEMU virt: acpi=off\).*not starting"
ARCH_SUITES += aarch64-uefi-acpi-only
suite-aarch64-uefi-el1: $(HV_BUILD)/aarch64-uefi-refuse.esp | $(DEPS_STAMP)
	$(call uefi_run,aarch64-uefi-el1,$<,-machine virtualization=off) >/dev/null; \
	$(CHECK_LOG) $(HV_BUILD)/aarch64-uefi-el1.log $$? 1 $(UEFI_REFUSED) \
		"^Paddock EFI stub: entered at EL1; Paddock runs at EL2 only .*not starting"
ARCH_SUITES += aarch64-uefi-el1

# A device tree without an architected timer (the machine's own, the
# timer's compatible renamed) is refused with the reader's message on the
# board's early UART, and the run ends with the boot-failed status.
$(HV_BUILD)/arm64-bad.dtb: | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(BOARD_QEMU) $(BOARD_QEMU_ARGS) -machine dumpdtb=$@.good >/dev/null 2>&1
	dtc -q -I dtb -O dts $@.good | sed 's/arm,armv[78]-timer/acme,no-timer/g' | \
		dtc -q -I dts -O dtb -o $@
suite-arm64-baddt: $(HV_BUILD)/$(HV_IMAGE) $(HV_BUILD)/arm64-bad.dtb | $(DEPS_STAMP)
	$(call qemu_run,$<,$(HV_BUILD)/arm64-baddt.log,-dtb $(HV_BUILD)/arm64-bad.dtb) >/dev/null; \
	$(CHECK_LOG) $(HV_BUILD)/arm64-baddt.log $$? 2 \
		"arm64: the device tree at [0-9a-f]+ cannot be used: dt: .*timer" \
		"arm64: boot failed: device tree" "!^arm64: booted at EL2"
ARCH_SUITES += arm64-baddt

# The SMP proof (config/systems/smp.c; docs/testing.md, "The SMP suites"):
# four workers on four CPUs churn PASIDs while a control domain changes
# their quotas and a fifth crashes holding some; the judge compares each
# domain's own tallies with the hypervisor's figures and needs the end of
# the run's PASID checks and all four CPUs busy.
suite-aarch64-smp: $(HV_BUILD)/smp/$(HV_IMAGE) | $(DEPS_STAMP)
	-$(call qemu_run,$<,$(HV_BUILD)/aarch64-smp.log,-smp 4) >/dev/null
	$(SMP_JUDGE) $(HV_BUILD)/aarch64-smp.log 4
ARCH_SUITES += aarch64-smp

bench-arm64: $(HV_BUILD)/arm64-bench/$(HV_IMAGE) | $(DEPS_STAMP)
	@QEMU_ICOUNT=1 $(call qemu_run,$<,$(HV_BUILD)/arm64-bench.log) >/dev/null || \
		{ tail -n 30 $(HV_BUILD)/arm64-bench.log; exit 1; }
	@grep -a '^\(\[[^]]*\] \)\?bench: ' $(HV_BUILD)/arm64-bench.log | sed 's/^\[[^]]*\] //' | \
		grep -v '^bench: smmuv3\.cd_table'
BENCHES += bench-arm64

# ALLOC+FREE throughput, four domains on four CPUs against one on one
# (mk/hypervisor.mk, bench/README.md "smp.hcall_alloc_free").
BENCHES += bench-smp

# The demo's CD-table footprint at its largest, beside the format's
# minimum for the CDs present then (printed at the end of its run).
bench-arm64-demo: $(HV_BUILD)/$(HV_IMAGE) | $(DEPS_STAMP)
	@$(call qemu_run,$<,$(HV_BUILD)/bench-demo.log) >/dev/null || \
		{ tail -n 30 $(HV_BUILD)/bench-demo.log; exit 1; }
	@grep -a '^bench: smmuv3\.cd_table' $(HV_BUILD)/bench-demo.log
BENCHES += bench-arm64-demo

.PHONY: suite-arm64-selftest suite-arm64-guests suite-arm64-hvfault \
	suite-aarch64-uboot suite-aarch64-uefi suite-aarch64-uefi-shell \
	suite-aarch64-uefi-acpi-only suite-aarch64-uefi-el1 suite-arm64-baddt \
	suite-arm64-dma-guest suite-aarch64-smp bench-arm64 bench-arm64-demo
