# Host tests: the generic hypervisor code against the fake arch and the
# recording mock IOMMU (tests/support), in three builds:
#   plain   the system compiler
#   asan    clang with AddressSanitizer + UndefinedBehaviorSanitizer
#   tsan    clang with ThreadSanitizer (the concurrency stress test)
# plus a bounded libFuzzer run of the dispatcher, and the format check.

# PADDOCK_LOCK_CHECKS: locks record their holder and the lock witnesses
# assert it (hypervisor/include/paddock/spinlock.h).
HOST_TEST_CFLAGS := -std=c11 -D_GNU_SOURCE -DPADDOCK_LOCK_CHECKS -g $(WARN) $(XEN_DEFS) $(CORE_INC) -Itests/support
# (sim_pages.c is the IOMMU simulators' memory, linked by their suites.)
TEST_SUPPORT := $(filter-out tests/support/sim_pages.c,$(wildcard tests/support/*.c))
TEST_HDRS := $(wildcard tests/support/*.h tests/unit/*.h tests/stress/*.h hypervisor/include/paddock/*.h include/public/paddock/*.h hypervisor/*/*.h)
TEST_DEPS := $(CORE_SRCS) $(TEST_SUPPORT) $(TEST_HDRS)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_NAMES := $(patsubst tests/unit/%.c,%,$(UNIT_SRCS))

ASAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
TSAN_FLAGS := -fsanitize=thread -fno-omit-frame-pointer

# Every source is compiled once per build into build/host/<build>/obj/ and
# the tests are linked from the objects, so that a change to one file
# rebuilds one object (the mutation exercise, tests/mutation, relies on it).
HOST_OBJ_SRCS := $(CORE_SRCS) $(TEST_SUPPORT)
host_objs = $(patsubst %.c,build/host/$(1)/obj/%.o,$(HOST_OBJ_SRCS))
HOST_CC_plain = $(HOST_CC) $(HOST_TEST_CFLAGS) -O1
HOST_CC_asan = $(CLANG) $(HOST_TEST_CFLAGS) -O1 $(ASAN_FLAGS)
HOST_CC_tsan = $(CLANG) $(HOST_TEST_CFLAGS) -O1 $(TSAN_FLAGS)

define host_build
build/host/$(1)/obj/%.o: %.c $$(TEST_HDRS) | $$(XEN_INC)/xen
	@mkdir -p $$(@D)
	$$(HOST_CC_$(1)) -c -o $$@ $$<

build/host/$(1)/%: build/host/$(1)/obj/tests/unit/%.o $$(call host_objs,$(1))
	@mkdir -p $$(@D)
	$$(HOST_CC_$(1)) -o $$@ $$^ -lcmocka -lpthread
endef
$(foreach b,plain asan tsan,$(eval $(call host_build,$(b))))
# Kept, not deleted as intermediates: the next link needs them.
.SECONDARY: $(foreach b,plain asan tsan,$(patsubst tests/%.c,build/host/$(b)/obj/tests/%.o,$(UNIT_SRCS) $(wildcard tests/stress/*.c)))

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

build/host/tsan/stress-%: build/host/tsan/obj/tests/stress/%.o $(call host_objs,tsan)
	@mkdir -p $(@D)
	$(HOST_CC_tsan) -o $@ $^ -lpthread

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

# PCI resource assignment and enumeration (suite-pci).
include tests/pci/pci.mk

# VT-d tests the mutation exercise asked for (tests/vtd/test_vtd_mut.c):
# unit-lock handoffs under ThreadSanitizer, the rest under ASan + UBSan.
# The driver's sources are listed here, not taken from driver.mk's
# VTD_SRCS, which is read after this file.
VTD_MUT_SRCS := $(filter-out %/vtd_glue.c,$(wildcard drivers/iommu/vtd/*.c)) tests/vtd/vtd_sim.c tests/support/sim_pages.c tests/vtd/spec_walker.c
VTD_MUT_HDRS := $(wildcard drivers/iommu/vtd/*.h tests/vtd/*.h tests/stress/handoff.h hypervisor/include/paddock/*.h)
VTD_MUT_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(CORE_INC) -O1 -g

build/host/vtd-mut/tsan: tests/vtd/test_vtd_mut.c $(VTD_MUT_SRCS) $(VTD_MUT_HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(VTD_MUT_CFLAGS) $(TSAN_FLAGS) -o $@ $< $(VTD_MUT_SRCS) -lpthread

build/host/vtd-mut/asan: tests/vtd/test_vtd_mut.c $(VTD_MUT_SRCS) $(VTD_MUT_HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(VTD_MUT_CFLAGS) $(ASAN_FLAGS) -o $@ $< $(VTD_MUT_SRCS) -lpthread

.PHONY: suite-vtd-mut
SUITES += vtd-mut

suite-vtd-mut: $(DEPS_STAMP) build/host/vtd-mut/tsan build/host/vtd-mut/asan
	@TSAN_OPTIONS=halt_on_error=1 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		bash tests/run-host.sh build/host/vtd-mut/tsan build/host/vtd-mut/asan

# The mutation exercise (docs/testing.md): `make mutation` plants each bug
# of tests/mutation/mutations.txt in a scratch copy and runs the host
# suites against it (slow: not part of `make test`).  Suite mutation-list
# only checks, in a second, that every planted bug still applies to the
# tree, so that the list does not rot as the code moves.
.PHONY: mutation suite-mutation-list
SUITES += mutation-list

mutation: $(DEPS_STAMP)
	@bash tests/mutation/run.sh $(MUTATIONS)

suite-mutation-list: $(DEPS_STAMP)
	@python3 tests/mutation/apply.py check .

# The device-tree reader and Arm platform discovery (suite-dt).
include tests/dt/dt.mk
