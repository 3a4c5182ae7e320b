#!/usr/bin/env bash
# Builds Linux's IDA and xarray (lib/idr.c, lib/xarray.c, lib/radix-tree.c,
# unchanged) against the kernel's own user-space shims
# (tools/testing/radix-tree, tools/include) into OUT/libpeer.a, for
# bench/bench_peers.c.  Nothing of Linux is committed: the source comes
# from Debian's linux-source-6.1 package, extracted into build/ here.
# Idempotent.  When the package or liburcu cannot be had, it writes
# OUT/unavailable (the reason) and exits 0, so that the rest of the bench
# still runs and the peer lines say why they are missing.
#   usage: linux_peer.sh CC OUT SRC_DIR
set -uo pipefail
CC=$1 OUT=$2 SRC=$3
TARBALL=/usr/src/linux-source-6.1.tar.xz
mkdir -p "$OUT"
rm -f "$OUT/unavailable"

unavailable() {
	echo "$*" > "$OUT/unavailable"
	echo "linux_peer.sh: the Linux peers are unavailable: $*" >&2
	exit 0
}

have_pkg() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=()
for p in linux-source-6.1 liburcu-dev; do
	have_pkg "$p" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	[ "$(id -u)" -eq 0 ] || unavailable "need root to install ${missing[*]}"
	echo "linux_peer.sh: installing ${missing[*]} (Debian)" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}" >"$OUT/apt.log" 2>&1 ||
		{ apt-get update -q >>"$OUT/apt.log" 2>&1 &&
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends "${missing[@]}" >>"$OUT/apt.log" 2>&1; } ||
		unavailable "apt-get install ${missing[*]} failed (see $OUT/apt.log)"
fi
[ -r "$TARBALL" ] || unavailable "$TARBALL not found"

L=$SRC/linux-source-6.1
if [ ! -e "$SRC/.extracted" ] || [ "$TARBALL" -nt "$SRC/.extracted" ]; then
	echo "linux_peer.sh: extracting the Linux sources the peers need into $SRC" >&2
	rm -rf "$L" && mkdir -p "$SRC"
	tar -C "$SRC" -xJf "$TARBALL" linux-source-6.1/include \
		linux-source-6.1/tools/include \
		linux-source-6.1/tools/testing/radix-tree \
		linux-source-6.1/tools/lib linux-source-6.1/lib/idr.c \
		linux-source-6.1/lib/xarray.c linux-source-6.1/lib/radix-tree.c ||
		unavailable "could not extract $TARBALL"
	touch "$SRC/.extracted"
fi

# What tools/testing/radix-tree/Makefile generates, with the kernel's own
# node size (XA_CHUNK_SHIFT 6, as in a kernel without CONFIG_BASE_SMALL;
# the test harness defaults to 3 to stress the tree).
R=$L/tools/testing/radix-tree
mkdir -p "$OUT/generated"
echo "#define XA_CHUNK_SHIFT 6" > "$OUT/generated/map-shift.h"
echo "#define CONFIG_64BIT 1" > "$OUT/generated/bit-length.h"
cp "$R/generated/autoconf.h" "$OUT/generated/"

# The same compiler and optimisation as the Paddock side (bench.mk); GNU C
# because the kernel is written in it.
CFLAGS="-std=gnu11 -O2 -g -w -I$OUT -I$R -I$L/tools/include -D_LGPL_SOURCE"
objs=()
for f in "$L/lib/idr.c" "$L/lib/xarray.c" "$L/lib/radix-tree.c" \
	"$R/linux.c" "$R/bitmap.c" "$L/tools/lib/find_bit.c" \
	"$L/tools/lib/slab.c"; do
	o=$OUT/$(basename "$f" .c).o
	$CC $CFLAGS -c "$f" -o "$o" || unavailable "compiling $f failed"
	objs+=("$o")
done
$CC $CFLAGS -Ibench -c bench/peer_linux.c -o "$OUT/peer_linux.o" ||
	unavailable "compiling bench/peer_linux.c failed"
rm -f "$OUT/libpeer.a"
ar rcs "$OUT/libpeer.a" "${objs[@]}" "$OUT/peer_linux.o"
