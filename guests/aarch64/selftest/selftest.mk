# The arm64 platform's own test guest, on the guest runtime and newlib
# like guests/tests/*: the image named "arm64-selftest" in a system's
# SYSTEM_GUESTS.  Included by hypervisor/arch/aarch64/arch.mk; its rule
# uses the aarch64 guest build of guests/guests.mk.
ARM64_SELFTEST := $(BUILD)/guests/aarch64/arm64-selftest.elf
ARCH_GUEST_ELF_arm64-selftest := $(ARM64_SELFTEST)
ARM64_SELFTEST_OBJ := $(BUILD)/guests/aarch64/obj/arm64-selftest/selftest.o
