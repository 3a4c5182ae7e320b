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

# Linux's IDA and xarray side by side with the manager (bench/bench_peers.c).
# bench/linux_peer.sh installs linux-source-6.1 and liburcu-dev, extracts
# what it needs into $(BUILD)/linux-src and builds $(PEER_DIR)/libpeer.a;
# when it cannot, it leaves the reason in $(PEER_DIR)/unavailable and the
# bench runs without the peers.  Its stamp is written only on success, so
# a failed attempt is tried again by the next make bench.
PEER_DIR := $(BUILD)/linux-peer
PEER_CFLAGS = $(BENCH_CFLAGS) -DPEER_UNAVAILABLE='"$(PEER_DIR)/unavailable"' \
	-Wl,--wrap=malloc,--wrap=posix_memalign

$(PEER_DIR)/.built: bench/linux_peer.sh bench/peer_linux.c bench/peer_linux.h
	@bash bench/linux_peer.sh "$(HOST_CC)" $(PEER_DIR) $(BUILD)/linux-src && \
		{ [ -e $(PEER_DIR)/unavailable ] || touch $@; }

$(BENCH_DIR)/bench_peers: bench/bench_peers.c bench/peer_linux.h $(BENCH_DEPS) $(PEER_DIR)/.built | $(XEN_INC)/xen
	@mkdir -p $(@D)
	@if [ -e $(PEER_DIR)/.built ]; then \
		$(HOST_CC) $(PEER_CFLAGS) -DHAVE_LINUX_PEERS -o $@ $< $(BENCH_LINK) \
			$(PEER_DIR)/libpeer.a -lurcu -lpthread; \
	else \
		$(HOST_CC) $(PEER_CFLAGS) -o $@ $< $(BENCH_LINK) -lpthread; \
	fi

.PHONY: bench-peers
BENCHES += bench-peers

# After the others, so that no two benches share the CPU.
bench-peers: $(DEPS_STAMP) $(BENCH_DIR)/bench_peers | bench-hcall-instr
	@$(BENCH_DIR)/bench_peers

# Cost as the work grows (bench/bench_vtd.c): the manager with the VT-d
# driver over the VT-d tests' simulated unit, and alone.
BENCH_VTD_SRCS := $(addprefix drivers/iommu/vtd/, vtd_unit.c vtd_qi.c vtd_ctx.c \
	vtd_did.c vtd_pasid.c vtd_isolate.c vtd_fault.c vtd_entry.c vtd_fl.c \
	vtd_mmio.c) tests/vtd/vtd_sim.c tests/support/sim_pages.c tests/vtd/spec_walker.c

$(BENCH_DIR)/bench_vtd: bench/bench_vtd.c $(BENCH_DEPS) $(BENCH_VTD_SRCS) \
		$(wildcard drivers/iommu/vtd/*.h tests/vtd/*.h) | $(XEN_INC)/xen
	@mkdir -p $(@D)
	@$(HOST_CC) $(BENCH_CFLAGS) -o $@ $< $(BENCH_LINK) $(BENCH_VTD_SRCS)

.PHONY: bench-vtd
BENCHES += bench-vtd

bench-vtd: $(DEPS_STAMP) $(BENCH_DIR)/bench_vtd | bench-peers
	@$(BENCH_DIR)/bench_vtd
