# suite-dt: the device-tree reader (hypervisor/dt) on the host, plain and
# with AddressSanitizer + UndefinedBehaviorSanitizer (a read outside a
# malformed blob is a failure).  The blobs are made at test time, never
# committed: QEMU's virt machine dumped by qemu-system-aarch64 (bounded by
# DT_QEMU_TIMEOUT), and tests/dt/*.dts compiled by dtc, minimal.dts once
# per variant macro (cpp -D<X>).  Then a bounded libFuzzer run of
# tests/dt/fuzz_dt.c (DT_FUZZ_SECONDS, DT_FUZZ_RUNS).

DT_SRCS := $(wildcard hypervisor/dt/*.c) hypervisor/lib/fmt.c hypervisor/lib/string.c
DT_TEST_DEPS := tests/dt/test_dt.c $(DT_SRCS) hypervisor/include/paddock/fdt.h \
	hypervisor/include/paddock/dt_platform.h hypervisor/include/paddock/fmt.h \
	hypervisor/include/paddock/mem.h
DT_TEST_CFLAGS := -std=c11 -D_GNU_SOURCE -g $(WARN) -Ihypervisor/include -O1
DT_QEMU_TIMEOUT ?= 30
DT_QEMU := timeout $(DT_QEMU_TIMEOUT) qemu-system-aarch64 -nographic \
	-machine virt,virtualization=on,gic-version=3,iommu=smmuv3 -cpu max
DT_VARIANTS := NO_MEMORY NO_UART NO_GIC NO_TIMER MANY_MEM TRANSLATED SHORT_TIMER
DT_BLOBS := $(addprefix $(BUILD)/dt/,virt.dtb virt-smp.dtb edge.dtb minimal.dtb \
	$(DT_VARIANTS:%=minimal-%.dtb))

$(BUILD)/dt/virt.dtb: | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(DT_QEMU) -m 512M -machine dumpdtb=$@ >/dev/null

$(BUILD)/dt/virt-smp.dtb: | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(DT_QEMU) -m 1G -smp 2 -device edu,dma_mask=0xffffffffffffffff \
		-machine dumpdtb=$@ >/dev/null

$(BUILD)/dt/%.dtb: tests/dt/%.dts | $(DEPS_STAMP)
	@mkdir -p $(@D)
	cpp -P -nostdinc -undef -x assembler-with-cpp $< | dtc -q -I dts -O dtb -o $@ -

$(BUILD)/dt/minimal-%.dtb: tests/dt/minimal.dts | $(DEPS_STAMP)
	@mkdir -p $(@D)
	cpp -P -nostdinc -undef -x assembler-with-cpp -D$* $< | dtc -q -I dts -O dtb -o $@ -

$(BUILD)/host/plain/dt-test: $(DT_TEST_DEPS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOST_CC) $(DT_TEST_CFLAGS) -o $@ tests/dt/test_dt.c $(DT_SRCS) -lcmocka

$(BUILD)/host/asan/dt-test: $(DT_TEST_DEPS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CLANG) $(DT_TEST_CFLAGS) $(ASAN_FLAGS) -o $@ tests/dt/test_dt.c $(DT_SRCS) -lcmocka

# The fuzzer's seeds: the hand-written machines and the virt blob repacked
# by dtc (QEMU pads its dump to 1 MiB).
DT_FUZZ_SECONDS ?= 20
DT_FUZZ_RUNS ?= 300000
$(BUILD)/dt/seeds/.stamp: $(DT_BLOBS)
	@mkdir -p $(@D)
	cp $(filter-out %/virt.dtb %/virt-smp.dtb,$(DT_BLOBS)) $(@D)/
	dtc -q -I dtb -O dtb -o $(@D)/virt.dtb $(BUILD)/dt/virt.dtb
	@touch $@

$(BUILD)/dt/fuzz_dt: tests/dt/fuzz_dt.c $(DT_TEST_DEPS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CLANG) $(DT_TEST_CFLAGS) -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -fno-omit-frame-pointer -o $@ \
		tests/dt/fuzz_dt.c $(DT_SRCS)

.PHONY: suite-dt
SUITES += dt
suite-dt: $(DEPS_STAMP) $(DT_BLOBS) $(BUILD)/host/plain/dt-test \
		$(BUILD)/host/asan/dt-test $(BUILD)/dt/fuzz_dt $(BUILD)/dt/seeds/.stamp
	@bash tests/dt/run.sh $(BUILD)/host/plain/dt-test $(BUILD)/host/asan/dt-test \
		$(BUILD)/dt/fuzz_dt $(DT_FUZZ_SECONDS) $(DT_FUZZ_RUNS) $(BUILD)/dt/seeds
