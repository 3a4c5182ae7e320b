# Compilers and flags.  Hypervisor and guest code cross-compile with
# clang + ld.lld for both targets; host tests use the system compiler
# (clang when a sanitizer or libFuzzer is needed).

HOST_CC ?= cc
CLANG ?= clang
LD_LLD ?= ld.lld
OBJCOPY ?= llvm-objcopy

# The Xen public headers: an include directory holding only xen/, so that
# no host header leaks into freestanding builds (docs/guests.md, "The
# runtime").
XEN_INC := $(BUILD)/xeninc
$(XEN_INC)/xen: | $(DEPS_STAMP)
	@mkdir -p $(XEN_INC)
	ln -sfn /usr/include/xen $@

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
XEN_DEFS := -D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__
CORE_INC := -Ihypervisor/include -Iinclude/public -I$(XEN_INC)
CORE_CFLAGS := -std=c11 $(WARN) $(XEN_DEFS) $(CORE_INC)

# Generic hypervisor code, compiled unchanged into the hypervisor and into
# the host tests.
CORE_SRCS := $(wildcard hypervisor/pasid/*.c hypervisor/core/*.c hypervisor/lib/*.c)

# Freestanding cross flags, per target.
FREESTANDING := -ffreestanding -fno-builtin -nostdlib -fno-pic -fno-stack-protector -O2 -g
X86_64_CFLAGS := --target=x86_64-unknown-elf $(FREESTANDING) -mno-red-zone \
	-mcmodel=kernel -mno-sse -mno-mmx -mno-sse2 -mno-avx
AARCH64_CFLAGS := --target=aarch64-none-elf $(FREESTANDING)

FORMAT_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
