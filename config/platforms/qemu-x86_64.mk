# The board qemu-x86_64: QEMU's q35 machine under TCG with a scalable-mode
# VT-d unit and four edu devices (docs/x86.md, "Running under QEMU").  Its
# C half is qemu-x86_64.c (platform_config); docs/porting.md, "A new
# board", says what each variable means.

BOARD_ARCH := x86_64
BOARD_SRCS := config/platforms/qemu-x86_64.c

# The Multiboot v1 loader of QEMU's -kernel takes ELF32 only: the linked
# ELF64 image is rewritten as ELF32 (same program headers).
BOARD_IMAGE_OBJCOPY := -O elf32-i386

# The machine.  -smp 4: four CPUs (APIC IDs 0-3 in the MADT), which every
# run starts (a CPU with no domain parks at once); systems whose domains
# say CFG_CPU_ANY, the demo's, spread over them.  The bench runs take one
# (arch.mk: -icount needs single-threaded TCG, and boot times stay
# comparable).  intremap=on: Paddock refuses a unit without interrupt
# remapping; aw-bits=48: 4-level second-level tables, what the domains'
# DMA tables are.  The edu devices give the systems devices to assign:
# 01:00.0 and 03:00.0 each alone behind a root port, 02:01.0 and 02:02.0
# in one isolation group behind the PCIe-to-PCI bridge.
BOARD_QEMU := qemu-system-x86_64
BOARD_QEMU_ARGS := -machine q35 -accel tcg -cpu max -m 512M -smp 4 \
	-nographic -no-reboot -monitor none \
	-device intel-iommu,aw-bits=48,x-scalable-mode=on,x-pasid-mode=on,intremap=on \
	-device isa-debug-exit,iobase=0xf4,iosize=4 \
	-device pcie-root-port,id=rp1,chassis=1 \
	-device edu,bus=rp1,dma_mask=0xffffffffffffffff \
	-device pcie-pci-bridge,id=pbr,bus=pcie.0 \
	-device edu,bus=pbr,addr=1,dma_mask=0xffffffffffffffff \
	-device edu,bus=pbr,addr=2,dma_mask=0xffffffffffffffff \
	-device pcie-root-port,id=rp2,chassis=2 \
	-device edu,bus=rp2,dma_mask=0xffffffffffffffff

# isa-debug-exit turns the hypervisor's exit code N (written to port 0xf4,
# platform_config.exit_port) into QEMU's status 2N+1; each pair is
# QEMU status=run status (scripts/qemu-run.sh says what the run statuses
# mean).  QEMU exits with 0 only when the machine shut down by itself: a
# triple fault under -no-reboot, which the hypervisor never asks for, so
# it counts as a hypervisor fault (seen with a started CPU that had no
# TSS: its first interrupt from a domain could not be delivered).
BOARD_EXIT_MAP := 0=3 1=0 3=1 5=2 7=3

# Seconds one QEMU run may take before it counts as hung.
BOARD_TIMEOUT ?= 120

# The firmware path a server takes (suite-x86-uefi, docs/x86.md "Booting
# from UEFI"): Debian's OVMF (package ovmf), its code read-only and a
# private copy of its variable store writable, starting GRUB from an EFI
# system partition on a virtio disk (scripts/grub-efi-esp.sh).  No NIC
# (-net none): the firmware would try a network boot first.  The machine
# is otherwise the one above: the virtio disk takes the default NIC's
# place on bus 0, the edu devices keep their bus numbers.
# $(1) = the ESP image, $(2) = the variable store copy.
BOARD_OVMF_CODE := /usr/share/OVMF/OVMF_CODE_4M.fd
BOARD_OVMF_VARS := /usr/share/OVMF/OVMF_VARS_4M.fd
BOARD_UEFI_ARGS = -drive if=pflash,format=raw,unit=0,readonly=on,file=$(BOARD_OVMF_CODE) \
	-drive if=pflash,format=raw,unit=1,file=$(2) \
	-drive if=none,id=esp,format=raw,file=$(1) -device virtio-blk-pci,drive=esp \
	-net none
