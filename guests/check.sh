#!/usr/bin/env bash
# Host-side checks of the guests (make suite-guests): the framework's own
# output against guests/selftest/expected.txt, and each built guest image
# against the entry contract (include/public/paddock/start_info.h) and the
# no-FPU rule.  Ends with "N passed, N failed".
#
#   guests/check.sh ELF...
# x86_64 images must start at PADDOCK_GUEST_BASE and hold no FPU/SIMD
# instruction; aarch64 ones start at $GUEST_AARCH64_BASE (FP is on there).
set -uo pipefail
cd "$(dirname "$0")/.."

pass=0
fail=0
ok() {
	echo "ok   $*"
	pass=$((pass + 1))
}
bad() {
	echo "FAIL $*"
	fail=$((fail + 1))
}

# 1. The test framework, run on the host.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ${HOST_CC:-cc} -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter \
	-Iguests/lib guests/selftest/selftest.c guests/lib/test.c \
	-o "$tmp/selftest" 2>"$tmp/cc.log"; then
	"$tmp/selftest" >"$tmp/out.txt" 2>&1
	rc=$?
	# Line numbers change with every edit of selftest.c; the rest may not.
	sed -E 's/(selftest\.c):[0-9]+:/\1:N:/g' "$tmp/out.txt" >"$tmp/norm.txt"
	if diff -u guests/selftest/expected.txt "$tmp/norm.txt" >"$tmp/diff.txt"; then
		ok "framework output matches guests/selftest/expected.txt"
	else
		bad "framework output differs from guests/selftest/expected.txt:"
		sed 's/^/     /' "$tmp/diff.txt"
	fi
	if [ "$rc" -eq 1 ]; then
		ok "framework exits 1 when a test failed"
	else
		bad "framework exit status $rc, expected 1"
	fi
else
	bad "framework self-test does not compile:"
	sed 's/^/     /' "$tmp/cc.log"
fi

# 2. Each image.
# x87 and SSE/MMX instructions: guests run with CR0.EM set and without
# CR4.OSFXSR.  MOVNTI (newlib's memcpy) is a general-register store and
# needs neither, so it is allowed.
fpu_re='%(x|y|z)mm[0-9]|%mm[0-9]|%st(\(|\b)|[[:space:]]f(ld|st|ild|ist|add|sub|mul|div|xch|com|ucom|nstcw|ldcw|nstsw|init|ninit|xsave|xrstor|wait)[a-z]*[[:space:]]|fxsave|fxrstor|(ld|st)mxcsr|xsave|xrstor|emms'
for elf in "$@"; do
	name=$(basename "$elf" .elf)
	if [ ! -f "$elf" ]; then
		bad "$name: $elf missing"
		continue
	fi
	hdr=$(llvm-readelf -h -l -W "$elf" 2>&1)
	case $elf in
	*/aarch64/*)
		arch=aarch64
		machine=AArch64
		base=${GUEST_AARCH64_BASE:-0x40000000}
		;;
	*)
		arch=x86_64
		machine=X86-64
		base=0x400000
		;;
	esac
	name="$arch/$name"
	if grep -q 'Class:.*ELF64' <<<"$hdr" && grep -q 'Type:.*EXEC' <<<"$hdr" &&
		grep -q "Machine:.*$machine" <<<"$hdr"; then
		ok "$name: static ELF64 $machine executable"
	else
		bad "$name: not a static ELF64 $machine executable"
	fi
	entry=$(awk '/Entry point address:/ {print $4}' <<<"$hdr")
	start=$(llvm-nm "$elf" | awk '$3 == "_start" {print "0x" $1}')
	if [ -n "$start" ] && [ $((entry)) -eq $((start)) ]; then
		ok "$name: entry is _start ($entry)"
	else
		bad "$name: entry $entry is not _start ($start)"
	fi
	first=$(awk '$1 == "LOAD" {print $3; exit}' <<<"$hdr")
	if [ $((first)) -eq $((base)) ]; then
		ok "$name: first PT_LOAD at $base"
	else
		bad "$name: first PT_LOAD at $first, not $base"
	fi
	if grep -q 'INTERP\|DYNAMIC' <<<"$hdr"; then
		bad "$name: has a dynamic section or interpreter"
	elif awk '$1 == "LOAD" && $7 ~ /W/ && $7 ~ /E/ {found=1} END {exit !found}' <<<"$hdr"; then
		bad "$name: a PT_LOAD segment is writable and executable"
	else
		ok "$name: no dynamic linking, no W+X segment"
	fi
	fpu=""
	if [ "$arch" = x86_64 ]; then
		fpu=$(llvm-objdump -d --no-show-raw-insn "$elf" | grep -E "$fpu_re" | head -n 3)
	fi
	if [ "$arch" = aarch64 ]; then
		:
	elif [ -z "$fpu" ]; then
		ok "$name: no x87/MMX/SSE instructions"
	else
		bad "$name: uses FPU/SIMD instructions:"
		sed 's/^/     /' <<<"$fpu"
	fi
	# A guest with TEST() records runs them; one without (crash, spin)
	# must be a deliberate main().
	syms=$(llvm-nm "$elf")
	lo=$(awk '$3 == "__start_paddock_tests" {print "0x" $1}' <<<"$syms")
	hi=$(awk '$3 == "__stop_paddock_tests" {print "0x" $1}' <<<"$syms")
	ntests=$(((hi - lo) / 24))
	if [ "$ntests" -gt 0 ]; then
		ok "$name: $ntests TEST() records"
	elif awk '$3 == "main" && $2 == "T" {found=1} END {exit !found}' <<<"$syms"; then
		ok "$name: no TEST() records, has its own main"
	else
		bad "$name: neither TEST() records nor a main of its own"
	fi
done

echo "guests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
