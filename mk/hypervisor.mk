# The hypervisor image for the board's arch, one per system: the generic
# sources, the arch's, its drivers' and the board's, linked with the
# arch's linker script and converted to the board's image format.
# Included by the top Makefile after mk/platform.mk (the board) and the
# arch's arch.mk (docs/porting.md lists what each provides).
#
#   make build/<arch>/<system>/$(HV_IMAGE)   one system's image
#   make build/<arch>/$(HV_IMAGE)            the demo system's (make run)
#
# HV_IMAGE (mk/platform.mk) is the board's BOARD_IMAGE_NAME: paddock.elf
# by default, Image for the arm64 Image format.
#   make images                              every system's
#
# A system is config/systems/<name>.c (the same on every arch) or
# config/systems/<arch>/<name>.c (one arch only), with a .mk beside it
# that sets SYSTEM_GUESTS_<name> (the guest images it embeds) and, for a
# test image, SYSTEM_TEST_<name> := 1.

HV_CFLAGS := $(ARCH_CFLAGS) $(CORE_CFLAGS) -I$(ARCH_DIR)/include -I. \
	-fno-asynchronous-unwind-tables -MMD -MP
HV_ASFLAGS := $(ARCH_ASFLAGS) -I$(ARCH_DIR)/include -MMD -MP
HV_LDFLAGS := -static -nostdlib --no-undefined -z max-page-size=4096 \
	$(ARCH_LDFLAGS)

