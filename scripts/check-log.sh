#!/usr/bin/env bash
# Checks a run that is meant to end a particular way: its status, and a
# list of lines (extended regexps) its log must contain, or, written
# "!REGEXP", must not contain.  One PASS/FAIL line per check, then
# "N passed, N failed".
#   check-log.sh LOG GOT_STATUS WANT_STATUS [!]REGEXP...
set -uo pipefail
log=$1
got=$2
want=$3
shift 3
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
[ "$got" = "$want" ]
verdict $? "exit status $got (want $want)"
for re in "$@"; do
	if [ "${re:0:1}" = "!" ]; then
		! grep -Eqa -- "${re:1}" "$log"
		verdict $? "log has no: ${re:1}"
	else
		grep -Eqa -- "$re" "$log"
		verdict $? "log has: $re"
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
