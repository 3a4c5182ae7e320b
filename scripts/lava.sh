#!/usr/bin/env bash
# Runs the boards' LAVA jobs offline and judges each test case (docs/lava.md):
# `make test` (suite lava) with every board, `make lava` with every board or
# the one given.  For each board:
#   1. its jobs are rendered from ci/lava/boards/<board>.yaml into
#      build/lava/<board>/ (make lava-generate, which builds the images);
#   2. every job file is checked against lava-common's schema: the QEMU
#      job, each hardware template, and each template once filled with the
#      example lab values (ci/lava/lab-example.yaml); the committed
#      templates (ci/lava/hw/) must be what the generator makes;
#   3. the QEMU job runs under lava-dispatcher's lava-run, with a device
#      configuration rendered from lava-server's qemu.jinja2 (make deps
#      fetches it) and no server, network or docker;
#   4. scripts/lava-judge.py reads LAVA's results from the log, since
#      lava-run exits 0 whatever the tests did; scripts/lava-judge-check.py
#      then shows the judge fails the same log with a case failed or
#      missing, or LAVA's job failed.
# One PASS/FAIL line per check and per test case, then "N passed, N failed".
#   lava.sh BOARD...
set -uo pipefail
cd "$(dirname "$0")/.."
py=/usr/bin/python3
jobs=ci/lava/lava-jobs.py
templates=build/lava/server/usr/share/lava-server/device-types
pass=0
fail=0
verdict() {
	if [ "$1" = 0 ]; then
		echo "PASS $2"
		pass=$((pass + 1))
	else
		echo "FAIL $2"
		fail=$((fail + 1))
	fi
}
# Adds the counts of a "... N passed, N failed" line to the totals.
add_counts() {
	if [[ $1 =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
		pass=$((pass + BASH_REMATCH[1]))
		fail=$((fail + BASH_REMATCH[2]))
	else
		fail=$((fail + 1))
	fi
}

if [ $# -eq 0 ]; then
	echo "lava: no boards (ci/lava/boards/<board>.yaml)"
	echo "0 passed, 1 failed"
	exit 1
fi

generated=()
for board in "$@"; do
	dir=build/lava/$board
	start=$SECONDS
	if make --no-print-directory -s PLATFORM="$board" lava-generate; then
		verdict 0 "$board: jobs generated in $dir ($((SECONDS - start)) s)"
		generated+=("$board")
	else
		verdict 1 "$board: jobs not generated (make PLATFORM=$board lava-generate)"
	fi
done

# 2. The schema, and the committed templates.
for board in "${generated[@]}"; do
	dir=build/lava/$board
	files=("$dir/qemu.yaml")
	mkdir -p "$dir/filled"
	rm -f "$dir"/filled/*.yaml
	for t in "$dir"/hw/*.yaml; do
		[ -e "$t" ] || continue
		files+=("$t")
		name=$(basename "$t")
		if $py $jobs fill "$t" ci/lava/lab-example.yaml >"$dir/filled/$name"; then
			files+=("$dir/filled/$name")
		else
			verdict 1 "$board: $t filled with ci/lava/lab-example.yaml"
		fi
		committed=ci/lava/hw/$name
		cmp -s "$t" "$committed"
		verdict $? "$board: $committed is what ci/lava/boards/$board.yaml makes (else: make lava-templates)"
	done
	# A committed template of this board that it no longer makes.
	for c in $(grep -l "^  paddock.board: $board\$" ci/lava/hw/*.yaml 2>/dev/null); do
		[ -e "$dir/hw/$(basename "$c")" ] ||
			verdict 1 "$board: $c is no template of ci/lava/boards/$board.yaml (make lava-templates)"
	done
	checked=$($py $jobs validate "${files[@]}" 2>&1)
	echo "$checked"
	add_counts "$(awk '/^PASS/ { p++ } /^FAIL/ { f++ }
		END { print p+0 " passed, " f+0 " failed" }' <<<"$checked")"
done

# 3 and 4. The QEMU jobs, run and judged.
if [ "$(id -u)" -ne 0 ]; then
	verdict 1 "lava-run must run as root (it runs jobs under /var/lib/lava/dispatcher/tmp): run 'make test' or 'make lava' as root, as CI does; the QEMU jobs did not run"
	generated=()
elif ! command -v lava-run >/dev/null; then
	verdict 1 "lava-run is missing (package lava-dispatcher): run 'make deps'"
	generated=()
elif [ ! -f "$templates/qemu.jinja2" ]; then
	verdict 1 "$templates/qemu.jinja2 is missing (lava-server's templates): run 'make deps'"
	generated=()
fi
for board in "${generated[@]}"; do
	dir=build/lava/$board
	if ! $py $jobs device "$dir/qemu.yaml" "$templates" >"$dir/device.yaml" 2>"$dir/device.err"; then
		verdict 1 "$board: device configuration from qemu.jinja2: $(tail -n 1 "$dir/device.err")"
		continue
	fi
	echo "dispatcher_ip: 127.0.0.1" >"$dir/dispatcher.yaml"
	# A job id of its own: lava-run works in /var/lib/lava/dispatcher/tmp/<id>
	# and other runs may share the machine.
	job_id=$(($(date +%s%N) / 1000 % 1000000000))
	rm -rf "$dir/out"
	start=$SECONDS
	echo "lava: $board: lava-run --job-id $job_id $dir/qemu.yaml (log: $dir/lava.log)"
	timeout --kill-after=10 900 lava-run --job-id "$job_id" --output-dir "$dir/out" \
		--device "$dir/device.yaml" --dispatcher "$dir/dispatcher.yaml" \
		"$dir/qemu.yaml" >"$dir/lava-run.out" 2>"$dir/lava.log"
	rc=$?
	echo "lava: $board: lava-run exited with $rc after $((SECONDS - start)) s; judging its log"
	judged=$($py scripts/lava-judge.py "$dir/expected/qemu.yaml" "$dir/lava.log" "$board")
	echo "$judged"
	add_counts "$(tail -n 1 <<<"$judged")"
	# The judge itself, on this log changed one thing at a time.
	checked=$($py scripts/lava-judge-check.py "$dir/expected/qemu.yaml" "$dir/lava.log" 2>&1)
	echo "$checked"
	add_counts "$(tail -n 1 <<<"$checked")"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
