# Host tests of the generic IOMMU layer (hypervisor/iommu/), PCI
# enumeration (hypervisor/pci/) and the test-only hypercall's generic
# part (hypervisor/test/testop.c), against a mock driver and a fake ECAM
# space (tests/iommu/), under ASan and UBSan: suite-iommu.

IOMMU_LAYER_SRCS := $(wildcard hypervisor/iommu/*.c hypervisor/pci/*.c)
IOMMU_FIXTURE_SRCS := tests/iommu/fixture.c tests/iommu/mock_driver.c
IOMMU_TEST_DEPS := $(IOMMU_LAYER_SRCS) $(IOMMU_FIXTURE_SRCS) $(TEST_DEPS) \
	$(wildcard tests/iommu/*.h hypervisor/iommu/*.h hypervisor/test/*.h)
IOMMU_TESTS := $(BUILD)/host/iommu/test_iommu_layer \
	$(BUILD)/host/iommu/test_testop
IOMMU_TEST_CC = $(CLANG) $(HOST_TEST_CFLAGS) -Itests/iommu -I. -O1 \
	$(ASAN_FLAGS)

$(BUILD)/host/iommu/test_iommu_layer: tests/iommu/test_iommu_layer.c \
		$(IOMMU_TEST_DEPS) | $(XEN_INC)/xen
	@mkdir -p $(@D)
	$(IOMMU_TEST_CC) -o $@ $< $(IOMMU_FIXTURE_SRCS) $(IOMMU_LAYER_SRCS) \
		$(CORE_SRCS) $(TEST_SUPPORT) -lcmocka -lpthread

$(BUILD)/host/iommu/test_testop: tests/iommu/test_testop.c \
		hypervisor/test/testop.c $(IOMMU_TEST_DEPS) | $(XEN_INC)/xen
	@mkdir -p $(@D)
	$(IOMMU_TEST_CC) -o $@ $< hypervisor/test/testop.c \
		$(IOMMU_FIXTURE_SRCS) $(IOMMU_LAYER_SRCS) $(CORE_SRCS) \
		$(TEST_SUPPORT) -lcmocka -lpthread

.PHONY: suite-iommu
SUITES += iommu
suite-iommu: $(DEPS_STAMP) $(IOMMU_TESTS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		bash tests/run-host.sh $(IOMMU_TESTS)
