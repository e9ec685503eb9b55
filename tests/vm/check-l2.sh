#!/bin/bash
# Judge a nested-guest run: what the guest's stock nvme driver and nvme-cli
# saw, against what the device should be. Prints TAP, one line per assertion.
#   tests/vm/check-l2.sh <name-out.log> <expect.env> [<name>.status] [<name>-console.log]
#                        [<name>-resize.log]
# expect.env (sourced) sets EXPECT_VID, EXPECT_SSVID (0x.... hex), EXPECT_MN,
# EXPECT_SN, EXPECT_SUBNQN, EXPECT_VER (hex), EXPECT_NN, EXPECT_NSZE (blocks),
# EXPECT_LBA_SIZE (bytes), EXPECT_NR_IOQ (queue pairs of the type) and
# EXPECT_TEMP_K; EXPECT_NS2_NSZE, if set, the blocks (of EXPECT_NS2_LBA_SIZE
# bytes) of a second namespace the guest must see and use; EXPECT_REQ_IOQ, if set, is how many I/O queue pairs the
# guest's driver asks for; EXPECT_DSM_ZEROES=1 when the backend reads
# deallocated blocks as zeroes (punched holes do). Exit status 0 when every assertion holds.
set -euo pipefail

out=$1 expect=$2 status=${3:-} console=${4:-} resize_log=${5:-}
# shellcheck disable=SC1090
. "$expect"

# shellcheck source=tests/vm/tap.sh
. "$(dirname "$0")/tap.sh"

# No output at all (the guest never started): one failure, not silence.
if [ ! -r "$out" ]; then
	echo "TAP version 13"
	tap 0 "guest wrote its output" "no $out"
	tap_plan
	exit 1
fi

# The output of the plan's commands (CRs of the serial line dropped).
log=$(tr -d '\r' < "$out")
# shellcheck source=tests/vm/l2-out.sh
. "$(dirname "$0")/l2-out.sh"
# A top-level field of nvme-cli's JSON output (pretty-printed, two spaces
# in), without quotes.
json() {
	section "$1" | sed -En -e "s/^  \"$2\":\"(.*)\",?$/\1/p" \
		-e "s/^  \"$2\":([^\",]*),?$/\1/p" | sed -n 1p
}
trim() { sed 's/[[:space:]]*$//'; }
# What the guest wrote for one command, as it came (cat -v), for a failure:
# a check that read nothing says whether the output or its marker was gone.
section_diag() {
	if grep -qxF "=== LEAPIO-BEGIN $1 ===" <<< "$log"; then
		echo "output of $1 ($(section "$1" | wc -l) lines) begins:"
		section "$1" | sed -n 1,6p | cat -v | cut -c1-160
	else
		echo "no '=== LEAPIO-BEGIN $1 ===' line; before its END line:"
		grep -B4 -F "=== LEAPIO-END $1 rc=" <<< "$log" | sed -n 1,4p | cat -v | cut -c1-160
	fi
}
# tap_is on a field of a command's JSON output; "trim" drops trailing blanks.
json_is() {
	local seen
	seen=$(json "$2" "$3")
	[ "${5:-}" != trim ] || seen=$(trim <<< "$seen")
	tap_is "$1" "$seen" "$4" "$(section_diag "$2")"
}
dec() { printf '%d' "$1"; }

echo "TAP version 13"

# The guest ran to the end and powered off within its bound.
tap "$(ok_if grep -q '=== LEAPIO-L2-DONE' <<< "$log")" "guest ran every command to the end"
if [ -n "$status" ]; then
	qrc=$(sed -n 's/^exit=\([0-9]*\).*/\1/p' "$status" 2>/dev/null || true)
	tap "$(ok_if [ "$qrc" = 0 ])" "guest powered off cleanly within its timeout" \
		"$(cat "$status" 2>/dev/null)"
	# l2-run.sh booted it again: said, never hidden.
	boots=$(sed -n 's/.*boots=\([0-9]*\).*/\1/p' "$status" 2>/dev/null || true)
	if [ "${boots:-1}" -gt 1 ]; then
		echo "# the guest's boots before the last panicked before its init ran (emulator); booted $boots times: $(basename "$status" .status)-console-boot*.log"
	fi
fi
if [ -n "$console" ]; then
	# Kernel warnings, oopses and panics: never.
	bad=$(guest_oopses < "$console")
	tap "$(ok_if [ -z "$bad" ])" "guest kernel log has no warning, oops or panic" "$bad"
	# Nor I/O errors or timeouts now that there is a data path.
	bad=$(guest_io_errors < "$console")
	tap "$(ok_if [ -z "$bad" ])" "guest kernel log has no I/O error, timeout or controller reset" "$bad"
	# Short of it, the console's end says where the guest stopped.
	tap "$(ok_if grep -q 'reboot: Power down' "$console")" "guest kernel reached power down" \
		"$(tail -n 60 "$console")"
