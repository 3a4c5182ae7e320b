# The x86_64 platform's own test guest (freestanding, no newlib, no guest
# library): the image named "x86-selftest" in a system's SYSTEM_GUESTS.
# Included by hypervisor/arch/x86_64/arch.mk.
X86_SELFTEST := $(HV_BUILD)/selftest/x86-selftest.elf
X86_SELFTEST_CFLAGS := --target=x86_64-unknown-elf -ffreestanding -fno-pic \
	-fno-builtin -fno-stack-protector -mno-red-zone -mno-sse -mno-mmx \
	-O2 -g -std=c11 $(WARN) $(XEN_DEFS) -Iinclude/public -I$(XEN_INC) \
	-fno-asynchronous-unwind-tables
$(HV_BUILD)/selftest/%.o: guests/x86_64/selftest/%.c | $(DEPS_STAMP) $(XEN_INC)/xen
	@mkdir -p $(dir $@)
	$(CLANG) $(X86_SELFTEST_CFLAGS) -c $< -o $@
$(HV_BUILD)/selftest/crt0.o: guests/x86_64/selftest/crt0.S | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CLANG) --target=x86_64-unknown-elf -c $< -o $@
$(X86_SELFTEST): $(HV_BUILD)/selftest/crt0.o $(HV_BUILD)/selftest/selftest.o \
		guests/x86_64/selftest/selftest.ld
	$(LD_LLD) -static -nostdlib --no-undefined -T guests/x86_64/selftest/selftest.ld \
		-o $@ $(filter %.o,$^)

# The image name "x86-selftest" in a system's SYSTEM_GUESTS is this one.
ARCH_GUEST_ELF_x86-selftest := $(X86_SELFTEST)
