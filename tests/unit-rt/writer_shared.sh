#!/bin/bash
# The module and leapiod's fake host write the shared region through one
# region writer (common/leapio/region_writer.c), built into both, not a
# copy in each: a TAP stream, run by `make unit-rt` after the test
# binaries (which it inspects; run from the top of the tree).
#   1  Kbuild links region_writer.o into leapio_host.ko, next to the data
#      path files that call it.
#   2  each module built since the writer exists (build/kmod/<kver>/, from
#      `make kmod`) defines the writer's functions, and its datapath.o,
#      pin.o and region.o call them; a kernel with no such build: SKIP.
#   3  the unit-rt binaries define them, and fake_host.c, compiled on its
#      own, calls them (the writer is not in it).
#   4  no direct store to what the writer owns in datapath.c, pin.c,
#      region.c or fake_host.c: a queue's valid or qgen, the controller's
#      state, generation or seq, a translation table entry.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd -P)
cd "$top" || exit 1
n=0
rc=0
ok() {
	n=$((n + 1))
	echo "ok $n $*"
}
not_ok() {
	n=$((n + 1))
	rc=1
	echo "not ok $n $*"
}

# What a caller of the writer needs, one of each kind.
calls=(leapio_wr_publish_sq leapio_wr_publish_cq leapio_wr_sq_invalidate
       leapio_wr_reset leapio_wr_bump leapio_wr_xlate_set_2m)
# Who calls what, in the module.
kcalls=("datapath.o leapio_wr_publish_sq leapio_wr_reset leapio_wr_fold_sq"
	"pin.o leapio_wr_xlate_set_4k leapio_wr_xlate_hook leapio_wr_xlate_clear"
	"region.o leapio_wr_bump")

# defines <nm output file> <symbol>...: every symbol is a defined function.
defines() {
	local out=$1 s
	shift
	for s in "$@"; do
		grep -qE "^[0-9a-f]+ T $s\$" "$out" || { echo "# $s not defined"; return 1; }
	done
}

# calls_undef <object> <symbol>...: the object calls (needs) each symbol.
calls_undef() {
	local obj=$1 s und
	shift
	und=$(nm -u "$obj") || return 1
	for s in "$@"; do
		grep -qE "^ +U $s\$" <<< "$und" || { echo "# $obj does not call $s"; return 1; }
	done
}

echo "TAP version 13"
echo "1..4"

# 1: the object list Kbuild builds leapio_host.ko from (its own
# evaluation: the compat checks need no kernel to give their flags).
objs=$(make -s --no-print-directory -f - <<'EOF' 2>/dev/null
include kernel/host/Kbuild
print:
	@echo $(leapio_host-y)
EOF
)
want="../../common/leapio/region_writer.o datapath.o pin.o region.o"
miss=
for o in $want; do
	grep -qw -- "$o" <<< "$objs" || miss="$miss $o"
done
if [ -z "$miss" ]; then
	ok "Kbuild links common/leapio/region_writer.o into leapio_host.ko"
else
	echo "# leapio_host-y: $objs"
	not_ok "Kbuild links common/leapio/region_writer.o into leapio_host.ko (missing:$miss)"
fi

# 2: the modules built (a build older than the writer's source in its
# copy, or with no copy at all, predates it: not judged).
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.o"' EXIT
checked=0
bad=
for d in build/kmod/*/; do
	ko=$d/kernel/host/leapio_host.ko
	[ -f "$ko" ] && [ -f "$d/common/leapio/region_writer.c" ] &&
		[ "$ko" -nt "$d/common/leapio/region_writer.c" ] || continue
	checked=$((checked + 1))
	nm "$ko" > "$tmp" 2>/dev/null && defines "$tmp" "${calls[@]}" || bad="$bad $ko"
	for k in "${kcalls[@]}"; do
		read -r -a a <<< "$k"
		calls_undef "$d/kernel/host/${a[0]}" "${a[@]:1}" || bad="$bad $d${a[0]}"
	done
done
if [ $checked = 0 ]; then
	ok "leapio_host.ko has the writer and its data path calls it # SKIP no module built since the writer (make kmod)"
elif [ -z "$bad" ]; then
	ok "leapio_host.ko has the writer and its data path calls it ($checked kernel(s))"
else
	not_ok "leapio_host.ko has the writer and its data path calls it:$bad"
fi

# 3: the unit-rt binaries, and the fake host's own object.
bad=
bins=$(ls build/unit-rt/test_* 2>/dev/null)
[ -n "$bins" ] || bad=" no build/unit-rt/test_* (make unit-rt-build)"
for b in $bins; do
	nm "$b" > "$tmp" 2>/dev/null && defines "$tmp" "${calls[@]}" || bad="$bad $b"
done
if ${CC:-cc} -std=gnu11 -D_GNU_SOURCE -Icommon/env -I. -c -o "$tmp.o" \
	tests/unit-rt/fake_host.c 2> "$tmp"; then
	calls_undef "$tmp.o" "${calls[@]}" leapio_wr_xlate_set_4k \
		leapio_wr_xlate_hook leapio_wr_xlate_clear || bad="$bad fake_host.o"
	if nm "$tmp.o" | grep -qE " T leapio_wr_"; then
		bad="$bad fake_host.o (defines a writer function itself)"
	fi
else
	sed 's/^/# /' "$tmp"
	bad="$bad fake_host.c (does not compile alone)"
fi
if [ -z "$bad" ]; then
	ok "the unit-rt binaries have the writer and the fake host calls it"
else
	not_ok "the unit-rt binaries have the writer and the fake host calls it:$bad"
fi

# 4: stores the writer owns, outside it (reads, comparisons and the
# writer's calls do not match; nor do comments).
store='((\.|->)(valid|qgen|generation|seq|state)[[:space:]]*([-+*|&]?=[^=]|\+\+|--))'
store="$store|(WRITE_ONCE\\([^,]*(\\.|->)(valid|qgen|generation|seq|state)[[:space:]]*,)"
store="$store|((\\bl1|\\bl2)\\[[^]]*\\][[:space:]]*=[^=])|WRITE_ONCE\\([^,]*\\b(l1|l2)\\[|lio_l2_entry"
hits=$(grep -nE "$store" kernel/host/datapath.c kernel/host/pin.c \
	kernel/host/region.c tests/unit-rt/fake_host.c |
	grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/?\*|//)')
if [ -z "$hits" ]; then
	ok "no direct store to writer-owned region fields outside the writer"
else
	sed 's/^/# /' <<< "$hits"
	not_ok "no direct store to writer-owned region fields outside the writer"
fi
exit $rc