fi

# PCI: our function, class NVMe, bound by the stock nvme driver.
vid_hex=$(printf '0x%04x' "$EXPECT_VID")
pci=$(section pci | awk -v v="$vid_hex" '$2 == v')
tap_is "PCI function $vid_hex present, class 0x010802" "$(awk '{print $4}' <<< "$pci")" 0x010802
tap_is "PCI function $vid_hex bound by the nvme driver" "$(awk '{print $5}' <<< "$pci")" nvme
tap_is "sysfs nvme0 device/vendor" "$(section sysfs | sed -n 's/^device\/vendor=//p')" "$vid_hex"

# Identify Controller.
tap_is "id-ctrl completes" "$(rc_of id-ctrl-json)" 0
json_is "id-ctrl vid" id-ctrl-json vid "$(dec "$EXPECT_VID")"
json_is "id-ctrl ssvid" id-ctrl-json ssvid "$(dec "$EXPECT_SSVID")"
json_is "id-ctrl mn" id-ctrl-json mn "$EXPECT_MN" trim
json_is "id-ctrl sn matches sysfs serial" id-ctrl-json sn "$EXPECT_SN" trim
json_is "id-ctrl subnqn matches sysfs subnqn" id-ctrl-json subnqn "$EXPECT_SUBNQN" trim
json_is "id-ctrl ver" id-ctrl-json ver "$(dec "$EXPECT_VER")"
json_is "id-ctrl nn" id-ctrl-json nn "$EXPECT_NN"
tap_is "nvme list shows nvme0n1 with our model" \
	"$(section list | awk '$1 == "/dev/nvme0n1"' | grep -c -F "$EXPECT_MN")" 1

# Identify Namespace: size, and the LBA format in use.
tap_is "id-ns completes" "$(rc_of id-ns-json)" 0
json_is "id-ns nsze = ns_size / lba_size" id-ns-json nsze "$EXPECT_NSZE"
lbads=$(section id-ns | sed -n 's/^lbaf *[0-9]* : .*lbads:\([0-9]*\).*(in use)/\1/p')
tap_is "id-ns LBA format in use has ${EXPECT_LBA_SIZE}-byte blocks" \
	"$([ -n "$lbads" ] && echo $((1 << lbads)))" "$EXPECT_LBA_SIZE"

# Number of Queues: each 0's-based half at most the type's queue pairs - 1.
# nvme-cli prints the value with %#x: no 0x when it is 0.
nq=$(section get-feature-7 | sed -n 's/.*Current value:\(0x\)\{0,1\}\([0-9a-fA-F]*\).*/0x\2/p')
if [ -n "$nq" ]; then
	nsqa=$((nq & 0xffff)) ncqa=$((nq >> 16 & 0xffff)) max=$((EXPECT_NR_IOQ - 1))
	tap "$(ok_if [ $nsqa -le $max ] && [ $ncqa -le $max ])" \
		"get-feature 7 (queues) $nq within $EXPECT_NR_IOQ pairs" \
		"NSQA=$nsqa NCQA=$ncqa, at most $max each"
else
	tap 0 "get-feature 7 (queues) within $EXPECT_NR_IOQ pairs" "$(section get-feature-7)"
fi
# A guest gets what it asks for, up to all the type has.
if [ -n "${EXPECT_REQ_IOQ:-}" ]; then
	want=$((EXPECT_REQ_IOQ < EXPECT_NR_IOQ ? EXPECT_REQ_IOQ : EXPECT_NR_IOQ))
	tap_is "get-feature 7 (queues): $want of $EXPECT_NR_IOQ pairs for a guest asking $EXPECT_REQ_IOQ" \
		"$(printf '0x%08x' "${nq:-0}")" "$(printf '0x%08x' $(((want - 1) * 0x10001)))"
fi

# SMART / Health log.
tap_is "smart-log completes" "$(rc_of smart-log-json)" 0
missing=
for f in critical_warning temperature avail_spare spare_thresh percent_used \
	data_units_read data_units_written host_read_commands \
	host_write_commands controller_busy_time power_cycles power_on_hours \
	unsafe_shutdowns media_errors num_err_log_entries; do
	[ -n "$(json smart-log-json "$f")" ] || missing+=" $f"
done
tap_is "smart-log has every health field" "${missing:-none missing}" "none missing"
json_is "smart-log temperature (K)" smart-log-json temperature "$EXPECT_TEMP_K"

# Error Information log.
tap_is "error-log completes" "$(rc_of error-log-json)" 0
tap_is "error-log has an errors array" "$(section error-log-json | grep -c '^  "errors":\[')" 1

