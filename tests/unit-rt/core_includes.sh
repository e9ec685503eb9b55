#!/bin/bash
# leapiod's core is platform-neutral (runtime/core/plat.h): no file of
# runtime/core/ includes anything from a platform's directory
# (runtime/host/, runtime/card/), whatever the path spelling. A TAP
# stream, run by `make unit-rt` from the top of the tree.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd -P)
cd "$top" || exit 1
echo "TAP version 13"
echo "1..2"
rc=0
files=$(ls runtime/core/*.[ch] 2>/dev/null)
if [ -n "$files" ]; then
	echo "ok 1 runtime/core/ has sources ($(wc -w <<< "$files") files)"
else
	echo "not ok 1 runtime/core/ has sources"
	rc=1
fi
# Every #include "..." resolved against the including file's directory.
bad=
for f in $files; do
	while IFS= read -r inc; do
		p=$(realpath -m --relative-to="$top" "$(dirname "$f")/$inc")
		case $p in
		runtime/host/*|runtime/card/*) bad="$bad $f:$inc" ;;
		esac
	done < <(sed -nE 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"([^"]+)".*/\1/p' "$f")
done
if [ -z "$bad" ]; then
	echo "ok 2 runtime/core/ includes nothing from runtime/host/ or runtime/card/"
else
	echo "not ok 2 runtime/core/ includes platform files:$bad"
	rc=1
fi
exit $rc
