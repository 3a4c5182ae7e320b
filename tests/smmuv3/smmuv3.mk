# Host suites of the SMMUv3 driver (drivers/iommu/smmuv3/driver.mk reads
# this):
#   smmuv3      the driver over the simulated SMMU (tests/smmuv3/smmu_sim.c)
#               and the independent walker (spec_walker.c), plus the
#               event-routing tests with the real PASID manager, and a
#               freestanding aarch64 build of SMMUV3_SRCS
#   smmuv3-san  the same tests under ASan and UBSan (clang)

SMMUV3_TEST_SRCS := tests/smmuv3/smmu_sim.c tests/support/sim_pages.c tests/smmuv3/spec_walker.c
SMMUV3_DRV_SRCS := $(SMMUV3_CORE_SRCS) $(SMMUV3_TESTOP_SRCS:%glue_testop.c=)
SMMUV3_HDRS := $(wildcard drivers/iommu/smmuv3/*.h tests/smmuv3/*.h) \
	$(wildcard hypervisor/include/paddock/*.h)
SMMUV3_BUILD := $(BUILD)/host/smmuv3
SMMUV3_HOST_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(XEN_DEFS) $(CORE_INC) \
	-Itests/support -O1 -g -DPADDOCK_LOCK_CHECKS
# The PASID manager, for routing events by StreamID and SubstreamID.
SMMUV3_MGR_SRCS := $(wildcard hypervisor/pasid/*.c hypervisor/lib/*.c) \
	tests/support/heap.c
SMMUV3_BINS := test_smmuv3 test_smmuv3_route test_smmuv3_glue

$(SMMUV3_BUILD)/plain/%: tests/smmuv3/%.c $(SMMUV3_DRV_SRCS) $(SMMUV3_TEST_SRCS) $(SMMUV3_MGR_SRCS) $(SMMUV3_HDRS) | $(XEN_INC)/xen
	@mkdir -p $(@D)
	$(HOST_CC) $(SMMUV3_HOST_CFLAGS) -o $@ $< $(SMMUV3_DRV_SRCS) \
		$(SMMUV3_TEST_SRCS) $(SMMUV3_MGR_SRCS) -lcmocka -lpthread

$(SMMUV3_BUILD)/san/%: tests/smmuv3/%.c $(SMMUV3_DRV_SRCS) $(SMMUV3_TEST_SRCS) $(SMMUV3_MGR_SRCS) $(SMMUV3_HDRS) | $(XEN_INC)/xen
	@mkdir -p $(@D)
	$(CLANG) $(SMMUV3_HOST_CFLAGS) $(ASAN_FLAGS) -o $@ $< \
		$(SMMUV3_DRV_SRCS) $(SMMUV3_TEST_SRCS) $(SMMUV3_MGR_SRCS) \
		-lcmocka -lpthread

SUITES += smmuv3 smmuv3-san
.PHONY: suite-smmuv3 suite-smmuv3-san

# The driver (SMMUV3_SRCS and the test-only sources) must build
# freestanding for aarch64, as the hypervisor links it: a wrapper script
# that the suite runs like a test binary.
SMMUV3_ARM_FLAGS := $(AARCH64_CFLAGS) -mgeneral-regs-only -mstrict-align \
	$(CORE_CFLAGS) -I.

$(SMMUV3_BUILD)/cross-aarch64: tests/smmuv3/cross.sh $(SMMUV3_SRCS) $(SMMUV3_TESTOP_SRCS) $(SMMUV3_HDRS)
	@mkdir -p $(@D)
	@printf '#!/bin/sh\nexec bash tests/smmuv3/cross.sh "%s" "%s" %s\n' \
		"$(CLANG)" "$(SMMUV3_ARM_FLAGS)" \
		"$(SMMUV3_SRCS) $(SMMUV3_TESTOP_SRCS)" > $@
	@chmod +x $@

SMMUV3_RUN := $(addprefix $(SMMUV3_BUILD)/plain/,$(SMMUV3_BINS)) \
	$(SMMUV3_BUILD)/cross-aarch64

suite-smmuv3: $(DEPS_STAMP) $(SMMUV3_RUN) | $(XEN_INC)/xen
	@bash tests/run-host.sh $(SMMUV3_RUN)

suite-smmuv3-san: $(DEPS_STAMP) $(addprefix $(SMMUV3_BUILD)/san/,$(SMMUV3_BINS))
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		bash tests/run-host.sh $(addprefix $(SMMUV3_BUILD)/san/,$(SMMUV3_BINS))

# The driver through the generic IOMMU layer and its glue (smmuv3_glue.c),
# with the test world's manager and domains (tests/support): what the
# aarch64 arch will link.
SMMUV3_GLUE_LINK := drivers/iommu/smmuv3/smmuv3_glue.c $(SMMUV3_CORE_SRCS) \
	$(SMMUV3_TEST_SRCS) $(wildcard hypervisor/iommu/*.c hypervisor/pci/*.c) \
	hypervisor/test/notest.c $(CORE_SRCS) $(TEST_SUPPORT)

$(SMMUV3_BUILD)/plain/test_smmuv3_glue: tests/smmuv3/test_smmuv3_glue.c $(SMMUV3_GLUE_LINK) $(SMMUV3_HDRS) $(TEST_HDRS) | $(XEN_INC)/xen
	@mkdir -p $(@D)
	$(HOST_CC) $(SMMUV3_HOST_CFLAGS) -I. -o $@ $< $(SMMUV3_GLUE_LINK) -lcmocka -lpthread

$(SMMUV3_BUILD)/san/test_smmuv3_glue: tests/smmuv3/test_smmuv3_glue.c $(SMMUV3_GLUE_LINK) $(SMMUV3_HDRS) $(TEST_HDRS) | $(XEN_INC)/xen
	@mkdir -p $(@D)
	$(CLANG) $(SMMUV3_HOST_CFLAGS) $(ASAN_FLAGS) -I. -o $@ $< $(SMMUV3_GLUE_LINK) -lcmocka -lpthread
