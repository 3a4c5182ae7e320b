# suite-mm: the real hypervisor heap (hypervisor/mm) on the host, built
# plain and with AddressSanitizer + UndefinedBehaviorSanitizer.  The unit
# tests link a calloc stand-in instead (tests/support/heap.c).

MM_TEST_SRCS := tests/mm/test_heap.c $(MM_SRCS) hypervisor/lib/string.c
MM_TEST_DEPS := $(MM_TEST_SRCS) hypervisor/include/paddock/heap.h \
	hypervisor/include/paddock/mem.h

build/host/plain/mm-heap: $(MM_TEST_DEPS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOST_CC) -std=c11 -D_GNU_SOURCE -g $(WARN) $(CORE_INC) -O1 -o $@ \
		$(MM_TEST_SRCS) -lcmocka

build/host/asan/mm-heap: $(MM_TEST_DEPS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CLANG) -std=c11 -D_GNU_SOURCE -g $(WARN) $(CORE_INC) -O1 $(ASAN_FLAGS) \
		-o $@ $(MM_TEST_SRCS) -lcmocka

.PHONY: suite-mm
SUITES += mm
suite-mm: $(DEPS_STAMP) build/host/plain/mm-heap build/host/asan/mm-heap
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		bash tests/run-host.sh build/host/plain/mm-heap build/host/asan/mm-heap
