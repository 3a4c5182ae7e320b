#!/usr/bin/env bash
# Runs the dispatcher fuzzer for a bounded time and reports one test:
# "1 passed, 0 failed" when libFuzzer exits 0 (no crash, leak, sanitizer
# report or invariant violation), else "0 passed, 1 failed" with the tail
# of its log.  Usage: run.sh BINARY SECONDS [MAX_RUNS]
set -uo pipefail
cd "$(dirname "$0")/../.."
bin=$1
secs=$2
runs=${3:--1}
work=build/fuzz/corpus
mkdir -p "$work"
# A log of its own: several runs may share build/fuzz at once.
log=$(mktemp build/fuzz/fuzz-XXXXXX.log)
"$bin" -max_total_time="$secs" -runs="$runs" -timeout=20 -rss_limit_mb=2048 \
	-artifact_prefix=build/fuzz/ -print_final_stats=1 \
	"$work" tests/fuzz/corpus >"$log" 2>&1
rc=$?
grep -aE '^#[0-9]+ +DONE|^Done [0-9]+ runs|stat::number_of_executed_units' "$log"
if [ $rc -eq 0 ]; then
	rm -f "$log"
	echo "1 passed, 0 failed"
else
	tail -n 60 "$log"
	echo "fuzz: libFuzzer exit status $rc; crashing input in build/fuzz/ (log $log)"
	echo "0 passed, 1 failed"
fi
[ $rc -eq 0 ]
