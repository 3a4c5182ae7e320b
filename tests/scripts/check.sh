#!/usr/bin/env bash
# Host checks of scripts/ and of the board selection (mk/platform.mk):
# qemu-run.sh's status map, timeout and command line against a stand-in
# for QEMU, judge.sh's summary prefix and PASID lines, smp-judge.py on a
# passing log and on broken copies of it, smp-bench.py's arithmetic, and
# make's answers to PLATFORM.
# One PASS/FAIL line per check, then "N passed, N failed".
#   check.sh BOARD...
set -uo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# verdict STATUS NAME: one check's line, kept until the end.
lines=()
verdict() {
	local word=FAIL
	[ "$1" = 0 ] && word=PASS
	lines+=("$word $2")
}

# The stand-in prints its arguments and exits with FAKE_STATUS, or hangs.
fake=$tmp/fake-qemu
printf '%s\n' '#!/usr/bin/env bash' 'echo "args: $*"' \
	'[ "$FAKE_STATUS" = hang ] && exec sleep 30' 'exit "$FAKE_STATUS"' >"$fake"
chmod +x "$fake"
# run STATUS [LIMIT]: qemu-run.sh's status, its log in $tmp/log.
run() {
	FAKE_STATUS=$1 bash scripts/qemu-run.sh "${2:-10}" '1=0 3=1 5=2 7=3' \
		image.elf "$tmp/log" "$fake" -machine toy >/dev/null 2>"$tmp/err"
}

for pair in 1=0 3=1 5=2 7=3; do
	run "${pair%=*}"
	[ $? = "${pair#*=}" ]
	verdict $? "qemu-run: QEMU status ${pair%=*} is run status ${pair#*=}"
done
run 9
[ $? = 9 ] && grep -q 'qemu exited with status 9' "$tmp/err"
verdict $? "qemu-run: an unmapped status is passed on, and said"
run hang 1
[ $? = 124 ] && grep -q 'timed out after 1s' "$tmp/err"
verdict $? "qemu-run: a hung run is cut at the timeout: status 124"
run 1
grep -qx 'args: -machine toy -kernel image.elf' "$tmp/log"
verdict $? "qemu-run: the board's command line, then -kernel IMAGE"
QEMU_APPEND='paddock.test=a paddock.test=b' QEMU_ICOUNT=1 run 1
grep -qx 'args: -machine toy -append paddock.test=a paddock.test=b -icount shift=0 -kernel image.elf' "$tmp/log"
verdict $? "qemu-run: QEMU_APPEND and QEMU_ICOUNT=1 reach QEMU"

printf '%s\n' '[a] TEST PASS one' 'toy: all domains stopped' \
	'dom name exit expect result' '0 a poweroff poweroff ok' >"$tmp/judge.log"
bash scripts/judge.sh toy "$tmp/judge.log" >"$tmp/out"
[ $? = 0 ] && grep -q '^PASS domain a: exit poweroff' "$tmp/out"
verdict $? "judge: the summary is found after PREFIX: all domains stopped"
bash scripts/judge.sh x86 "$tmp/judge.log" >"$tmp/out"
[ $? != 0 ] && grep -q '^FAIL boot: the run never reached' "$tmp/out"
verdict $? "judge: another arch's prefix finds no summary"

# grub-efi-esp.sh: the ESP's files, the command line in grub.cfg after
# multiboot2, and a command line GRUB would interpret refused.
printf 'not really an image\n' >"$tmp/image.elf"
bash scripts/grub-efi-esp.sh "$tmp/image.elf" "$tmp/esp.img" "paddock.test=heap x=1" \
	>/dev/null 2>&1 &&
	mtype -i "$tmp/esp.img" ::/boot/grub/grub.cfg >"$tmp/cfg" &&
	grep -qx 'multiboot2 /boot/paddock.elf paddock.test=heap x=1' "$tmp/cfg" &&
	grep -qx 'serial --unit=0 --speed=115200' "$tmp/cfg" &&
	mtype -i "$tmp/esp.img" ::/boot/paddock.elf | cmp -s - "$tmp/image.elf" &&
	mdir -i "$tmp/esp.img" ::/EFI/BOOT/BOOTX64.EFI >/dev/null
verdict $? "grub-efi-esp: BOOTX64.EFI, grub.cfg with the command line after multiboot2, the image"
for bad in 'a;reboot' 'a $x' 'a"b' "a'b" 'a{b}' 'a\b'; do
	! bash scripts/grub-efi-esp.sh "$tmp/image.elf" "$tmp/esp2.img" "$bad" 2>"$tmp/err" &&
		grep -q 'characters GRUB would interpret' "$tmp/err" && [ ! -e "$tmp/esp2.img" ]
	verdict $? "grub-efi-esp: the command line '$bad' is refused"
