# Benchmarks (make bench): host builds of the generic hypervisor code at
# -O2 with the system compiler, no sanitizers, against the fake arch and a
# byte-counting heap (bench/heap_bytes.c).  See bench/README.md.

BENCH_DIR := $(BUILD)/bench
BENCH_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g $(WARN) $(XEN_DEFS) $(CORE_INC) \
	-Itests/support -Ihypervisor/pasid -Ibench
BENCH_LINK := $(CORE_SRCS) tests/support/fake_arch.c bench/heap_bytes.c
BENCH_DEPS := $(BENCH_LINK) bench/bench.h $(wildcard tests/support/*.h \
	hypervisor/include/paddock/*.h include/public/paddock/*.h hypervisor/*/*.h)

$(BENCH_DIR)/%: bench/%.c $(BENCH_DEPS) | $(XEN_INC)/xen
	@mkdir -p $(@D)
	@$(HOST_CC) $(BENCH_CFLAGS) -o $@ $< $(BENCH_LINK)

.PHONY: bench-pasid bench-hcall-instr
BENCHES += bench-pasid bench-hcall-instr

bench-pasid: $(DEPS_STAMP) $(BENCH_DIR)/bench_pasid
	@$(BENCH_DIR)/bench_pasid

# After bench-pasid, so that the two never share the CPU.
bench-hcall-instr: $(DEPS_STAMP) $(BENCH_DIR)/hcall_count | bench-pasid
	@bash bench/callgrind.sh $(BENCH_DIR)/hcall_count