# The sources of every image, one list each:
#   ARCH_SRCS         the arch's own, C and assembly (its arch.mk)
#   HV_GENERIC_SRCS   built for every arch: every .c of the generic
#                     folders hypervisor/<HV_GENERIC_DIRS>/, CORE_SRCS
#                     (mk/toolchain.mk) and the configuration check
#   BOARD_SRCS        the board's (config/platforms/<board>.mk)
#   ARCH_DRIVER_SRCS  the IOMMU drivers the arch links (its arch.mk)
# A file named twice is built and linked once.
HV_GENERIC_DIRS := pasid core lib libc mm iommu pci dt
# hypervisor/test/ is test code: only its DMA self-test (run when the
# command line asks, "paddock.test=dma") is in every image; its test-only
# hypercall goes by SYSTEM_TEST_<name> below.
HV_GENERIC_SRCS := $(CORE_SRCS) $(CORE_HV_SRCS) $(wildcard $(HV_GENERIC_DIRS:%=hypervisor/%/*.c)) \
	config/validate.c hypervisor/test/dmatest.c
hv_uniq = $(if $(1),$(firstword $(1)) $(call hv_uniq,$(filter-out $(firstword $(1)),$(1))))
HV_SRCS := $(call hv_uniq,$(ARCH_SRCS) $(HV_GENERIC_SRCS) $(BOARD_SRCS) \
	$(ARCH_DRIVER_SRCS))
hv_objs = $(patsubst %,$(HV_BUILD)/obj/%.o,$(basename $(1)))
HV_OBJS := $(call hv_objs,$(HV_SRCS))

# The test-only hypercall (docs/abi.md): a system whose .mk sets
# SYSTEM_TEST_<name> := 1 links HV_TESTOP_SRCS, every other system the
# refusal, HV_NOTEST_SRCS.
HV_TESTOP_SRCS := hypervisor/test/testop.c hypervisor/test/edu_idle.c \
	$(ARCH_TESTOP_SRCS)
HV_NOTEST_SRCS := hypervisor/test/notest.c $(ARCH_NOTEST_SRCS)

$(HV_BUILD)/obj/%.o: %.c | $(DEPS_STAMP) $(XEN_INC)/xen
	@mkdir -p $(dir $@)
	$(CLANG) $(HV_CFLAGS) -c $< -o $@

$(HV_BUILD)/obj/%.o: %.S | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CLANG) $(HV_ASFLAGS) -c $< -o $@

HV_SYSTEM_SRCS := $(wildcard config/systems/*.c config/systems/$(ARCH)/*.c)
HV_SYSTEMS := $(basename $(notdir $(HV_SYSTEM_SRCS)))
ifneq ($(words $(HV_SYSTEMS)),$(words $(sort $(HV_SYSTEMS))))
$(error a system name is used twice in config/systems/ and config/systems/$(ARCH)/: $(sort $(HV_SYSTEMS)))
endif
-include $(HV_SYSTEM_SRCS:.c=.mk)

# Where a guest image named $(1) comes from: the arch's own test guest
# (ARCH_GUEST_ELF_<name>), else guests/tests/<name>/ built for the arch.
hv_guest_elf = $(or $(ARCH_GUEST_ELF_$(1)),$(BUILD)/guests/$(ARCH)/$(1).elf)

# $(1) = system name, $(2) = its .c.  images.S embeds each guest ELF with
# .incbin and a table {name, start, end}: struct guest_image.
define HV_SYSTEM_RULE
HV_GUEST_ELFS_$(1) := $$(foreach g,$$(SYSTEM_GUESTS_$(1)),$$(call hv_guest_elf,$$(g)))
$(HV_BUILD)/$(1)/images.S: $$(HV_GUEST_ELFS_$(1)) $(2:.c=.mk) scripts/gen-images.sh
	@mkdir -p $$(dir $$@)
	bash scripts/gen-images.sh $$@ $$(foreach g,$$(SYSTEM_GUESTS_$(1)),$$(g)=$$(call hv_guest_elf,$$(g)))
$(HV_BUILD)/$(1)/images.o: $(HV_BUILD)/$(1)/images.S
	$(CLANG) $(ARCH_ASFLAGS) -c $$< -o $$@
$(HV_BUILD)/$(1)/system.o: $(2) config/config.h $(wildcard config/systems/*.h) | $(DEPS_STAMP)
	@mkdir -p $$(dir $$@)
	$(CLANG) $(HV_CFLAGS) -c $$< -o $$@
$(HV_BUILD)/$(1)/paddock64.elf: $(HV_OBJS) $(HV_BUILD)/$(1)/system.o \
		$(call hv_objs,$(if $(SYSTEM_TEST_$(1)),$(HV_TESTOP_SRCS),$(HV_NOTEST_SRCS))) \
		$(HV_BUILD)/$(1)/images.o $(ARCH_LDSCRIPT)
	$(LD_LLD) $(HV_LDFLAGS) -T $(ARCH_LDSCRIPT) -o $$@ $$(filter %.o,$$^)
$(HV_BUILD)/$(1)/$(HV_IMAGE): $(HV_BUILD)/$(1)/paddock64.elf
	$(OBJCOPY) $(BOARD_IMAGE_OBJCOPY) $$< $$@
endef
$(foreach s,$(HV_SYSTEM_SRCS),$(eval $(call HV_SYSTEM_RULE,$(basename $(notdir $(s))),$(s))))

$(HV_BUILD)/$(HV_IMAGE): $(HV_BUILD)/demo/$(HV_IMAGE)
	cp $< $@

.PHONY: images run-$(PLATFORM)
images: $(HV_BUILD)/$(HV_IMAGE) $(HV_SYSTEMS:%=$(HV_BUILD)/%/$(HV_IMAGE))

# $(1) = image, $(2) = serial log, $(3) = more QEMU arguments: boots the image on the board under
# scripts/qemu-run.sh, whose status says how the run ended.  QEMU_APPEND=
# (the kernel command line) or QEMU_ICOUNT=1 before it reach the script.
qemu_run = bash scripts/qemu-run.sh $(BOARD_TIMEOUT) '$(BOARD_EXIT_MAP)' \
	$(1) $(2) $(BOARD_QEMU) $(BOARD_QEMU_ARGS) $(3)
# The verdicts on a serial log: JUDGE LOG [REGEXP...] for a run that
# reaches the summary, CHECK_LOG LOG GOT WANT [!]REGEXP... for one meant
# to end otherwise (scripts/judge.sh, scripts/check-log.sh), SMP_JUDGE
# for the SMP proof's.
JUDGE := bash scripts/judge.sh $(ARCH_LOG_PREFIX)
CHECK_LOG := bash scripts/check-log.sh
# The SMP proof's verdict: SMP_JUDGE LOG CPUS (scripts/smp-judge.py).
SMP_JUDGE := /usr/bin/python3 scripts/smp-judge.py $(ARCH_LOG_PREFIX)

# The SMP bench (bench/README.md, "smp.hcall_alloc_free"): smp-bench1
# (one bench domain) and smp-bench4 (four, one per CPU), each booted twice
# in turn on four CPUs under multi-threaded TCG (no -icount: it forces
# one thread), and the throughputs (each side's best boot) and their
# ratio.  An arch adds bench-smp to BENCHES once it starts every CPU.
SMP_BENCH_LOGS := $(foreach r,a b,$(foreach n,1 4,$(HV_BUILD)/smp-bench$(n)$(r).log))
.PHONY: bench-smp
bench-smp: $(HV_BUILD)/smp-bench1/$(HV_IMAGE) $(HV_BUILD)/smp-bench4/$(HV_IMAGE) | $(DEPS_STAMP)
	@for log in $(SMP_BENCH_LOGS); do \
		n=$${log##*smp-bench}; n=$${n:0:1}; \
		$(call qemu_run,$(HV_BUILD)/smp-bench$$n/$(HV_IMAGE),$$log,-smp 4) \
			>/dev/null || { tail -n 30 $$log; exit 1; }; \
	done
	@/usr/bin/python3 scripts/smp-bench.py $(SMP_BENCH_LOGS)

# make run: the demo system on the board.
run-$(PLATFORM): $(HV_BUILD)/$(HV_IMAGE) | $(DEPS_STAMP)
	$(call qemu_run,$<,$(HV_BUILD)/demo.log)

# A system's .c includes config/config.h only, which its rule names: its
# system.d is left out, so that a system moved between folders leaves no
# stale prerequisite behind.
-include $(filter-out %/system.d,$(shell find $(HV_BUILD) -name '*.d' 2>/dev/null))
