#!/usr/bin/env bash
# Runs host test binaries one after another and sums their closing
# "N passed, N failed" lines; a binary that dies or prints none counts as
# one failure.  Prints the sum as its own closing line.
set -uo pipefail
pass=0
fail=0
for bin in "$@"; do
	out=$("$bin" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
	if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
		pass=$((pass + BASH_REMATCH[1]))
		fail=$((fail + BASH_REMATCH[2]))
		if [ $rc -ne 0 ] && [ "${BASH_REMATCH[2]}" -eq 0 ]; then
			echo "$bin: exit status $rc"
			fail=$((fail + 1))
		fi
	else
		echo "$bin: no closing line (exit status $rc)"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
