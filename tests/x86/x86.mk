# suite-bootinfo: the x86 boot information on the host
# (tests/x86/test_bootinfo.c): the Multiboot2 reader on good and
# malformed blocks, the firmware memory types, and the placement of the
# heap, the domain pool and the low page in firmware maps with its check;
# plain and with AddressSanitizer + UndefinedBehaviorSanitizer (a read
# outside a malformed block is a failure).

BOOTINFO_SRCS := tests/x86/test_bootinfo.c \
	$(addprefix hypervisor/arch/x86_64/,multiboot2.c bootinfo.c memmap.c) \
	hypervisor/lib/fmt.c hypervisor/lib/string.c
BOOTINFO_DEPS := $(BOOTINFO_SRCS) \
	$(addprefix hypervisor/arch/x86_64/include/asm/,bootinfo.h memmap.h multiboot2.h) \
	hypervisor/include/paddock/fmt.h hypervisor/include/paddock/types.h
BOOTINFO_CFLAGS := -std=c11 -D_GNU_SOURCE -g $(WARN) -Ihypervisor/include \
	-Ihypervisor/arch/x86_64/include -O1

$(BUILD)/host/plain/bootinfo-test: $(BOOTINFO_DEPS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOST_CC) $(BOOTINFO_CFLAGS) -o $@ $(BOOTINFO_SRCS) -lcmocka

$(BUILD)/host/asan/bootinfo-test: $(BOOTINFO_DEPS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CLANG) $(BOOTINFO_CFLAGS) $(ASAN_FLAGS) -o $@ $(BOOTINFO_SRCS) -lcmocka

.PHONY: suite-bootinfo
SUITES += bootinfo
suite-bootinfo: $(DEPS_STAMP) $(BUILD)/host/plain/bootinfo-test $(BUILD)/host/asan/bootinfo-test
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		bash tests/run-host.sh $(BUILD)/host/plain/bootinfo-test $(BUILD)/host/asan/bootinfo-test
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
