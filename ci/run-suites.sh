#!/usr/bin/env bash
# Runs each named suite (make target suite-NAME) under a bounded timeout,
# keeps its log in build/test-logs/NAME.log, reads the suite's own closing
# "N passed, N failed" line, and prints the totals.  A suite that times out,
# crashes or prints no closing line counts as one failure.
# Per-suite timeout: SUITE_TIMEOUT_<NAME> (seconds), else SUITE_TIMEOUT.
set -uo pipefail
cd "$(dirname "$0")/.."
logs=build/test-logs
mkdir -p "$logs"
total_pass=0
total_fail=0
failed_suites=()

for suite in "$@"; do
	var="SUITE_TIMEOUT_${suite//[^A-Za-z0-9]/_}"
	limit=${!var:-${SUITE_TIMEOUT:-600}}
	log="$logs/$suite.log"
	start=$(date +%s)
	printf 'suite %-16s ... ' "$suite"
	# BOARD:SUITE is another board's suite, built and run for that board.
	board_args=()
	if [[ $suite == *:* ]]; then
		board_args=("PLATFORM=${suite%%:*}")
		var="SUITE_TIMEOUT_${suite#*:}"
		var=${var//[^A-Za-z0-9_]/_}
		limit=${!var:-${SUITE_TIMEOUT:-600}}
		log="$logs/${suite#*:}.log"
	fi
	timeout --kill-after=10 "$limit" make --no-print-directory -s "${board_args[@]}" "suite-${suite#*:}" >"$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	line=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	pass=0
	fail=0
	if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
		pass=${BASH_REMATCH[1]}
		fail=${BASH_REMATCH[2]}
	fi
	why=""
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		why="timed out after ${limit}s"
	elif [ -z "$line" ]; then
		why="no closing 'N passed, N failed' line (exit $rc)"
	elif [ $rc -ne 0 ] && [ "$fail" -eq 0 ]; then
		why="exit status $rc"
	fi
	if [ -n "$why" ]; then
		fail=$((fail + 1))
	fi
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	if [ "$fail" -ne 0 ]; then
		failed_suites+=("$suite")
		echo "FAIL ($pass passed, $fail failed, ${secs}s${why:+, $why})"
		echo "---- last lines of $log ----"
		tail -n 40 "$log" | sed 's/^/    /'
	else
		echo "ok ($pass passed, ${secs}s)"
	fi
done

if [ ${#failed_suites[@]} -ne 0 ]; then
	echo "failed suites: ${failed_suites[*]} (logs in $logs/)"
fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
