#!/bin/bash
# Print, deps first, the module files (relative to /lib/modules/<kver>) that
# must be insmod-ed for the named modules to load with busybox insmod, which
# knows no dependencies:
#   tests/vm/mod-closure.sh <kver> <module>...
# Modules built into that kernel are skipped; a name that is neither built in
# nor a module is an error, so a renamed module fails the image build rather
# than the boot.
set -euo pipefail

kver=$1
shift
mdir=${LEAPIO_MODDIR:-/lib/modules}/$kver

# name (dashes as underscores) -> "path: dep dep ..." line of modules.dep
declare -A dep_line
while IFS= read -r line; do
	path=${line%%:*}
	name=${path##*/}
	name=${name%%.ko*}
	dep_line[${name//-/_}]=$line
done < "$mdir/modules.dep"

declare -A builtin
while IFS= read -r path; do
	name=${path##*/}
	name=${name%%.ko*}
	builtin[${name//-/_}]=1
done < "$mdir/modules.builtin"

declare -A seen
order=()
visit() {
	local name=${1//-/_} line path dep
	[ -n "${seen[$name]:-}" ] && return 0
	seen[$name]=1
	if [ -z "${dep_line[$name]:-}" ]; then
		[ -n "${builtin[$name]:-}" ] && return 0
		echo "mod-closure: no module or built-in '$name' in $kver" >&2
		return 1
	fi
	line=${dep_line[$name]}
	path=${line%%:*}
	for dep in ${line#*:}; do
		dep=${dep##*/}
		visit "${dep%%.ko*}"
	done
	order+=("$path")
}

for m in "$@"; do
	visit "$m"
done
printf '%s\n' "${order[@]}"
