#!/usr/bin/env bash
# Installs everything Paddock needs from Debian 12's archive, then runs the
# extra set-up steps in ci/deps.d/ (for example the newlib build).
# Idempotent: packages already installed are not touched, and each step in
# ci/deps.d/ keeps its own stamp.  Called by `make deps`.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
	make gcc libc6-dev xz-utils        # host compiler; xz for newlib's tarball
	clang lld llvm clang-format        # toolchain for both targets + format
	libclang-rt-14-dev                 # ASan, UBSan, TSan, libFuzzer
	libcmocka-dev                      # host tests
	libxen-dev                         # Xen public headers (guest ABI)
	valgrind                           # callgrind instruction counts
	python3                            # fuzz corpus, the mutation list
	qemu-system-x86                    # the x86_64 test host
	qemu-system-arm                    # the aarch64 test host (virt, EL2)
	u-boot-qemu u-boot-tools mtools    # the U-Boot boot path: firmware, mkimage, the FAT disk
	ovmf grub-efi-amd64-bin grub-common # the UEFI boot path (x86): OVMF, GRUB for x86_64-efi, grub-mkstandalone
	qemu-efi-aarch64                   # AAVMF: the aarch64 UEFI boot path (suite aarch64-uefi)
	device-tree-compiler               # dtc: the dt suite's test blobs
	newlib-source                      # newlib for guests
	lava-dispatcher lava-common        # LAVA: lava-run, the job schema (ci/lava/)
	python3-yaml python3-jinja2        # the LAVA job generator and judge
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: need root to install packages; run 'sudo make deps'" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
else
	echo "deps: all Debian packages present"
fi

for step in ci/deps.d/*.sh; do
	[ -e "$step" ] || continue
	echo "deps: running $step"
	bash "$step"
done
