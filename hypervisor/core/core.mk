# The generic hypervisor, built for any architecture.  An arch.mk links
#   $(CORE_SRCS)      what the host tests link too (tests/tests.mk):
#                     the PASID manager, the dispatcher, lib/
#   $(CORE_HV_SRCS)   what only a hypervisor image links: the heap
#                     (hypervisor/mm, tested on its own by suite-mm)
#                     and the system's boot, scheduling policy and summary
#                     (hypervisor/core/boot)
# compiled with $(CORE_CFLAGS) and its own flags.  CORE_SRCS itself is
# set in mk/toolchain.mk.

MM_SRCS := $(wildcard hypervisor/mm/*.c)
CORE_BOOT_SRCS := $(wildcard hypervisor/core/boot/*.c)
CORE_HV_SRCS := $(MM_SRCS) $(CORE_BOOT_SRCS) config/validate.c
