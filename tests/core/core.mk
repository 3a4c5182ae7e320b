# suite-core-boot: the run-time side of hypervisor/core/boot (scheduling
# policy, domain console, stop and crash) on the host, plain and with
# AddressSanitizer + UndefinedBehaviorSanitizer, against stand-ins of its
# own (tests/core/test_boot.c) instead of the unit tests' fake arch.

CORE_BOOT_TEST_SRCS := tests/core/test_boot.c tests/core/domain_stop_standin.c \
	hypervisor/core/boot/sched.c \
	hypervisor/core/boot/domain.c hypervisor/core/percpu.c \
	hypervisor/lib/string.c
CORE_BOOT_TEST_DEPS := $(CORE_BOOT_TEST_SRCS) \
	$(wildcard hypervisor/include/paddock/*.h) config/config.h
CORE_BOOT_TEST_CFLAGS := -std=c11 -D_GNU_SOURCE -g $(WARN) $(XEN_DEFS) \
	$(CORE_INC) -I. -O1

build/host/plain/core-boot: $(CORE_BOOT_TEST_DEPS) | $(DEPS_STAMP) $(XEN_INC)/xen
	@mkdir -p $(@D)
	$(HOST_CC) $(CORE_BOOT_TEST_CFLAGS) -o $@ $(CORE_BOOT_TEST_SRCS) -lcmocka

build/host/asan/core-boot: $(CORE_BOOT_TEST_DEPS) | $(DEPS_STAMP) $(XEN_INC)/xen
	@mkdir -p $(@D)
	$(CLANG) $(CORE_BOOT_TEST_CFLAGS) $(ASAN_FLAGS) -o $@ \
		$(CORE_BOOT_TEST_SRCS) -lcmocka

# The CPUs' start and end protocol (core/boot/cpus.c), threads as CPUs.
CORE_CPUS_TEST_SRCS := tests/core/test_cpus.c tests/core/domain_stop_standin.c \
	hypervisor/core/boot/cpus.c \
	hypervisor/core/boot/sched.c hypervisor/core/boot/domain.c \
	hypervisor/core/percpu.c hypervisor/lib/string.c

build/host/plain/core-cpus: $(CORE_CPUS_TEST_SRCS) $(CORE_BOOT_TEST_DEPS) | $(DEPS_STAMP) $(XEN_INC)/xen
	@mkdir -p $(@D)
	$(HOST_CC) $(CORE_BOOT_TEST_CFLAGS) -o $@ $(CORE_CPUS_TEST_SRCS) -lpthread

build/host/tsan/core-cpus: $(CORE_CPUS_TEST_SRCS) $(CORE_BOOT_TEST_DEPS) | $(DEPS_STAMP) $(XEN_INC)/xen
	@mkdir -p $(@D)
	$(CLANG) $(CORE_BOOT_TEST_CFLAGS) -fsanitize=thread -o $@ \
		$(CORE_CPUS_TEST_SRCS) -lpthread

.PHONY: suite-core-boot
SUITES += core-boot
suite-core-boot: $(DEPS_STAMP) build/host/plain/core-boot build/host/asan/core-boot \
		build/host/plain/core-cpus build/host/tsan/core-cpus
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		TSAN_OPTIONS=halt_on_error=1 \
		bash tests/run-host.sh build/host/plain/core-boot build/host/asan/core-boot \
		build/host/plain/core-cpus build/host/tsan/core-cpus
