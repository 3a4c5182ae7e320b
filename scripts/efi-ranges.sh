#!/usr/bin/env bash
# Checks, from a serial log of a boot through the EFI stub, what the
# hypervisor printed about memory against what it printed of the EFI
# memory map: the image, the heap and the domain pool ("arm64: image A-B,
# heap C-D, domain pool E-F") must each be outside every range the firmware
# keeps ("arm64:   BASE-LAST type").  An independent reading of the same
# facts memory_init (hypervisor/arch/aarch64/setup.c) worked from: if it
# ignored the map, the pool would run into the firmware's runtime
# services.  Prints one verdict line, "efi-ranges: ...".
#   efi-ranges.sh LOG
set -uo pipefail
log=$1
kept=()
while read -r lo hi; do
	kept+=("$lo $hi")
done < <(grep -aoE '^arm64:   [0-9a-f]{16}-[0-9a-f]{16} ' "$log" |
	sed -E 's/^arm64: +([0-9a-f]+)-([0-9a-f]+) $/\1 \2/')
layout=$(grep -aoE '^arm64: image [0-9a-f]+-[0-9a-f]+, heap [0-9a-f]+-[0-9a-f]+, domain pool [0-9a-f]+-[0-9a-f]+' "$log" | tail -n 1)
if [ ${#kept[@]} -eq 0 ] || [ -z "$layout" ]; then
	echo "efi-ranges: FAIL the log has no kept ranges or no memory layout"
	exit 1
fi
read -r img_lo img_hi heap_lo heap_hi pool_lo pool_hi < <(echo "$layout" |
	sed -E 's/.*image ([0-9a-f]+)-([0-9a-f]+), heap ([0-9a-f]+)-([0-9a-f]+), domain pool ([0-9a-f]+)-([0-9a-f]+)/\1 \2 \3 \4 \5 \6/')
bad=""
for what in "image $img_lo $img_hi" "heap $heap_lo $heap_hi" "pool $pool_lo $pool_hi"; do
	read -r name lo hi <<<"$what"
	for r in "${kept[@]}"; do
		read -r klo khi <<<"$r"
		if ((0x$lo <= 0x$khi && 0x$klo <= 0x$hi)); then
			bad+=" $name $lo-$hi overlaps $klo-$khi;"
		fi
	done
done
if [ -n "$bad" ]; then
	echo "efi-ranges: FAIL$bad"
	exit 1
fi
echo "efi-ranges: image, heap and domain pool are outside all ${#kept[@]} ranges the firmware keeps"