done
# efi-ranges.sh: the layout line against the kept ranges (a boundary
# touching is not an overlap; one byte over is).
kept='arm64:   000000005c440000-000000005c4bffff runtime services code'
efi_layout() {
	printf '%s\n' "$kept" "arm64: image 48000000-48087fff, heap 48200000-4c1fffff, domain pool 4c200000-$1 (1 MiB)" >"$tmp/efi.log"
	bash scripts/efi-ranges.sh "$tmp/efi.log" >"$tmp/out"
}
efi_layout 5c43ffff
[ $? = 0 ] && grep -q '^efi-ranges: image, heap and domain pool are outside all 1 ranges' "$tmp/out"
verdict $? "efi-ranges: a pool ending right below a kept range passes"
efi_layout 5c440000
[ $? != 0 ] && grep -q '^efi-ranges: FAIL pool 4c200000-5c440000 overlaps 000000005c440000-' "$tmp/out"
verdict $? "efi-ranges: a pool one byte into a kept range fails, naming both"
kept='arm64: no EFI here'
efi_layout 5c43ffff
[ $? != 0 ] && grep -q '^efi-ranges: FAIL the log has no kept ranges' "$tmp/out"
verdict $? "efi-ranges: a log without kept ranges fails"
printf '%s\n' 'PASID TEST FAIL end_of_run.invariants: broken' \
	'toy: all domains stopped' '0 a poweroff poweroff ok' >"$tmp/judge.log"
bash scripts/judge.sh toy "$tmp/judge.log" >"$tmp/out"
[ $? != 0 ] && grep -q '^FAIL pasid: end_of_run.invariants: broken' "$tmp/out"
verdict $? "judge: a PASID TEST FAIL line of the hypervisor fails the run"

# The SMP judge on a real passing log (tests/scripts/smp-pass.log, an
# aarch64-smp run cut to the lines it reads), then the same log with one
# thing wrong at a time: each must fail, naming what.
smp_judge() {
	/usr/bin/python3 scripts/smp-judge.py arm64 "$1" 4 >"$tmp/out"
}
smp_judge tests/scripts/smp-pass.log
[ $? = 0 ] && grep -qE '^[1-9][0-9]* passed, 0 failed$' "$tmp/out"
verdict $? "smp-judge: a passing run passes"
# smp_broken NAME SED-EXPR FAIL-REGEXP
smp_broken() {
	sed -E "$2" tests/scripts/smp-pass.log >"$tmp/smp.log"
	smp_judge "$tmp/smp.log"
	[ $? != 0 ] && grep -qE "^FAIL $3" "$tmp/out"
	verdict $? "smp-judge: $1"
}
smp_broken "a domain's PASID calls miscounted" \
	's/^(figures: dom=0 .* pasid_op=)([0-9]+)/\1\21/' \
	"worker0: PASID calls: hypervisor [0-9]+1, domain"
smp_broken "binds the IOMMU layer lost" \
	's/^(figures: dom=1 .* binds=)([0-9]+)[0-9]/\1\2/' \
	"worker1: PASID entries installed"
smp_broken "a refusal not counted as a failed hypercall" \
	's/^(figures: dom=2 .* errors=)([0-9]+)/\1999999/' \
	"worker2: failed hypercalls"
smp_broken "the crash reclaimed fewer PASIDs than held" \
	's/; 3 PASIDs reclaimed/; 2 PASIDs reclaimed/' \
	"crasher: PASIDs reclaimed at its crash"
smp_broken "a CPU that never started" \
	's/^cpus: 4 online of 4 found/cpus: 3 online of 4 found/' "cpus:"
smp_broken "every domain on one CPU" \
	's/^  cpu [123] \(id ([0-9a-f]+)\) ran:.*/  cpu 9 (id \1) ran:/' \
	"domains ran on 1 different CPUs"
smp_broken "no invariants line" '/end_of_run.invariants/d' \
	"hypervisor: end_of_run.invariants: missing"
smp_broken "a set left at the end" \
	's/0 domain sets left, holding 0 PASIDs/1 domain sets left, holding 3 PASIDs/; s/end_of_run.reclaimed: /end_of_run.reclaimed: /; s/^PASID TEST PASS end_of_run.reclaimed/PASID TEST FAIL end_of_run.reclaimed/' \
	"hypervisor: end_of_run.reclaimed: FAIL"
