#!/usr/bin/env bash
# Checks every tracked C file against the committed .clang-format.
# One test per file: "N passed, N failed" closes the output.
set -uo pipefail
cd "$(dirname "$0")/.."
pass=0
fail=0
while IFS= read -r f; do
	[ -f "$f" ] || continue
	if clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "format: $f differs from .clang-format; run 'make format'"
	fi
done < <(git ls-files '*.c' '*.h')
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
