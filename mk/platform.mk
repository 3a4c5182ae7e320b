# The board the hypervisor is built for and run on: PLATFORM=<board>
# names config/platforms/<board>.mk (and its C half <board>.c).  The
# board's .mk sets BOARD_ARCH, which picks hypervisor/arch/<arch>/arch.mk;
# docs/porting.md says what each defines.

PLATFORM ?= qemu-x86_64
BOARDS := $(sort $(basename $(notdir $(wildcard config/platforms/*.mk))))
ifeq ($(filter $(PLATFORM),$(BOARDS)),)
$(error PLATFORM=$(PLATFORM) is not a board: the boards are $(BOARDS) (config/platforms/<board>.mk))
endif
# The suite runner's makes must build for the same board.
export PLATFORM

include config/platforms/$(PLATFORM).mk

BOARD_VARS := BOARD_ARCH BOARD_SRCS BOARD_IMAGE_OBJCOPY BOARD_QEMU \
	BOARD_QEMU_ARGS BOARD_EXIT_MAP BOARD_TIMEOUT
$(foreach v,$(BOARD_VARS),$(if $($(v)),,\
	$(error config/platforms/$(PLATFORM).mk does not set $(v) (docs/porting.md, "A new board"))))

ARCH := $(BOARD_ARCH)
# The image file a loader takes (BOARD_IMAGE_NAME, optional).
HV_IMAGE := $(or $(BOARD_IMAGE_NAME),paddock.elf)
ARCH_DIR := hypervisor/arch/$(ARCH)
HV_BUILD := $(BUILD)/$(ARCH)
