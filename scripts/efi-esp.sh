#!/usr/bin/env bash
# Makes the EFI system partition UEFI firmware boots Paddock from, as a
# server's would (docs/arm64.md, "Booting from UEFI"): a raw disk with an
# MBR whose one partition, type 0xef (UEFI 2.10, 5.2.2: the EFI system
# partition on an MBR disk), is FAT, holding the Image as the
# removable-media boot file \EFI\BOOT\BOOTAA64.EFI (UEFI 2.10, 3.5.1.1) and
# the command line in \EFI\BOOT\paddock.cfg, which the EFI stub reads when
# the boot entry has no load options (hypervisor/arch/aarch64/efi_stub.c).
# Written with mtools: no root, no loop device.
#   efi-esp.sh IMAGE DISK [BOOTARGS] [DEST]
# DEST is where the Image goes on the partition (default
# /EFI/BOOT/BOOTAA64.EFI); with another DEST no boot entry finds it, and
# a startup.nsh for the UEFI shell runs it with BOOTARGS as load options.
# EFI_ESP_STARTUP, with the default DEST: a startup.nsh of that line, which
# the shell runs if the boot entry fails (a refusal: "reset -s" ends it).
set -euo pipefail
image=$1
disk=$2
bootargs=${3:-}
dest=${4:-/EFI/BOOT/BOOTAA64.EFI}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

le32() { printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) \
	$((($1 >> 8) & 255)) $((($1 >> 16) & 255)) $((($1 >> 24) & 255)); }
# 32 MiB, the partition from 1 MiB on; the MBR written by hand (one entry
# at 0x1be: type 0xef, from sector 2048 to the end; signature 55 aa).
rm -f "$disk"
truncate -s 32M "$disk"
sectors=$((32 * 2048))
printf "\\x00\\xff\\xff\\xff\\xef\\xff\\xff\\xff$(le32 2048)$(le32 $((sectors - 2048)))" |
	dd of="$disk" bs=1 seek=446 conv=notrunc status=none
printf '\x55\xaa' | dd of="$disk" bs=1 seek=510 conv=notrunc status=none
part="$disk@@1M"
mformat -i "$part" -T 63488 -h 4 -s 16 ::
mmd -i "$part" ::/EFI ::/EFI/BOOT
if [ "$dest" = /EFI/BOOT/BOOTAA64.EFI ]; then
	printf '# The Paddock command line (one line; # starts a comment)\n%s\n' \
		"$bootargs" >"$work/paddock.cfg"
	mcopy -i "$part" "$work/paddock.cfg" ::/EFI/BOOT/paddock.cfg
	if [ -n "${EFI_ESP_STARTUP:-}" ]; then
		printf '%s\r\n' "$EFI_ESP_STARTUP" >"$work/startup.nsh"
		mcopy -i "$part" "$work/startup.nsh" ::/startup.nsh
	fi
else
	# The UEFI shell runs startup.nsh from the first file system it maps
	# (FS0:) after a 5-second countdown; CR LF line ends.
	printf 'FS0:%s %s\r\n' "${dest//\//\\}" "$bootargs" >"$work/startup.nsh"
	mcopy -i "$part" "$work/startup.nsh" ::/startup.nsh
fi
destdir=$(dirname "$dest")
case $destdir in
/ | /EFI | /EFI/BOOT) ;;
*) mmd -i "$part" "::$destdir" ;;
esac
mcopy -i "$part" "$image" "::$dest"
