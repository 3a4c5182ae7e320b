#!/usr/bin/env bash
# The mutation exercise (docs/testing.md): plants each bug of
# tests/mutation/mutations.txt, alone, in a scratch copy of this tree, runs
# the host suites that link the mutated file, and says whether they caught
# it.  The tree itself is never changed.
#
#   bash tests/mutation/run.sh [ID...]      (make mutation: all of them)
#
# A mutation is caught when a suite fails.  A catch by the threaded or
# randomised suites (tsan, vtd-mut's TSan build, fuzz) counts only if the
# suite fails again on a second run: a flaky catch is reported as such and
# counted as a survivor.  Suites run in order and stop at the first catch.
#   MUT_SCRATCH   scratch copy (default /tmp/paddock-mutation-$USER)
#   MUT_RESULTS   results file (default build/mutation/results.txt)
#   MUT_FUZZ_SECONDS  fuzz suite length per mutation (default 10)
#   MUT_EXCLUDE   files to leave out of the copy (the score before new
#                 tests: MUT_EXCLUDE="tests/stress/handoff.c ...")
#   MUT_TIMEOUT   per-suite timeout in seconds (default 120; a hang counts
#                 as caught)
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here"
scratch=${MUT_SCRATCH:-/tmp/paddock-mutation-${USER:-$(id -u)}}
results=${MUT_RESULTS:-$here/build/mutation/results.txt}
apply="python3 $here/tests/mutation/apply.py"
export FUZZ_SUITE_SECONDS=${MUT_FUZZ_SECONDS:-10}
export SUITE_TIMEOUT=${MUT_TIMEOUT:-120}
export MAKEFLAGS=${MUT_MAKEFLAGS:--j2}
flaky_suites=" tsan vtd-mut fuzz "

$apply check . >/dev/null || {
	echo "mutation: the list no longer applies to this tree:"
	$apply check .
	exit 1
}
ids=("$@")
[ ${#ids[@]} -eq 0 ] && mapfile -t ids < <($apply list | cut -d' ' -f1)

# A scratch copy of the tree as it is (committed or not), without build/.
mkdir -p "$scratch" "$(dirname "$results")"
git ls-files -co --exclude-standard -z |
	tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$scratch"
for f in ${MUT_EXCLUDE:-}; do
	rm -f "$scratch/$f"
done
mkdir -p "$scratch/build"
touch "$scratch/build/.deps-stamp"
# The copy keeps the files' dates, older than anything built from an
# earlier copy (a mutated one, if a run was stopped): build from scratch.
rm -rf "$scratch/build/host" "$scratch/build/fuzz"
known=" $(make -C "$scratch" -s -p 2>/dev/null | sed -n 's/^SUITES := //p' | head -n1) "

run_suite() { # suite -> 0 passed, 1 failed, 2 did not build
	local log="$scratch/build/test-logs/$1.log"
	(cd "$scratch" && bash ci/run-suites.sh "$1" >/dev/null 2>&1) && return 0
	grep -qE '[0-9]+ passed, [0-9]+ failed' "$log" && return 1
	# Did not build: a compiler or linker error, or make stopped on a target
	# other than the suite's own.  A test that aborts (a lock witness's
	# check, "lock check failed") stops make on suite-NAME: a catch.
	if grep -qE ': (fatal )?error:' "$log" ||
		grep -E '\*\*\* \[' "$log" | grep -qvE ': suite-[A-Za-z0-9-]+\]'; then
		return 2
	fi
	return 1
}

suites_for() {
	local s out=""
	for s in $($apply list | awk -v id="$1" '$1 == id { $1 = ""; print }'); do
		[[ $known == *" $s "* ]] && out+="$s "
	done
	echo "$out"
}

# Every suite passes on the unmutated copy (and is built once).
for s in $(for id in "${ids[@]}"; do suites_for "$id"; done | tr ' ' '\n' | sort -u); do
	if run_suite "$s"; then
		continue
	elif [ -n "${MUT_EXCLUDE:-}" ]; then
		echo "mutation: suite $s needs what MUT_EXCLUDE left out; not run"
		known=${known/ $s / }
	else
		echo "mutation: suite $s fails on the unmutated tree; stopping"
		exit 1
	fi
done

: >"$results"
caught=0
total=0
survivors=()
for id in "${ids[@]}"; do
	IFS='|' read -r _ class _ what < <($apply info "$id")
	file=$($apply where "$id" "$scratch")
	cp -p "$here/$file" "$scratch/$file.orig"
	$apply apply "$id" "$scratch"
	verdict="SURVIVED"
	start=$(date +%s)
	for s in $(suites_for "$id"); do
		run_suite "$s"
		rc=$?
		[ $rc -eq 0 ] && continue
		if [ $rc -eq 2 ]; then
			verdict="INVALID (does not build)"
		elif [[ $flaky_suites == *" $s "* ]] && run_suite "$s"; then
			verdict="FLAKY ($s caught it once, not twice)"
		else
			verdict="caught by $s"
		fi
		break
	done
	mv "$scratch/$file.orig" "$scratch/$file"
	touch "$scratch/$file"
	line=$(printf '%-4s %-8s %-34s %-40s %s' "$id" "$class" "$file" "$verdict" "$what")
	echo "$line" | tee -a "$results"
	[[ $verdict == INVALID* ]] && continue
	total=$((total + 1))
	if [[ $verdict == caught* ]]; then
		caught=$((caught + 1))
	else
		survivors+=("$line")
	fi
done

echo "mutation: caught $caught of $total"
for s in "${survivors[@]}"; do
	echo "survivor: $s"
done
