# Guests: the runtime library (guests/lib) and the test guests
# (guests/tests/<name>/), built as static ELF64 images with clang + ld.lld
# against newlib (ci/deps.d/newlib.sh).  Included by the top Makefile.
#
#   make guests-x86_64      build/guests/x86_64/<name>.elf for every guest
#
# GUEST_ELFS_X86_64 lists the images, for the platform to embed.

GUEST_NAMES := $(notdir $(patsubst %/,%,$(dir $(wildcard guests/tests/*/*.c))))
GUEST_NAMES := $(sort $(GUEST_NAMES))

NEWLIB_X86_64 := $(BUILD)/newlib/x86_64
NEWLIB_X86_64_STAMP := $(NEWLIB_X86_64)/.stamp
GUEST_X86_64_DIR := $(BUILD)/guests/x86_64
GUEST_ELFS_X86_64 := $(GUEST_NAMES:%=$(GUEST_X86_64_DIR)/%.elf)
export GUEST_ELFS_X86_64

CLANG_RESOURCE_DIR := $(shell $(CLANG) -print-resource-dir 2>/dev/null)

# Guests run in ring 3 with SSE off, and newlib is built the same way: soft
# float (through cc1, the driver ignores -msoft-float on x86) with long
# double equal to double.  Any mismatch here and in ci/deps.d/newlib.sh
# changes how floating-point arguments are passed.
GUEST_X86_64_ARCH := --target=x86_64-unknown-elf -mno-red-zone -mno-sse \
	-mno-mmx -Xclang -msoft-float -mlong-double-64
GUEST_X86_64_CFLAGS := $(GUEST_X86_64_ARCH) -std=gnu11 $(WARN) $(XEN_DEFS) \
	-ffreestanding -fno-pic -fno-stack-protector -O2 -g \
	-nostdinc -isystem $(NEWLIB_X86_64)/include \
	-isystem $(CLANG_RESOURCE_DIR)/include \
	-Iinclude/public -I$(XEN_INC) -Iguests/lib -MMD -MP
GUEST_X86_64_LD := guests/lib/arch/x86_64/guest.ld

GUEST_LIB_SRCS := $(wildcard guests/lib/*.c)
GUEST_LIB_X86_64_OBJS := \
	$(GUEST_LIB_SRCS:guests/lib/%.c=$(GUEST_X86_64_DIR)/lib/%.o)
GUEST_CRT0_X86_64 := $(GUEST_X86_64_DIR)/lib/crt0.o
GUEST_LIB_X86_64 := $(GUEST_X86_64_DIR)/lib/libguest.a

.PHONY: guests-x86_64
guests-x86_64: $(GUEST_ELFS_X86_64)

# newlib is built by `make deps`; this rule covers a tree whose deps stamp
# predates the newlib step, and a changed recipe.
$(NEWLIB_X86_64_STAMP): ci/deps.d/newlib.sh | $(DEPS_STAMP)
	NEWLIB_TARGETS=x86_64 bash ci/deps.d/newlib.sh
	@touch $@

$(GUEST_X86_64_DIR)/lib/%.o: guests/lib/%.c $(NEWLIB_X86_64_STAMP) \
		| $(XEN_INC)/xen
	@mkdir -p $(dir $@)
	$(CLANG) $(GUEST_X86_64_CFLAGS) -c $< -o $@

$(GUEST_CRT0_X86_64): guests/lib/arch/x86_64/crt0.S | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CLANG) $(GUEST_X86_64_ARCH) -c $< -o $@

$(GUEST_LIB_X86_64): $(GUEST_LIB_X86_64_OBJS)
	@rm -f $@
	llvm-ar rcs $@ $^

$(GUEST_X86_64_DIR)/obj/%.o: guests/tests/%.c $(NEWLIB_X86_64_STAMP) \
		| $(XEN_INC)/xen
	@mkdir -p $(dir $@)
	$(CLANG) $(GUEST_X86_64_CFLAGS) -c $< -o $@

# One image per guests/tests/<name>/ directory, from all its .c files.
define GUEST_X86_64_RULE
$(GUEST_X86_64_DIR)/$(1).elf: $(patsubst guests/tests/%.c,$(GUEST_X86_64_DIR)/obj/%.o,$(wildcard guests/tests/$(1)/*.c)) \
		$(GUEST_CRT0_X86_64) $(GUEST_LIB_X86_64) $(GUEST_X86_64_LD)
	$(LD_LLD) -static -nostdlib --no-undefined -z noexecstack \
		-T $(GUEST_X86_64_LD) -o $$@ $(GUEST_CRT0_X86_64) \
		$$(filter-out $(GUEST_CRT0_X86_64),$$(filter %.o,$$^)) \
		--start-group $(GUEST_LIB_X86_64) \
		$(NEWLIB_X86_64)/lib/libc.a $(NEWLIB_X86_64)/lib/libm.a \
		--end-group
endef
$(foreach g,$(GUEST_NAMES),$(eval $(call GUEST_X86_64_RULE,$(g))))

-include $(wildcard $(GUEST_X86_64_DIR)/lib/*.d $(GUEST_X86_64_DIR)/obj/*/*.d)

# Host-side checks of the framework and of every image (guests/check.sh).
.PHONY: suite-guests
SUITES += guests
suite-guests: $(DEPS_STAMP) $(GUEST_ELFS_X86_64)
	@bash guests/check.sh $(GUEST_ELFS_X86_64)