# The data path: fio with verification, a dd round trip, flush, deallocate.
fio_out=$(section fio-verify)
tap_is "fio randrw --verify=crc32c exits 0" "$(rc_of fio-verify)" 0
tap_is "fio reports err=0" "$(grep -Eo 'err= *[0-9]+' <<< "$fio_out" | tr -d ' ' | sort -u)" "err=0"
verr=$(grep -Ei 'verify.*(fail|bad|mismatch)|crc32c.*(fail|bad)|bad magic' <<< "$fio_out" || true)
tap "$(ok_if [ -z "$verr" ])" "fio saw no verify error" "$verr"
tap_is "fio both read and wrote" "$(grep -cE '^ *(READ|WRITE): bw=' <<< "$fio_out")" 2

rt=$(section dd-roundtrip)
written=$(sed -n 's/^written=//p' <<< "$rt")
tap_is "dd O_DIRECT round trip completes" "$(rc_of dd-roundtrip)" 0
tap "$(ok_if [ -n "$written" ] && [ "$written" = "$(sed -n 's/^readback=//p' <<< "$rt")" ])" \
	"dd round trip reads back what it wrote" "$rt"

tap_is "nvme flush completes" "$(rc_of flush)" 0

dsm=$(section dsm)
tap_is "nvme dsm --ad (deallocate) completes" "$(rc_of dsm)" 0
if [ "${EXPECT_DSM_ZEROES:-0}" = 1 ]; then
	zeroes=$(sed -n 's/^zeroes=//p' <<< "$dsm")
	tap "$(ok_if [ -n "$zeroes" ] && [ "$zeroes" = "$(sed -n 's/^after=//p' <<< "$dsm")" ])" \
		"deallocated blocks read back as zeroes" \
		"$(grep -E '^(after|zeroes|blocks|reread)=|rror' <<< "$dsm")"
fi

# Verify, Copy and Write Uncorrectable from nvme-cli (init-l2.sh nvm_cmds).
nvm=$(section nvm)
kv() { sed -n "s/^$1=//p" <<< "$nvm"; }
tap_is "nvme verify of written blocks succeeds" "$(kv verify)" 0 "$nvm"
tap_is "nvme copy of two ranges succeeds" "$(kv copy)" 0 "$nvm"
tap "$(ok_if [ -n "$(kv copied)" ] && [ "$(kv copied)" = "$(kv swapped)" ])" \
	"nvme copy wrote the two ranges in order, byte for byte" "$nvm"
tap_is "nvme write-uncor succeeds" "$(kv uncor)" 0 "$nvm"
tap "$(ok_if grep -qi 'unrecovered\|0x281' <<< "$(kv read_marked)")" \
	"a read of the marked block fails with Unrecovered Read Error" "$nvm"
tap "$(ok_if grep -qi 'unrecovered\|0x281' <<< "$(kv verify_marked)")" \
	"a verify of the marked block fails with Unrecovered Read Error" "$nvm"
# Get LBA Status's first 24 bytes, in hex: NLSD 1, CMPC 2 (the whole
# range), one descriptor: the marked block (little endian), NLB 1.
le64() {
	local h i out=
	h=$(printf '%016x' "$1")
	for i in 14 12 10 8 6 4 2 0; do out+=${h:$i:2}; done
	echo "$out"
}
mark=$(($(sed -n 's/^slba=//p' <<< "$nvm") + 1))
tap_is "Get LBA Status names the marked block, and it alone" "$(kv lba_status)" \
	"0100000002000000$(le64 "$mark")0100000000000000" "$nvm"
tap_is "the marked block written again reads" "$(kv rewrite) $(kv reread)" "0 0" "$nvm"

