#!/usr/bin/env bash
# Boots a Paddock image under QEMU, bounded by a timeout, and maps the
# status QEMU exits with back to a run status through the board's map:
#   0  every domain ended as its configuration expected
#   1  some domain did not (a test failed)
#   2  the boot failed; 3 a hypervisor fault; 124 the timeout hit
#   qemu-run.sh TIMEOUT_SECONDS EXIT_MAP IMAGE LOGFILE QEMU [QEMU_ARG...]
# EXIT_MAP "log": the status is the log's last "paddock: run status N".
# The board's .mk (config/platforms/<board>.mk) gives the timeout
# (BOARD_TIMEOUT), the map (BOARD_EXIT_MAP: "QEMU_STATUS=RUN_STATUS ...")
# and the QEMU binary and machine (BOARD_QEMU, BOARD_QEMU_ARGS); the image
# is loaded with -kernel (IMAGE "none": not at all).  Every run may add:
#   QEMU_APPEND   the kernel command line (-append)
#   QEMU_ICOUNT=1 -icount shift=0 (1 instruction = 1 ns)
set -uo pipefail
limit=$1
exit_map=$2
image=$3
log=$4
shift 4
extra=()
if [ -n "${QEMU_APPEND:-}" ]; then
	extra+=(-append "$QEMU_APPEND")
fi
if [ "${QEMU_ICOUNT:-0}" = 1 ]; then
	extra+=(-icount shift=0)
fi
# IMAGE "none": the machine's arguments start its firmware and loader
# (U-Boot from a disk), nothing is loaded with -kernel.
if [ "$image" != none ]; then
	extra+=(-kernel "$image")
fi
timeout --kill-after=5 "$limit" "$@" "${extra[@]}" 2>&1 |
	tee "$log"
rc=${PIPESTATUS[0]}
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	echo "qemu-run: timed out after ${limit}s" >&2
	exit 124
fi
# A board whose machine cannot exit with a status (PSCI SYSTEM_OFF exits
# QEMU with 0) prints it as its last hypervisor line instead.
if [ "$exit_map" = log ]; then
	status=$(grep -aoE '^paddock: run status [0-9]+' "$log" | tail -n 1)
	if [ "$rc" = 0 ] && [ -n "$status" ]; then
		exit "${status##* }"
	fi
	echo "qemu-run: qemu exited with status $rc and no run status line" >&2
	exit $((rc ? rc : 1))
fi
for pair in $exit_map; do
	if [ "${pair%%=*}" = "$rc" ]; then
		exit "${pair#*=}"
	fi
done
echo "qemu-run: qemu exited with status $rc" >&2
exit "$rc"