smp_broken "a worker's own check failed" \
	's/^(\[worker3\] smp-tally: .*failures=)0/\11/' \
	"worker3: its own checks failed 1 times"

# The SMP bench's arithmetic: ALLOC+FREE, 1 domain at 1,000 pairs/s and
# 4 at 500 each; null, 1 domain at 2,000 pairs/s and 4 at 250 each.
printf '%s\n' '[bench1-cpu0] smp-bench: kind=alloc_free domains=1 dom=0 pairs=1000 ticks=100 hz=100 failures=0' \
	'[bench1-cpu0] smp-bench: kind=null domains=1 dom=0 pairs=1000 ticks=50 hz=100 failures=0' \
	>"$tmp/b1.log"
for d in 0 1 2 3; do
	echo "[bench4-cpu$d] smp-bench: kind=alloc_free domains=4 dom=$d pairs=1000 ticks=200 hz=100 failures=0"
done >"$tmp/b4.log"
for d in 3 1 0 2; do
	echo "[bench4-cpu$d] smp-bench: kind=null domains=4 dom=$d pairs=1000 ticks=400 hz=100 failures=0"
done >>"$tmp/b4.log"
/usr/bin/python3 scripts/smp-bench.py "$tmp/b1.log" "$tmp/b4.log" >"$tmp/out"
[ $? = 0 ] && grep -qx 'bench: smp.hcall_alloc_free.cpus1 1000 pairs/s' "$tmp/out" &&
	grep -qx 'bench: smp.hcall_alloc_free.cpus4 2000 pairs/s' "$tmp/out" &&
	grep -qx 'bench: smp.hcall_alloc_free.cpus4_vs_1 2.00 ratio' "$tmp/out"
verdict $? "smp-bench: the throughputs and their ratio"
grep -qx 'bench: smp.hcall_null.cpus1 2000 pairs/s' "$tmp/out" &&
	grep -qx 'bench: smp.hcall_null.cpus4 1000 pairs/s' "$tmp/out" &&
	grep -qx 'bench: smp.hcall_null.cpus4_vs_1 0.50 ratio' "$tmp/out" &&
	grep -qx 'bench: smp.hcall_alloc_free.scaling_over_null 4.00 ratio' "$tmp/out"
verdict $? "smp-bench: the null control's figures and the ratio of ratios"
grep -v 'kind=null' "$tmp/b4.log" >"$tmp/b4-no-null.log"
/usr/bin/python3 scripts/smp-bench.py "$tmp/b1.log" "$tmp/b4-no-null.log" >"$tmp/out" 2>&1
[ $? != 0 ] && grep -q "want 4 domains' null lines" "$tmp/out"
verdict $? "smp-bench: a boot without the null loop's lines fails the bench"
sed -i 's/hz=100/hz=0/' "$tmp/b1.log" "$tmp/b4.log"
echo 'x86: APIC timer 1 ticks/us, TSC 2 ticks/us, slice 2000 us' | tee -a "$tmp/b1.log" >>"$tmp/b4.log"
/usr/bin/python3 scripts/smp-bench.py "$tmp/b1.log" "$tmp/b4.log" >"$tmp/out"
[ $? = 0 ] && grep -qx 'bench: smp.hcall_alloc_free.cpus1 20000000 pairs/s' "$tmp/out"
verdict $? "smp-bench: the TSC's rate from the hypervisor's line when the guest has none"
sed -i 's/failures=0/failures=1/' "$tmp/b4.log"
/usr/bin/python3 scripts/smp-bench.py "$tmp/b1.log" "$tmp/b4.log" >"$tmp/out" 2>&1
verdict $((! $?)) "smp-bench: a domain that saw a failure fails the bench"

make -n run PLATFORM=no-such-board >"$tmp/out" 2>&1
[ $? != 0 ] && grep -q "PLATFORM=no-such-board is not a board: the boards are $*" "$tmp/out"
verdict $? "make: an unknown PLATFORM is refused, naming the boards"
for board in "$@"; do
	make -n "run-$board" PLATFORM="$board" >"$tmp/out" 2>&1
	[ $? = 0 ] && grep -qE "^bash scripts/qemu-run.sh .* build/[a-z0-9_]*/(paddock.elf|Image) " "$tmp/out"
	verdict $? "make: run-$board boots the board's image with scripts/qemu-run.sh"
done

printf '%s\n' "${lines[@]}"
fail=$(printf '%s\n' "${lines[@]}" | grep -c '^FAIL')
echo "$((${#lines[@]} - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
