# Intel VT-d scalable-mode driver: host test suite (suite-vtd) and the
# driver's sources for the x86_64 platform to link (VTD_SRCS).

VTD_SRCS := $(addprefix drivers/iommu/vtd/, vtd_unit.c vtd_qi.c vtd_ctx.c \
	vtd_did.c vtd_pasid.c vtd_isolate.c vtd_fault.c vtd_entry.c vtd_fl.c \
	vtd_mmio.c)
VTD_TEST_SRCS := tests/vtd/test_vtd.c tests/vtd/vtd_sim.c tests/support/sim_pages.c \
	tests/vtd/spec_walker.c
VTD_HDRS := $(wildcard drivers/iommu/vtd/*.h tests/vtd/*.h) \
	$(wildcard hypervisor/include/paddock/*.h)
VTD_BUILD := $(BUILD)/host/vtd

# The host's /usr/include already holds xen/errno.h; CORE_INC's build-tree
# link is only needed by the freestanding builds.  PADDOCK_LOCK_CHECKS:
# the unit lock records its holder and vtd_held() asserts it (spinlock.h).
VTD_HOST_CFLAGS := -std=c11 $(WARN) $(CORE_INC) -O1 -g -DPADDOCK_LOCK_CHECKS

SUITES += vtd vtd-san vtd-irq

# Interrupt remapping and device quiescing (tests/vtd/test_vtd_irq.c),
# under ASan and UBSan: what QEMU 7.2 cannot show (docs/vtd.md).
VTD_IRQ_SRCS := tests/vtd/test_vtd_irq.c tests/vtd/vtd_sim.c tests/support/sim_pages.c \
	tests/vtd/spec_walker.c
$(VTD_BUILD)/test_vtd_irq: $(VTD_SRCS) $(VTD_IRQ_SRCS) $(VTD_HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(VTD_HOST_CFLAGS) -fsanitize=address,undefined \
		-fno-sanitize-recover=all -fno-omit-frame-pointer \
		-o $@ $(VTD_SRCS) $(VTD_IRQ_SRCS) -lcmocka

$(VTD_BUILD)/test_vtd: $(VTD_SRCS) $(VTD_TEST_SRCS) $(VTD_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(VTD_HOST_CFLAGS) -o $@ $(VTD_SRCS) $(VTD_TEST_SRCS) -lcmocka

# Same, under AddressSanitizer and UndefinedBehaviorSanitizer (clang).
$(VTD_BUILD)/test_vtd_san: $(VTD_SRCS) $(VTD_TEST_SRCS) $(VTD_HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(VTD_HOST_CFLAGS) -fsanitize=address,undefined \
		-fno-sanitize-recover=all -fno-omit-frame-pointer \
		-o $@ $(VTD_SRCS) $(VTD_TEST_SRCS) -lcmocka

.PHONY: suite-vtd suite-vtd-san suite-vtd-irq
suite-vtd-irq: $(VTD_BUILD)/test_vtd_irq
	$(VTD_BUILD)/test_vtd_irq

suite-vtd: $(VTD_BUILD)/test_vtd
	$(VTD_BUILD)/test_vtd

suite-vtd-san: $(VTD_BUILD)/test_vtd_san
	$(VTD_BUILD)/test_vtd_san
