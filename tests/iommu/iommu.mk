# Host tests of the generic IOMMU layer (hypervisor/iommu/) and PCI
# enumeration (hypervisor/pci/) against a mock driver and a fake ECAM
# space (tests/iommu/), under ASan and UBSan: suite-iommu.

IOMMU_LAYER_SRCS := $(wildcard hypervisor/iommu/*.c hypervisor/pci/*.c)
IOMMU_TEST_SRCS := $(wildcard tests/iommu/*.c)
IOMMU_TEST := $(BUILD)/host/iommu/test_iommu_layer

$(IOMMU_TEST): $(IOMMU_TEST_SRCS) $(IOMMU_LAYER_SRCS) $(TEST_DEPS) \
		$(wildcard tests/iommu/*.h hypervisor/iommu/*.h) | $(XEN_INC)/xen
	@mkdir -p $(@D)
	$(CLANG) $(HOST_TEST_CFLAGS) -I. -O1 $(ASAN_FLAGS) -o $@ \
		$(IOMMU_TEST_SRCS) $(IOMMU_LAYER_SRCS) $(CORE_SRCS) \
		$(TEST_SUPPORT) -lcmocka -lpthread

.PHONY: suite-iommu
SUITES += iommu
suite-iommu: $(DEPS_STAMP) $(IOMMU_TEST)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		bash tests/run-host.sh $(IOMMU_TEST)
