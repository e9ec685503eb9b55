#!/bin/bash
# `make check` as a new user runs it: in a fresh Debian 12 root with
# nothing installed but what debootstrap's minbase gives (plus git and
# make), the repository cloned into it. A count lower than on a prepared
# machine means a test silently did not run (Documentation/dev-tools/
# testing.rst, "Testing the test suite").
#   scripts/fresh-root-check.sh <dir> [<commit> [<make goal>...]]    as root
# <dir> is created if missing (debootstrap) and reused if it holds a root
# already; the clone under <dir>/root/leapio is made anew each time from
# this repository's <commit> (default HEAD). The output of make check is
# in <dir>/root/make-check.log; the exit status is make check's.
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 <dir> [commit]" >&2; exit 2; }
root=$1 commit=${2:-HEAD}
shift $(($# >= 2 ? 2 : 1))
# make check, unless other goals are given (a second look at a few after
# a fix, in the root a first run set up).
goals=${*:-check}
top=$(cd "$(dirname "$0")/.." && pwd -P)
[ "$(id -u)" = 0 ] || { echo "fresh-root-check: needs root" >&2; exit 1; }
command -v debootstrap > /dev/null || apt-get install -y -q debootstrap

if [ ! -x "$root/usr/bin/make" ]; then
	# Nothing else: scripts/setup.sh must cope with what this lacks
	# (bookworm-security in the APT sources, every tool).
	debootstrap --variant=minbase --include=git,make,ca-certificates \
		bookworm "$root"
fi

mounted=()
mnt() {
	mount "$@"
	mounted=("${!#}" "${mounted[@]}")
}
cleanup() {
	local m
	for m in "${mounted[@]}"; do umount -l "$m" 2>/dev/null || true; done
}
trap cleanup EXIT
mnt -t proc proc "$root/proc"
mnt -t sysfs sys "$root/sys"
mnt --rbind /dev "$root/dev"
mnt -t tmpfs tmpfs "$root/tmp"
mnt -t tmpfs tmpfs "$root/run"
mkdir -p "$root/dev/shm"

rm -rf "$root/root/leapio"
git clone -q "$top" "$root/root/leapio"
git -C "$root/root/leapio" checkout -q "$(git -C "$top" rev-parse "$commit")"

set +e
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
	LANG=C.UTF-8 TERM=dumb CI=true \
	bash -c "cd /root/leapio && make $goals" < /dev/null 2>&1 |
	tee "$root/root/make-check.log"
rc=${PIPESTATUS[0]}
set -e
echo "fresh-root-check: make $goals exit status $rc"
exit "$rc"
