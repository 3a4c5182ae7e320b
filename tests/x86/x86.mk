# suite-x86-madt: the MADT's CPU list (hypervisor/arch/x86_64/madt.c) on
# the host, with AddressSanitizer and UndefinedBehaviorSanitizer, on
# tables of its own: x2APIC entries, flags, duplicates, the cap, entries
# cut short (tests/x86/test_madt.c).  madt.c includes only its own header
# and paddock/types.h, so it builds here unchanged.

X86_MADT_TEST := $(BUILD)/host/x86-madt
X86_MADT_TEST_SRCS := tests/x86/test_madt.c hypervisor/arch/x86_64/madt.c

$(X86_MADT_TEST): $(X86_MADT_TEST_SRCS) hypervisor/arch/x86_64/include/asm/madt.h \
		| $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CLANG) -std=c11 -D_GNU_SOURCE -g $(WARN) $(ASAN_FLAGS) \
		-Ihypervisor/include -Ihypervisor/arch/x86_64/include \
		-o $@ $(X86_MADT_TEST_SRCS) -lcmocka

.PHONY: suite-x86-madt
suite-x86-madt: $(DEPS_STAMP) $(X86_MADT_TEST)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		bash tests/run-host.sh $(X86_MADT_TEST)
SUITES += x86-madt
