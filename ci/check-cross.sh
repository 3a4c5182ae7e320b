#!/usr/bin/env bash
# Usage: check-cross.sh CLANG LD_LLD X86_FLAGS ARM_FLAGS SOURCES...
# Compiles the generic sources for each target, links them with ld.lld -r,
# and compares the undefined symbols with the arch/heap interface
# (paddock/arch.h, and paddock/domain.h's hooks that core/boot provides).  One
# test per (source, target) plus one per link: "N passed, N failed".
set -uo pipefail
clang=$1 lld=$2 x86=$3 arm=$4
shift 4
allowed="arch_console_write arch_copy_from_guest arch_copy_to_guest \
arch_domain_dma_root arch_domain_fl_root domain_console_write domain_stopped \
domain_yield arch_guest_writable arch_test_op arch_phys_to_virt pd_free pd_zalloc \
memset memcpy"
pass=0
fail=0
for target in x86_64 aarch64; do
	flags=$x86
	[ "$target" = aarch64 ] && flags=$arm
	out=build/cross/$target
	mkdir -p "$out"
	objs=()
	for src in "$@"; do
		obj=$out/$(echo "$src" | tr / _).o
		# shellcheck disable=SC2086
		if $clang $flags -c "$src" -o "$obj"; then
			pass=$((pass + 1))
			objs+=("$obj")
		else
			echo "cross: $src does not build for $target"
			fail=$((fail + 1))
		fi
	done
	if ! $lld -r -o "$out/core.o" "${objs[@]}"; then
		echo "cross: ld.lld -r failed for $target"
		fail=$((fail + 1))
		continue
	fi
	extra=$(llvm-nm -u "$out/core.o" | awk '{print $2}' | while read -r sym; do
		case " $allowed " in *" $sym "*) ;; *) echo "$sym" ;; esac
	done)
	if [ -n "$extra" ]; then
		echo "cross: $target core needs symbols nobody provides: $extra"
		fail=$((fail + 1))
	else
		echo "cross: $target core links; undefined = arch hooks + heap only"
		pass=$((pass + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
