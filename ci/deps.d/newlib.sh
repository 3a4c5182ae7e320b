#!/usr/bin/env bash
# Builds newlib 3.3.0 for the guests from Debian's newlib-source, with the
# same clang + ld.lld toolchain as the rest of the tree, and installs each
# target into build/newlib/<arch>/{include,lib}.  Run by ci/deps.sh with the
# repository root as working directory.
#
# Idempotent: each target keeps a stamp holding the recipe it was built
# with; a target whose stamp matches is skipped, a changed recipe rebuilds.
#
#   NEWLIB_TARGETS="x86_64 aarch64"   which targets to build (default both)
set -euo pipefail
cd "$(dirname "$0")/../.."

tarball=/usr/src/newlib/newlib-3.3.0.tar.xz
out=build/newlib
jobs=$(nproc 2>/dev/null || echo 2)

# x86_64 guests run with SSE off (the hypervisor does not set CR4.OSFXSR
# for them), so newlib must not emit SSE code either.  clang 14 refuses to
# return a float in the x86_64 ABI with -mno-sse, and its driver drops
# -msoft-float for x86; passing -msoft-float to cc1 directly makes float and
# double travel in integer registers and arithmetic become __adddf3-style
# calls.  No soft-float runtime is linked, so a guest that uses floating
# point fails at link time rather than faulting at run time.  clang 14
# crashes compiling x87 long double in that mode (wcstold.c), so long double
# is made the same as double; guests must use the same flags (guests.mk).
cflags_x86_64="-ffreestanding -fno-pic -mno-red-zone -mno-sse -mno-mmx -Xclang -msoft-float -mlong-double-64 -O2 -g"
# aarch64 guests run at EL1 and may turn on FP/SIMD themselves (CPACR_EL1),
# and newlib's aarch64 string routines are written with SIMD registers.
cflags_aarch64="-ffreestanding -fno-pic -O2 -g"

configure_flags=(
	--disable-multilib
	--disable-newlib-supplied-syscalls
	--enable-newlib-nano-malloc
	--enable-newlib-nano-formatted-io
	--enable-newlib-reent-small
	--enable-lite-exit
	--disable-nls
)

# nano-formatted-io keeps float printing out of printf (it would need the
# soft-float runtime the guests do not have) but knows only the h, l and L
# length modifiers: no %lld, %zu or %jd (docs/guests.md).

# The recipe version: bump when anything above changes the result.
recipe_version=5

build_target() {
	local arch=$1 triple clang_target cflags
	case $arch in
	x86_64)
		triple=x86_64-elf
		clang_target=x86_64-unknown-elf
		cflags=$cflags_x86_64
		;;
	aarch64)
		triple=aarch64-none-elf
		clang_target=aarch64-none-elf
		cflags=$cflags_aarch64
		;;
	*)
		echo "newlib: unknown target $arch" >&2
		return 1
		;;
	esac

	local dest=$out/$arch
	local stamp=$dest/.stamp
	local recipe="v$recipe_version $triple $cflags ${configure_flags[*]}"
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$recipe" ] &&
		[ -f "$dest/lib/libc.a" ]; then
		echo "newlib: $arch already built ($dest)"
		return 0
	fi

	local start=$SECONDS
	local work=$out/work-$arch
	rm -rf "$work" "$dest"
	mkdir -p "$work"
	local abs_work
	abs_work=$(cd "$work" && pwd)

	echo "newlib: $arch: unpacking $tarball"
	tar -C "$work" -xf "$tarball"
	# Debian's tarball unpacks into a directory not named after the version
	# (newlib-salsa in 3.3.0), so take whatever single directory it made.
	local src
	src=$(find "$abs_work" -mindepth 1 -maxdepth 1 -type d | head -n 1)
	[ -x "$src/configure" ] || {
		echo "newlib: no configure in $src" >&2
		return 1
	}

	if [ "$arch" = aarch64 ]; then
		# clang's assembler accepts only the architectural element form
		# v.d[N] for a 64-bit lane move; GNU as also takes v.2d[N].
		echo "newlib: aarch64: rewriting .2d[N] lane syntax for clang"
		sed -i -E 's/\.2d\[([0-9])\]/.d[\1]/g' \
			"$src"/newlib/libc/machine/aarch64/{memchr,strchr,strchrnul,strrchr}.S
	fi

	local bld=$abs_work/build
	mkdir -p "$bld"
	echo "newlib: $arch: configuring (log: $work/configure.log)"
	(
		cd "$bld"
		# The build compiler is clang too: a fresh Debian 12 with only
		# ci/deps.sh's packages has no gcc, which configure would look
		# for first.
		"$src/configure" --target="$triple" --prefix="$abs_work/prefix" \
			"${configure_flags[@]}" \
			CC=clang CC_FOR_BUILD=clang \
			CC_FOR_TARGET="clang --target=$clang_target" \
			CFLAGS_FOR_TARGET="$cflags" \
			AR_FOR_TARGET=llvm-ar AS_FOR_TARGET="clang --target=$clang_target" \
			LD_FOR_TARGET=ld.lld NM_FOR_TARGET=llvm-nm \
			RANLIB_FOR_TARGET=llvm-ranlib \
			OBJDUMP_FOR_TARGET=llvm-objdump \
			READELF_FOR_TARGET=llvm-readelf \
			STRIP_FOR_TARGET=llvm-strip
	) >"$work/configure.log" 2>&1 || {
		tail -n 30 "$work/configure.log" >&2
		return 1
	}

	echo "newlib: $arch: compiling with $jobs jobs (about a minute; log: $work/build.log)"
	if ! make -C "$bld" -j"$jobs" all-target-newlib >"$work/build.log" 2>&1; then
		tail -n 40 "$work/build.log" >&2
		return 1
	fi
	echo "newlib: $arch: installing into $dest"
	if ! make -C "$bld" install-target-newlib >"$work/install.log" 2>&1; then
		tail -n 40 "$work/install.log" >&2
		return 1
	fi

	mkdir -p "$dest"
	cp -a "$abs_work/prefix/$triple/include" "$dest/include"
	cp -a "$abs_work/prefix/$triple/lib" "$dest/lib"
	[ -f "$dest/lib/libc.a" ] && [ -f "$dest/lib/libm.a" ] || {
		echo "newlib: $arch: libc.a or libm.a missing after install" >&2
		return 1
	}
	rm -rf "$work"
	echo "$recipe" >"$stamp"
	echo "newlib: $arch done in $((SECONDS - start)) s" \
		"(libc.a $(stat -c %s "$dest/lib/libc.a") bytes)"
}

# Two `make deps` may run at once (several developers share a tree); the
# second waits rather than unpacking over the first one's build.
mkdir -p "$out"
exec 9>"$out/.lock"
flock 9

[ -f "$tarball" ] || {
	echo "newlib: $tarball missing (Debian package newlib-source)" >&2
	exit 1
}
# xz-utils has priority "standard", so minimal Debian images lack it, and
# tar needs it for the .tar.xz.
if ! command -v xz >/dev/null; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "newlib: xz missing; run 'sudo apt-get install xz-utils'" >&2
		exit 1
	fi
	echo "newlib: installing xz-utils"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends xz-utils
fi
for arch in ${NEWLIB_TARGETS:-x86_64 aarch64}; do
	build_target "$arch"
done
