#!/usr/bin/env bash
# Makes the disk U-Boot boots Paddock from, as a lab's Arm board would:
# an MBR-partitioned raw image whose first partition is FAT, holding the
# Paddock Image and boot.scr, a U-Boot script (made with mkimage) that
# loads the Image and starts it with booti at EL2 with U-Boot's device tree
# (docs/arm64.md, "Booting with U-Boot").
#   uboot-disk.sh IMAGE DISK [BOOTARGS]
set -euo pipefail
image=$1
disk=$2
bootargs=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The script: ${kernel_addr_r} and ${fdtcontroladdr} are U-Boot's own
# (its qemu_arm64 environment); booti passes the tree in x0 and sets
# /chosen/bootargs from the bootargs variable.
cat >"$work/boot.cmd" <<SCRIPT
echo Paddock: loading Image from \${devtype} \${devnum}:\${distro_bootpart}
setenv bootargs "$bootargs"
load \${devtype} \${devnum}:\${distro_bootpart} \${kernel_addr_r} Image
booti \${kernel_addr_r} - \${fdtcontroladdr}
SCRIPT
mkimage -A arm64 -T script -C none -n "Paddock boot" -d "$work/boot.cmd" \
	"$work/boot.scr" >/dev/null

# 32 MiB: one FAT partition from 1 MiB on.
# The MBR written by hand (one entry at 0x1be: type 0x0e FAT16 LBA, from
# sector 2048 to the end; signature 55 aa), so no partitioning tool is
# needed.
le32() { printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) \
	$((($1 >> 8) & 255)) $((($1 >> 16) & 255)) $((($1 >> 24) & 255)); }
rm -f "$disk"
truncate -s 32M "$disk"
sectors=$((32 * 2048))
printf "\\x00\\xff\\xff\\xff\\x0e\\xff\\xff\\xff$(le32 2048)$(le32 $((sectors - 2048)))" |
	dd of="$disk" bs=1 seek=446 conv=notrunc status=none
printf '\x55\xaa' | dd of="$disk" bs=1 seek=510 conv=notrunc status=none
part="$disk@@1M"
mformat -i "$part" -T 63488 -h 4 -s 16 ::
mcopy -i "$part" "$image" ::/Image
mcopy -i "$part" "$work/boot.scr" ::/boot.scr