# The second namespace (init-l2.sh ns2_check): there with its own size and
# data when L1 made one (EXPECT_NS2_NSZE blocks of EXPECT_NS2_LBA_SIZE),
# absent otherwise.
ns2=$(section ns2)
nkv() { sed -n "s/^$1=//p" <<< "$ns2"; }
if [ -n "${EXPECT_NS2_NSZE:-}" ]; then
	tap_is "L1 made namespace 2 when the guest asked (ns2_size written)" \
		"$(sed -n 's/^ns2_create=//p' "$resize_log" 2>/dev/null)" 0 \
		"$(cat "$resize_log" 2>/dev/null)"
	tap_is "/dev/nvme0n2 came (Namespace Attribute Changed): NSID 2, its Identify NSZE" \
		"$(nkv ns2) $(nkv nsid) $(nkv nsze)" "present 2 $EXPECT_NS2_NSZE" "$ns2"
	tap_is "/dev/nvme0n2's size (512-byte sectors)" "$(nkv sectors)" \
		"$((EXPECT_NS2_NSZE * EXPECT_NS2_LBA_SIZE / 512))" "$ns2"
	tap_is "fio with verification on /dev/nvme0n2 exits 0" "$(nkv fio)" 0 \
		"$(tail -n 20 <<< "$ns2")"
	tap_is "fio on /dev/nvme0n2 reports err=0" \
		"$(grep -Eo 'err= *[0-9]+' <<< "$ns2" | tr -d ' ' | sort -u)" "err=0"
	tap_is "nvme detach-ns -n 2 succeeds and /dev/nvme0n2 goes" \
		"$(nkv detach) $(nkv gone)" "0 1" "$ns2"
	tap_is "nvme attach-ns -n 2 succeeds and /dev/nvme0n2 comes back with its blocks" \
		"$(nkv attach) $(nkv back) $(nkv same)" "0 1 1" "$ns2"
	tap_is "nvme delete-ns -n 2 succeeds, /dev/nvme0n2 goes, namespace 1 alone is allocated" \
		"$(nkv delete) $(nkv deleted_gone) $(nkv allocated)" "0 1 1" "$ns2"
	# create-ns from the pool (init-l2.sh ns_pool_create): NSID 3, the
	# lowest the configuration gives no backend (2 is its).
	if [ -n "${EXPECT_POOL:-}" ]; then
		tap_is "nvme create-ns from the pool succeeds, NSID 3" \
			"$(nkv pool_create) $(nkv pool_nsid)" "0 3" "$ns2"
		tap_is "nvme attach-ns of it succeeds and its block device comes, 4096 sectors" \
			"$(nkv pool_attach) $(nkv pool_dev | grep -c '^/dev/nvme0n') $(nkv pool_sectors)" \
			"0 1 4096" "$ns2"
		tap_is "fio with verification on the new namespace exits 0, err=0" \
			"$(nkv pool_fio) $(nkv pool_err)" "0 0" "$(grep -A3 pool_create <<< "$ns2")"
		tap_is "nvme delete-ns of it succeeds and its block device goes" \
			"$(nkv pool_delete) $(nkv pool_gone)" "0 1" "$ns2"
	else
		tap_is "no pool where L1 gave none" "$(nkv pool)" none "$ns2"
	fi
else
	tap_is "no second namespace where none was made" "$(nkv ns2)" none "$ns2"
fi

# Format NVM from nvme-cli (init-l2.sh format_ns).
fmt=$(section format)
fkv() { sed -n "s/^$1=//p" <<< "$fmt"; }
tap_is "nvme format --lbaf=1 --ses=1 succeeds" "$(fkv format)" 0 "$fmt"
tap_is "the block device has 4 KiB logical blocks after it" "$(fkv lbs)" 4096 "$fmt"
tap_is "what was written reads back as zeroes after the erase" "$(fkv nonzero)" 0 "$fmt"
tap_is "fio with verification on the 4 KiB blocks exits 0" "$(fkv fio)" 0 "$fmt"
tap_is "nvme format --lbaf=0 back to 512-byte blocks succeeds" \
	"$(fkv format_back) $(fkv lbs_back)" "0 512" "$fmt"

# The namespace doubled under fio (init-l2.sh resize_under_fio; L1's
# side in l1-lib.sh l1_l2_resize_when_asked).
if [ -n "$resize_log" ]; then
	rs=$(section resize)
	rkv() { sed -n "s/^$1=//p" <<< "$rs"; }
	tap_is "leapioctl vdev resize, asked by the guest mid-fio, exits 0" \
		"$(sed -n 's/^resize=//p' "$resize_log" 2>/dev/null)" 0 \
		"$(cat "$resize_log" 2>/dev/null)"
	doubled() {
		[[ $1 =~ ^[0-9]+$ && $2 =~ ^[0-9]+$ ]] && [ "$2" = $(($1 * 2)) ]
	}
	before=$(rkv before) after=$(rkv after)
	tap "$(ok_if doubled "$before" "$after")" \
		"the guest's block device doubled while fio ran" \
		"before '$before' after '$after' (sectors)"
	tap_is "the size changed while fio was still running" "$(rkv fio_running)" 1 \
		"$(head -n 4 <<< "$rs")"
	tap_is "fio with verification across the resize exits 0" "$(rkv fio)" 0 \
		"$(tail -n 20 <<< "$rs")"
	tap_is "fio across the resize reports err=0" \
		"$(grep -Eo 'err= *[0-9]+' <<< "$rs" | tr -d ' ' | sort -u)" "err=0"
fi

# SMART counters moved with the I/O above (smart-log-json ran before it).
grew() {
	[[ $1 =~ ^[0-9]+$ && $2 =~ ^[0-9]+$ ]] && [ "$2" -gt "$1" ]
}
for f in data_units_read data_units_written host_read_commands host_write_commands; do
	before=$(json smart-log-json "$f") after=$(json smart-log-after-json "$f")
	tap "$(ok_if grew "$before" "$after")" "smart-log $f grew with I/O" \
		"before '$before', after '$after'"
done

tap_plan
exit $tap_failed
