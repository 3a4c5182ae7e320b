# The generic hypervisor code must cross-compile, freestanding, for both
# targets with clang + ld.lld.  The `cross` suite compiles every generic
# source for x86_64 and aarch64, links each set with ld.lld -r, and checks
# that what stays undefined is exactly what the arch and heap provide.
# PCI enumeration and resource assignment (hypervisor/pci) are in it:
# the aarch64 port calls pci_assign() (docs/pci.md).
# The device-tree reader (hypervisor/dt) is generic too, and needs nothing.
CROSS_SRCS := $(CORE_SRCS) $(wildcard hypervisor/pci/*.c hypervisor/dt/*.c)

SUITES += cross
.PHONY: suite-cross
suite-cross: $(DEPS_STAMP) | $(XEN_INC)/xen
	@bash ci/check-cross.sh "$(CLANG)" "$(LD_LLD)" \
		"$(X86_64_CFLAGS) $(CORE_CFLAGS) -I." "$(AARCH64_CFLAGS) $(CORE_CFLAGS) -I." \
		$(CROSS_SRCS)
