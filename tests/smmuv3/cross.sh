#!/usr/bin/env bash
# Usage: cross.sh CLANG FLAGS SOURCES...
# Compiles each SMMUv3 driver source freestanding for aarch64 (the
# hypervisor's flags plus -mgeneral-regs-only -mstrict-align) and checks
# that no object needs a floating-point or SIMD register.  One test per
# source: "N passed, N failed".
set -uo pipefail
clang=$1 flags=$2
shift 2
out=build/host/smmuv3/cross
mkdir -p "$out"
pass=0
fail=0
for src in "$@"; do
	obj=$out/$(basename "$src" .c).o
	# shellcheck disable=SC2086
	if $clang $flags -c "$src" -o "$obj"; then
		pass=$((pass + 1))
	else
		echo "cross: $src does not build for aarch64"
		fail=$((fail + 1))
	fi
done
echo "cross: SMMUv3 driver sources built for aarch64-none-elf"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
