#!/usr/bin/env bash
# suite-dt: the dt tests, plain and under ASan/UBSan (tests/run-host.sh),
# then a bounded libFuzzer run of tests/dt/fuzz_dt.c seeded with the
# suite's own blobs.  Prints the summed "N passed, N failed".
# Usage: run.sh PLAIN ASAN FUZZER SECONDS RUNS CORPUS_SEED_DIR
set -uo pipefail
cd "$(dirname "$0")/../.."
plain=$1 asan=$2 fuzzer=$3 secs=$4 runs=$5 seeds=$6
out=$(ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	bash tests/run-host.sh "$plain" "$asan" 2>&1)
printf '%s\n' "$out"
line=$(printf '%s\n' "$out" | tail -n 1)
pass=0 fail=1
if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
	pass=${BASH_REMATCH[1]} fail=${BASH_REMATCH[2]}
fi
work=build/dt/fuzz-corpus
mkdir -p "$work"
log=$(mktemp build/dt/fuzz-XXXXXX.log)
"$fuzzer" -max_total_time="$secs" -runs="$runs" -timeout=20 -max_len=16384 \
	-rss_limit_mb=2048 -artifact_prefix=build/dt/ -print_final_stats=1 \
	"$work" "$seeds" >"$log" 2>&1
rc=$?
grep -aE '^Done [0-9]+ runs|stat::number_of_executed_units' "$log"
if [ $rc -eq 0 ]; then
	rm -f "$log"
	echo "dt-fuzz: no crash, no sanitizer report"
	pass=$((pass + 1))
else
	tail -n 40 "$log"
	echo "dt-fuzz: libFuzzer exit status $rc; crashing input in build/dt/ (log $log)"
	fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
