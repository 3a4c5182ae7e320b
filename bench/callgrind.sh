#!/usr/bin/env bash
# hcall.alloc.instr: instructions per ALLOC hypercall, counted by callgrind
# inside hypercall_dispatch only, as the difference between runs of K and
# 2K calls divided by K (start-up and one-time costs cancel).
set -euo pipefail
bin=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
k=2000
count() {
	valgrind --tool=callgrind --toggle-collect=hypercall_dispatch \
		--callgrind-out-file="$out/cg.$1" "$bin" "$1" >/dev/null 2>&1
	awk '/^(summary|totals):/ { print $2; exit }' "$out/cg.$1"
}
one=$(count $k)
two=$(count $((2 * k)))
echo "# hcall.alloc.instr: callgrind Ir inside hypercall_dispatch, ($two - $one) / $k (runs of $((2 * k)) and $k ALLOC calls)"
awk -v a="$one" -v b="$two" -v k="$k" \
	'BEGIN { printf "bench: hcall.alloc.instr %.1f instr\n", (b - a) / k }'
