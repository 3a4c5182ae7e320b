#!/usr/bin/env bash
# Boots a Paddock image under QEMU's q35 machine with TCG, bounded by a
# timeout, and maps isa-debug-exit's status back to a shell status:
#   0  every domain ended as its configuration expected
#   1  some domain did not (a test failed)
#   2  the boot failed; 3 a hypervisor fault; 124 the timeout hit
#   qemu-run.sh TIMEOUT_SECONDS IMAGE LOGFILE
# X86_QEMU_ICOUNT=1 adds -icount shift=0 (1 instruction = 1 ns);
# X86_QEMU_APPEND is passed as the Multiboot command line.
set -uo pipefail
limit=$1
image=$2
log=$3
extra=()
if [ -n "${X86_QEMU_APPEND:-}" ]; then
	extra+=(-append "$X86_QEMU_APPEND")
fi
if [ "${X86_QEMU_ICOUNT:-0}" = 1 ]; then
	extra+=(-icount shift=0)
fi
timeout --kill-after=5 "$limit" qemu-system-x86_64 \
	-machine q35 -accel tcg -cpu max -m 512M -smp 1 \
	-nographic -no-reboot -monitor none \
	-device intel-iommu,aw-bits=48,x-scalable-mode=on,x-pasid-mode=on,intremap=on \
	-device isa-debug-exit,iobase=0xf4,iosize=4 \
	-device pcie-root-port,id=rp1,chassis=1 \
	-device edu,bus=rp1,dma_mask=0xffffffffffffffff \
	-device pcie-pci-bridge,id=pbr,bus=pcie.0 \
	-device edu,bus=pbr,addr=1,dma_mask=0xffffffffffffffff \
	-device edu,bus=pbr,addr=2,dma_mask=0xffffffffffffffff \
	-device pcie-root-port,id=rp2,chassis=2 \
	-device edu,bus=rp2,dma_mask=0xffffffffffffffff \
	"${extra[@]}" -kernel "$image" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
case $rc in
124 | 137) echo "qemu-run: timed out after ${limit}s" >&2; exit 124 ;;
1) exit 0 ;;
3) exit 1 ;;
5) exit 2 ;;
7) exit 3 ;;
*) echo "qemu-run: qemu exited with status $rc" >&2; exit "$rc" ;;
esac
