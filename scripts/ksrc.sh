#!/bin/bash
# Extract the files LeapIO takes from Debian's linux-source-<ver> tarball at
# build time (kselftest harness, checkpatch and its data) into
# build/ksrc-<ver>/. Nothing from the kernel is committed to the tree.
#   scripts/ksrc.sh 6.12 build/ksrc-6.12
set -euo pipefail
ver=$1 out=$2
tarball=/usr/src/linux-source-$ver.tar.xz
[ -f "$out/.stamp" ] && exit 0
[ -f "$tarball" ] || { echo "ksrc: $tarball missing (run make setup)" >&2; exit 1; }
mkdir -p "$out"
top=linux-source-$ver
tar -xJf "$tarball" -C "$out" --strip-components=1 \
	"$top/tools/testing/selftests/kselftest_harness.h" \
	"$top/tools/testing/selftests/kselftest.h" \
	"$top/scripts/checkpatch.pl" \
	"$top/scripts/spelling.txt" \
	"$top/scripts/const_structs.checkpatch"
touch "$out/.stamp"
