#!/usr/bin/env bash
# Makes the EFI system partition an x86_64 server boots Paddock from
# through UEFI firmware and GRUB (docs/x86.md, "Booting from UEFI"):
#   grub-efi-esp.sh IMAGE ESP [CMDLINE]
# ESP is a 16 MiB FAT file system (no partition table: OVMF and GRUB both
# take a whole disk holding one), made with mtools, without root or loop
# mounts:
#   /EFI/BOOT/BOOTX64.EFI  GRUB for x86_64-efi, standalone (the removable-
#                          media path the firmware starts with no boot
#                          entries set, UEFI 2.10, 3.5.1.1)
#   /boot/grub/grub.cfg    serial console at 115200, then
#                          `multiboot2 /boot/paddock.elf CMDLINE` and boot
#   /boot/paddock.elf      IMAGE
# The GRUB image holds a small configuration in its memdisk that finds the
# partition with /boot/paddock.elf and reads the grub.cfg there, as an
# installed GRUB does.  CMDLINE is what QEMU's -append gives the -kernel
# path; it may hold letters, digits, spaces and . _ = , : / + - only, so
# that nothing in it is GRUB script.
set -euo pipefail
image=$1
esp=$2
cmdline=${3:-}
if [[ ! $cmdline =~ ^[A-Za-z0-9\ ._=,:/+-]*$ ]]; then
	echo "grub-efi-esp: command line '$cmdline' has characters GRUB would interpret" >&2
	exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# In the GRUB image: find the ESP, read its grub.cfg.
cat >"$work/embedded.cfg" <<'CFG'
search --no-floppy --file --set=root /boot/paddock.elf
configfile ($root)/boot/grub/grub.cfg
CFG

# On the ESP: GRUB's serial console (COM1), then Paddock.
cat >"$work/grub.cfg" <<CFG
serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
echo "grub: multiboot2 /boot/paddock.elf $cmdline"
multiboot2 /boot/paddock.elf $cmdline
boot
CFG

# The modules it runs with: multiboot2 (the loader), serial, normal (the
# configuration files), search and fat (finding the ESP), part_gpt and
# part_msdos (an ESP that is a partition, as on a real disk), echo.  Only
# those are put in its memdisk (--install-modules), which keeps it small.
modules="multiboot2 serial normal search search_fs_file fat part_gpt part_msdos echo"
grub-mkstandalone -O x86_64-efi --modules="$modules" \
	--install-modules="$modules configfile" --locales= --themes= --fonts= \
	-o "$work/BOOTX64.EFI" "boot/grub/grub.cfg=$work/embedded.cfg"

rm -f "$esp"
truncate -s 16M "$esp"
mformat -i "$esp" -v PADDOCKESP ::
mmd -i "$esp" ::/EFI ::/EFI/BOOT ::/boot ::/boot/grub
mcopy -i "$esp" "$work/BOOTX64.EFI" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$esp" "$work/grub.cfg" ::/boot/grub/grub.cfg
mcopy -i "$esp" "$image" ::/boot/paddock.elf
