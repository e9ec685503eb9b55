#!/bin/bash
# Mirror the module's sources into a per-kernel build directory:
#   tests/vm/kmod-sync.sh <repo> <dest>
# Kbuild writes its objects next to the sources, so each kernel needs its own
# copy or the 6.1 and 6.12 builds would clobber each other. Copies keep their
# times (cp -p, only newer files) so Kbuild rebuilds only what changed; a
# source deleted in the repo is deleted from the copy too, since Kbuild picks
# up vctrl/*.c by wildcard and would otherwise keep building it.
set -euo pipefail

src=$1
dest=$2
parts=(Kbuild kernel common uapi)

# Sources only: objects an in-tree build left in the repo (a kbuild run
# on the repo itself) were built for some other kernel, and a copied
# *.o, .*.cmd or *.mod.c newer than its source would be linked as is.
is_source() {
	case $1 in
	*.mod.c) return 1 ;;
	*.c|*.h|Kbuild|*/Kbuild|*.include|Makefile|*/Makefile) return 0 ;;
	esac
	return 1
}

mkdir -p "$dest"
(cd "$src" && find "${parts[@]}" -type f) | while read -r f; do
	is_source "$f" || continue
	mkdir -p "$dest/$(dirname "$f")"
	cp -p --update "$src/$f" "$dest/$f"
done

# Sources in the copy that no longer exist in the repo.
(cd "$dest" && find "${parts[@]}" -type f) | while read -r f; do
	is_source "$f" || continue
	[ -e "$src/$f" ] && continue
	rm -f "$dest/$f" "$dest/${f%.c}.o"
done
