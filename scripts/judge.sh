#!/usr/bin/env bash
# Judges a Paddock serial log: one line per test, then "N passed, N failed".
#   - every "[domain] TEST PASS|FAIL name" line a guest printed;
#   - every "DMA|HEAP|PASID TEST PASS|FAIL" line of the hypervisor's
#     self-tests (PASID: the manager checked at the end of a test image's
#     run, hypervisor/test/testop.c);
#   - every domain's row in the hypervisor's summary table (its exit was
#     the one the configuration expected: "ok" or "FAILED"); a domain
#     expected to crash also needs exit "crashed" and the hypervisor's
#     "paddock: domain N (name) crashed: ..." line;
#   - a boot that never reached the summary counts as one failure;
#   - each extra REGEXP (extended) must match a line of the log.
#   judge.sh PREFIX LOG [REGEXP...]
# PREFIX starts the arch's own log lines (ARCH_LOG_PREFIX in its arch.mk,
# "x86" on x86_64): the summary follows "PREFIX: all domains stopped".
set -uo pipefail
prefix=$1
log=$2
shift 2
pass=0
fail=0
while IFS= read -r line; do
	line=${line%$'\r'}
	if [[ $line =~ ^(DMA|HEAP|PASID)\ TEST\ (PASS|FAIL)\ (.*)$ ]]; then
		if [ "${BASH_REMATCH[2]}" = PASS ]; then
			echo "PASS ${BASH_REMATCH[1],,}: ${BASH_REMATCH[3]}"
			pass=$((pass + 1))
		else
			echo "FAIL ${BASH_REMATCH[1],,}: ${BASH_REMATCH[3]}"
			fail=$((fail + 1))
		fi
	elif [[ $line =~ ^\[([^]]*)\]\ TEST\ (PASS|FAIL)\ (.*)$ ]]; then
		dom=${BASH_REMATCH[1]}
		what=${BASH_REMATCH[2]}
		name=${BASH_REMATCH[3]}
		if [ "$what" = PASS ]; then
			echo "PASS $dom: $name"
			pass=$((pass + 1))
		else
			echo "FAIL $dom: $name"
			fail=$((fail + 1))
		fi
	fi
done <"$log"
summary=$(sed -n "/^$prefix: all domains stopped/,\$p" "$log" | tr -d '\r')
if [ -z "$summary" ]; then
	echo "FAIL boot: the run never reached the domain summary"
	tail -n 20 "$log" | sed 's/^/    /'
	fail=$((fail + 1))
else
	while read -r dom name exit expect rest; do
		[[ $dom =~ ^[0-9]+$ ]] || continue
		[ "$name" = "(hypervisor)" ] && continue
		result=${rest##* }
		# A domain meant to crash must have been killed by a fault the
		# hypervisor caught, and the hypervisor must have said so.
		if [ "$expect" = crash ] && { [ "$exit" != crashed ] ||
			! grep -aq "^paddock: domain $dom ($name) crashed: " "$log"; }; then
			echo "FAIL domain $name: expected a crash, got exit $exit" \
				"without the hypervisor's crashed line"
			fail=$((fail + 1))
		elif [ "$result" = ok ]; then
			echo "PASS domain $name: exit $exit as expected"
			pass=$((pass + 1))
		else
			echo "FAIL domain $name: exit $exit not as expected"
			fail=$((fail + 1))
		fi
	done <<<"$summary"
fi
for re in "$@"; do
	if grep -Eqa -- "$re" "$log"; then
		echo "PASS log has: $re"
		pass=$((pass + 1))
	else
		echo "FAIL log has: $re"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
