# Host tests of PCI resource assignment and enumeration (hypervisor/pci/)
# against a model of configuration space (tests/pci/fake_ecam.h): pci.c
# and pci_assign.c built with PADDOCK_FAKE_ECAM, under ASan and UBSan:
# suite-pci.

PCI_TEST_SRCS := tests/pci/test_pci_assign.c tests/pci/fake_ecam.c \
	$(wildcard hypervisor/pci/*.c) hypervisor/lib/fmt.c hypervisor/lib/string.c
PCI_TEST := $(BUILD)/host/pci/test_pci_assign

$(PCI_TEST): $(PCI_TEST_SRCS) tests/pci/fake_ecam.h $(TEST_HDRS) | $(XEN_INC)/xen
	@mkdir -p $(@D)
	$(CLANG) $(HOST_TEST_CFLAGS) -DPADDOCK_FAKE_ECAM -Itests/pci -I. -O1 \
		$(ASAN_FLAGS) -o $@ $(PCI_TEST_SRCS) -lcmocka

.PHONY: suite-pci
SUITES += pci
suite-pci: $(DEPS_STAMP) $(PCI_TEST)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		bash tests/run-host.sh $(PCI_TEST)
