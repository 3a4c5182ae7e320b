# Host tests: the generic hypervisor code against the fake arch and the
# recording mock IOMMU (tests/support), in three builds:
#   plain   the system compiler
#   asan    clang with AddressSanitizer + UndefinedBehaviorSanitizer
#   tsan    clang with ThreadSanitizer (the concurrency stress test)
# plus a bounded libFuzzer run of the dispatcher, and the format check.

# PADDOCK_LOCK_CHECKS: locks record their holder and the lock witnesses
# assert it (hypervisor/include/paddock/spinlock.h).
HOST_TEST_CFLAGS := -std=c11 -D_GNU_SOURCE -DPADDOCK_LOCK_CHECKS -g $(WARN) $(XEN_DEFS) $(CORE_INC) -Itests/support
TEST_SUPPORT := $(wildcard tests/support/*.c)
TEST_DEPS := $(CORE_SRCS) $(TEST_SUPPORT) $(wildcard tests/support/*.h hypervisor/include/paddock/*.h include/public/paddock/*.h hypervisor/*/*.h)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_NAMES := $(patsubst tests/unit/%.c,%,$(UNIT_SRCS))

ASAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
TSAN_FLAGS := -fsanitize=thread -fno-omit-frame-pointer

build/host/plain/%: tests/unit/%.c $(TEST_DEPS) | $(XEN_INC)/xen
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_TEST_CFLAGS) -O1 -o $@ $< $(CORE_SRCS) $(TEST_SUPPORT) -lcmocka -lpthread

build/host/asan/%: tests/unit/%.c $(TEST_DEPS) | $(XEN_INC)/xen
	@mkdir -p $(@D)
	$(CLANG) $(HOST_TEST_CFLAGS) -O1 $(ASAN_FLAGS) -o $@ $< $(CORE_SRCS) $(TEST_SUPPORT) -lcmocka -lpthread

build/host/tsan/%: tests/unit/%.c $(TEST_DEPS) | $(XEN_INC)/xen
	@mkdir -p $(@D)
	$(CLANG) $(HOST_TEST_CFLAGS) -O1 $(TSAN_FLAGS) -o $@ $< $(CORE_SRCS) $(TEST_SUPPORT) -lcmocka -lpthread

.PHONY: suite-format suite-unit suite-asan
SUITES += format unit asan

suite-format: $(DEPS_STAMP)
	@bash tests/check-format.sh

suite-unit: $(DEPS_STAMP) $(addprefix build/host/plain/,$(UNIT_NAMES))
	@bash tests/run-host.sh $(addprefix build/host/plain/,$(UNIT_NAMES))

suite-asan: $(DEPS_STAMP) $(addprefix build/host/asan/,$(UNIT_NAMES))
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		bash tests/run-host.sh $(addprefix build/host/asan/,$(UNIT_NAMES))

# Concurrency stress (tests/stress): domain, fault and control threads
# against one manager, under ThreadSanitizer.
STRESS_NAMES := $(patsubst tests/stress/%.c,%,$(wildcard tests/stress/*.c))

build/host/tsan/stress-%: tests/stress/%.c $(TEST_DEPS) | $(XEN_INC)/xen
	@mkdir -p $(@D)
	$(CLANG) $(HOST_TEST_CFLAGS) -O1 $(TSAN_FLAGS) -o $@ $< $(CORE_SRCS) $(TEST_SUPPORT) -lpthread

.PHONY: suite-tsan
SUITES += tsan

suite-tsan: $(DEPS_STAMP) $(addprefix build/host/tsan/stress-,$(STRESS_NAMES))
	@TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
		bash tests/run-host.sh $(addprefix build/host/tsan/stress-,$(STRESS_NAMES))

# The dispatcher fuzzer (tests/fuzz): libFuzzer with ASan and UBSan.  The
# suite runs it briefly; `make fuzz` (fuzz-long) for $(FUZZ_SECONDS).
# The hypervisor's byte helpers and the test support are left out of the
# coverage feedback: they only slow it down.
FUZZ_SECONDS ?= 600
FUZZ_SUITE_SECONDS ?= 30
FUZZ_FLAGS := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -fsanitize-coverage-ignorelist=tests/fuzz/nocov.txt

build/fuzz/fuzz_dispatch: tests/fuzz/fuzz_dispatch.c tests/fuzz/nocov.txt $(TEST_DEPS) | $(XEN_INC)/xen
	@mkdir -p $(@D)
	$(CLANG) $(HOST_TEST_CFLAGS) -O1 $(FUZZ_FLAGS) -o $@ $< $(CORE_SRCS) $(TEST_SUPPORT)

.PHONY: suite-fuzz fuzz-long fuzz-corpus
SUITES += fuzz

suite-fuzz: $(DEPS_STAMP) build/fuzz/fuzz_dispatch
	@bash tests/fuzz/run.sh build/fuzz/fuzz_dispatch $(FUZZ_SUITE_SECONDS) 2000000

fuzz-long: $(DEPS_STAMP) build/fuzz/fuzz_dispatch
	@bash tests/fuzz/run.sh build/fuzz/fuzz_dispatch $(FUZZ_SECONDS)

# Rewrites the committed seed corpus from its generator.
fuzz-corpus:
	python3 tests/fuzz/make_corpus.py tests/fuzz/corpus

# The generic IOMMU layer's own suite (suite-iommu).
include tests/iommu/iommu.mk
