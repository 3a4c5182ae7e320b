# The board qemu-aarch64: QEMU's virt machine under TCG with EL2, a GICv3
# and an SMMUv3, and the same four edu devices as qemu-x86_64 (docs/arm64.md,
# "Running under QEMU").  Its C half is qemu-aarch64.c (platform_config);
# docs/porting.md, "A new board", says what each variable means.

BOARD_ARCH := aarch64
BOARD_SRCS := config/platforms/qemu-aarch64.c

# The loaders take the raw image with its arm64 Image header (boot.S).
BOARD_IMAGE_OBJCOPY := -O binary
BOARD_IMAGE_NAME := Image

# virtualization=on: entered at EL2, PSCI over SMC.  The PCIe topology is
# qemu-x86_64's: 01:00.0 and 03:00.0 each alone behind a root port,
# 02:01.0 and 02:02.0 in one isolation group behind a PCIe-to-PCI bridge.
BOARD_QEMU := qemu-system-aarch64
BOARD_QEMU_ARGS := -machine virt,virtualization=on,gic-version=3,iommu=smmuv3 \
	-accel tcg -cpu max -m 512M -smp 4 \
	-nographic -no-reboot -monitor none -net none \
	-device pcie-root-port,id=rp1,chassis=1 \
	-device edu,bus=rp1,dma_mask=0xffffffffffffffff \
	-device pcie-pci-bridge,id=pbr,bus=pcie.0 \
	-device edu,bus=pbr,addr=1,dma_mask=0xffffffffffffffff \
	-device edu,bus=pbr,addr=2,dma_mask=0xffffffffffffffff \
	-device pcie-root-port,id=rp2,chassis=2 \
	-device edu,bus=rp2,dma_mask=0xffffffffffffffff

# PSCI SYSTEM_OFF always exits QEMU with 0: the run status is the last
# "paddock: run status N" line the hypervisor prints (scripts/qemu-run.sh).
BOARD_EXIT_MAP := log

BOARD_TIMEOUT ?= 120

# The firmware path a lab's board takes (suite-aarch64-uboot): Debian's
# U-Boot for this machine (package u-boot-qemu), booting from a virtio
# disk (virtio-mmio, so the PCI topology stays the same); UEFI boots from
# the same kind of disk.
BOARD_UBOOT := /usr/lib/u-boot/qemu_arm64/u-boot.bin
BOARD_BOOT_DISK_ARGS = -drive if=none,file=$(1),format=raw,id=bootdisk \
	-device virtio-blk-device,drive=bootdisk

# The server's path (suite-aarch64-uefi): Debian's AAVMF, edk2 for this
# machine (package qemu-efi-aarch64), starts the Image as an EFI
# application from an EFI system partition on a virtio disk
# (scripts/efi-esp.sh).  The firmware code read-only and a private copy of
# its variable store ($(1)), each a 64 MiB flash image as virt's two pflash
# banks want.  acpi=off: with ACPI tables from QEMU, AAVMF publishes those
# and no device tree, which Paddock refuses (docs/arm64.md).
BOARD_AAVMF_CODE := /usr/share/AAVMF/AAVMF_CODE.fd
BOARD_AAVMF_VARS := /usr/share/AAVMF/AAVMF_VARS.fd
BOARD_UEFI_ARGS = -machine acpi=off \
	-drive if=pflash,format=raw,readonly=on,file=$(BOARD_AAVMF_CODE) \
	-drive if=pflash,format=raw,file=$(1) \
	$(call BOARD_BOOT_DISK_ARGS,$(2))
