#!/usr/bin/env bash
# Fetches the device-type templates of Debian's lava-server package into
# build/lava/server/ (usr/share/lava-server/device-types/, qemu.jinja2 among
# them), without installing the server: `apt-get download` and `dpkg-deb
# -x`.  The LAVA jobs' device configurations are rendered from them
# (ci/lava/lava-jobs.py device, docs/lava.md).  Nothing of it is committed.
# Run by ci/deps.sh with the repository root as working directory.
#
# Idempotent: the stamp holds the package version extracted; a tree whose
# stamp matches the archive's candidate version is left alone.
set -euo pipefail
cd "$(dirname "$0")/../.."

out=build/lava/server
stamp=$out/.stamp
templates=$out/usr/share/lava-server/device-types

candidate() {
	apt-cache policy lava-server 2>/dev/null |
		sed -n 's/^ *Candidate: *//p' | grep -v '^(none)$' || true
}

version=$(candidate)
if [ -z "$version" ] && [ "$(id -u)" -eq 0 ]; then
	# A machine whose package lists predate the package (or have none).
	echo "lava-server: no candidate version; apt-get update"
	apt-get update -q >/dev/null
	version=$(candidate)
fi
if [ -z "$version" ]; then
	echo "lava-server: apt knows no lava-server package (run 'sudo apt-get update')" >&2
	exit 1
fi

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$version" ] &&
	[ -f "$templates/qemu.jinja2" ]; then
	echo "lava-server: device-type templates $version already in $templates"
	exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "lava-server: downloading lava-server $version (templates only)"
# apt-get download writes into the current directory; as root it warns
# that the _apt user cannot write there, which is harmless.
(cd "$work" && apt-get download -q "lava-server=$version" 2>&1 |
	grep -v 'unsandboxed as root' || true)
deb=$(find "$work" -maxdepth 1 -name 'lava-server_*.deb' | head -n 1)
[ -n "$deb" ] || {
	echo "lava-server: apt-get download lava-server=$version failed" >&2
	exit 1
}
rm -rf "$out"
mkdir -p "$out"
dpkg-deb -x "$deb" "$out"
[ -f "$templates/qemu.jinja2" ] || {
	echo "lava-server: $deb has no qemu.jinja2 under $templates" >&2
	exit 1
}
echo "$version" >"$stamp"
echo "lava-server: $(ls "$templates" | wc -l) device-type templates in $templates"
