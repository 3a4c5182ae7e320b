# Guests: the runtime library (guests/lib) and the test guests
# (guests/tests/<name>/), built as static ELF64 images with clang + ld.lld
# against newlib (ci/deps.d/newlib.sh).  Included by the top Makefile.
#
#   make guests-x86_64      build/guests/x86_64/<name>.elf for every guest
#   make guests-aarch64     build/guests/aarch64/<name>.elf (build only:
#                           no aarch64 hypervisor runs them yet)
#   make suite-guests       host checks of the framework and the images
#
# GUEST_ELFS_X86_64 (and GUEST_ELFS_AARCH64) list the images, for the
# platform to embed.

GUEST_NAMES := $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard guests/tests/*/*.c)))))
GUEST_LIB_SRCS := $(wildcard guests/lib/*.c)
CLANG_RESOURCE_DIR := $(shell $(CLANG) -print-resource-dir 2>/dev/null)

# Guests run in ring 3 with CR0.EM set and SSE off, and newlib is built
# the same way: soft float (through cc1: the driver ignores -msoft-float on
# x86) with long double equal to double.  These flags must match
# ci/deps.d/newlib.sh, or floating-point arguments are passed differently.
GUEST_ARCH_x86_64 := --target=x86_64-unknown-elf -mno-red-zone -mno-sse \
	-mno-mmx -Xclang -msoft-float -mlong-double-64
GUEST_LDFLAGS_x86_64 :=
# aarch64 guests run at EL1 and turn FP/SIMD on in crt0.  They are linked
# at PADDOCK_A64_GUEST_BASE (include/public/paddock/start_info.h).
GUEST_AARCH64_BASE := 0x4000000000
GUEST_ARCH_aarch64 := --target=aarch64-none-elf
GUEST_LDFLAGS_aarch64 := --defsym=GUEST_BASE=$(GUEST_AARCH64_BASE) \
	-z max-page-size=4096

# $(1) = arch.  Defines NEWLIB_<arch>, GUEST_ELFS_<ARCH> and guests-<arch>.
define GUEST_ARCH_RULES
NEWLIB_$(1) := $(BUILD)/newlib/$(1)
NEWLIB_$(1)_STAMP := $(BUILD)/newlib/$(1)/.stamp
GUEST_DIR_$(1) := $(BUILD)/guests/$(1)
GUEST_CFLAGS_$(1) := $$(GUEST_ARCH_$(1)) -std=gnu11 $(WARN) $(XEN_DEFS) \
	-ffreestanding -fno-pic -fno-stack-protector -O2 -g \
	-nostdinc -isystem $(BUILD)/newlib/$(1)/include \
	-isystem $(CLANG_RESOURCE_DIR)/include \
	-Iinclude/public -I$(XEN_INC) -Iguests/lib -MMD -MP
GUEST_LD_$(1) := guests/lib/arch/$(1)/guest.ld
GUEST_CRT0_$(1) := $(BUILD)/guests/$(1)/lib/crt0.o
GUEST_LIB_$(1) := $(BUILD)/guests/$(1)/lib/libguest.a
GUEST_LIB_OBJS_$(1) := $(GUEST_LIB_SRCS:guests/lib/%.c=$(BUILD)/guests/$(1)/lib/%.o)
GUEST_ELFS_$(1) := $(GUEST_NAMES:%=$(BUILD)/guests/$(1)/%.elf)

.PHONY: guests-$(1)
guests-$(1): $$(GUEST_ELFS_$(1))

# newlib is built by `make deps`; this rule covers a tree whose deps stamp
# predates the newlib step, and a changed recipe.
$$(NEWLIB_$(1)_STAMP): ci/deps.d/newlib.sh | $(DEPS_STAMP)
	NEWLIB_TARGETS=$(1) bash ci/deps.d/newlib.sh
	@touch $$@

$(BUILD)/guests/$(1)/lib/%.o: guests/lib/%.c $$(NEWLIB_$(1)_STAMP) \
		| $(XEN_INC)/xen
	@mkdir -p $$(dir $$@)
	$(CLANG) $$(GUEST_CFLAGS_$(1)) -c $$< -o $$@

$$(GUEST_CRT0_$(1)): guests/lib/arch/$(1)/crt0.S | $(DEPS_STAMP)
	@mkdir -p $$(dir $$@)
	$(CLANG) $$(GUEST_ARCH_$(1)) -c $$< -o $$@

$$(GUEST_LIB_$(1)): $$(GUEST_LIB_OBJS_$(1))
	@rm -f $$@
	llvm-ar rcs $$@ $$^

$(BUILD)/guests/$(1)/obj/%.o: guests/tests/%.c $$(NEWLIB_$(1)_STAMP) \
		| $(XEN_INC)/xen
	@mkdir -p $$(dir $$@)
	$(CLANG) $$(GUEST_CFLAGS_$(1)) -c $$< -o $$@

$$(foreach g,$(GUEST_NAMES),$$(eval $$(call GUEST_ELF_RULE,$(1),$$(g))))
endef

# $(1) = arch, $(2) = guest: one image from all of guests/tests/<guest>/*.c.
define GUEST_ELF_RULE
$$(eval $$(call GUEST_LINK_RULE,$(1),$(2),$(patsubst guests/tests/%.c,$(BUILD)/guests/$(1)/obj/%.o,$(wildcard guests/tests/$(2)/*.c))))
endef

# $(1) = arch, $(2) = image name, $(3) = its objects: the link, on the
# guest runtime and newlib.
define GUEST_LINK_RULE
$(BUILD)/guests/$(1)/$(2).elf: $(3) \
		$$(GUEST_CRT0_$(1)) $$(GUEST_LIB_$(1)) $$(GUEST_LD_$(1)) \
		$$(NEWLIB_$(1)_STAMP)
	$(LD_LLD) -static -nostdlib --no-undefined -z noexecstack \
		$$(GUEST_LDFLAGS_$(1)) -T $$(GUEST_LD_$(1)) -o $$@ \
		$$(GUEST_CRT0_$(1)) \
		$$(filter-out $$(GUEST_CRT0_$(1)),$$(filter %.o,$$^)) \
		--start-group $$(GUEST_LIB_$(1)) \
		$$(NEWLIB_$(1))/lib/libc.a $$(NEWLIB_$(1))/lib/libm.a \
		--end-group
endef

$(eval $(call GUEST_ARCH_RULES,x86_64))
$(eval $(call GUEST_ARCH_RULES,aarch64))

GUEST_ELFS_X86_64 := $(GUEST_ELFS_x86_64)
GUEST_ELFS_AARCH64 := $(GUEST_ELFS_aarch64)
export GUEST_ELFS_X86_64 GUEST_ELFS_AARCH64

# The aarch64 platform's own test guest (guests/aarch64/selftest), on the
# runtime like the others: the image "arm64-selftest" (its selftest.mk).
$(BUILD)/guests/aarch64/obj/arm64-selftest/%.o: guests/aarch64/selftest/%.c \
		$(NEWLIB_aarch64_STAMP) | $(XEN_INC)/xen
	@mkdir -p $(dir $@)
	$(CLANG) $(GUEST_CFLAGS_aarch64) -c $< -o $@
$(eval $(call GUEST_LINK_RULE,aarch64,arm64-selftest,$(BUILD)/guests/aarch64/obj/arm64-selftest/selftest.o))

# Host-side checks of the framework and of every image (guests/check.sh);
# building the aarch64 images here keeps them from rotting before an
# aarch64 hypervisor runs them.
.PHONY: suite-guests
SUITES += guests
suite-guests: $(DEPS_STAMP) $(GUEST_ELFS_X86_64) $(GUEST_ELFS_AARCH64)
	@GUEST_AARCH64_BASE=$(GUEST_AARCH64_BASE) bash guests/check.sh \
		$(GUEST_ELFS_X86_64) $(GUEST_ELFS_AARCH64)

-include $(wildcard $(BUILD)/guests/*/lib/*.d $(BUILD)/guests/*/obj/*/*.d)
