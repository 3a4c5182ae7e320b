# Paddock: one GNU make tree.
#
#   make deps    install Debian packages and build newlib (stamped, idempotent)
#   make test    every suite; ends with "N passed, N failed"
#   make run     boot the demo system under QEMU
#   make bench   print "bench: NAME VALUE UNIT" lines
#   PLATFORM=B   with run, test or bench: the board (default qemu-x86_64)
#   make fuzz    run the dispatcher fuzzer for longer (FUZZ_SECONDS)
#   make format  reformat the tree with the committed .clang-format
#   make lava    run the LAVA jobs offline, per-test-case results (PLATFORM=B: one)
#
# Every target depends on the deps stamp, so each works on a fresh machine.

.DEFAULT_GOAL := help
SHELL := /bin/bash
BUILD := build
DEPS_STAMP := $(BUILD)/.deps-stamp

include mk/toolchain.mk

# Each area's .mk adds its test suites to SUITES (make targets named
# suite-NAME that end with an "N passed, N failed" line) and may add to
# BENCHES (targets that print bench lines).
SUITES :=
BENCHES :=
include mk/cross.mk
include hypervisor/core/core.mk
include tests/tests.mk
include tests/mm/mm.mk
include tests/core/core.mk
include tests/x86/x86.mk # x86 boot information, memory maps, the MADT
include bench/bench.mk
# The board (PLATFORM=, config/platforms/<board>.mk) picks the arch; the
# drivers come before the arch, which links their sources; the image build
# (mk/hypervisor.mk) is what the board and the arch parameterise.
include mk/platform.mk
-include $(wildcard drivers/iommu/*/driver.mk)
ARCH_SUITES :=
include $(ARCH_DIR)/arch.mk
include mk/hypervisor.mk
SUITES += $(ARCH_SUITES)
include tests/config/config.mk
include tests/scripts/scripts.mk
-include $(wildcard guests/guests.mk)
# LAVA jobs from the boards' descriptions (ci/lava/), after everything whose
# variables they use.
include mk/lava.mk

.PHONY: help deps test bench run fuzz format clean
help:
	@sed -n '3,11p' Makefile

deps: $(DEPS_STAMP)
$(DEPS_STAMP): ci/deps.sh $(wildcard ci/deps.d/*.sh)
	@mkdir -p $(BUILD)
	bash ci/deps.sh
	@touch $@

# make test runs the host suites and the board's, then every other
# board's in-QEMU suites (ARCH_SUITES of its arch), each as BOARD:SUITE.
OTHER_BOARDS := $(filter-out $(PLATFORM),$(BOARDS))
test: $(DEPS_STAMP)
	@bash ci/run-suites.sh $(SUITES) $$(for b in $(OTHER_BOARDS); do \
		$(MAKE) -s --no-print-directory PLATFORM=$$b print-arch-suites | \
		tr ' ' '\n' | sed "/^$$/d; s/^/$$b:/"; done)

.PHONY: print-arch-suites
print-arch-suites:
	@echo $(ARCH_SUITES)

bench: $(DEPS_STAMP) $(BENCHES)

run: $(DEPS_STAMP)
	@$(MAKE) --no-print-directory run-$(PLATFORM)

# A longer run of the dispatcher fuzzer (tests/tests.mk: fuzz-long).
FUZZ_SECONDS ?= 600
fuzz: $(DEPS_STAMP)
	@$(MAKE) --no-print-directory fuzz-long FUZZ_SECONDS=$(FUZZ_SECONDS)

format:
	clang-format -i $(FORMAT_FILES)

clean:
	rm -rf $(BUILD)/host $(BUILD)/x86_64 $(BUILD)/aarch64 $(BUILD)/bench $(BUILD)/fuzz
