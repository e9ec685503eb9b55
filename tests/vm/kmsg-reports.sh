#!/bin/bash
# The reports of the kernel's checkers in a kernel log read on stdin, one
# line each on stdout (nothing: the log is clean). One definition for
# every kernel-log check of the rig (tests/vm/l1-main.sh,
# tests/kselftest/run.sh):
#   WARN and BUG ("WARNING:", "BUG:", "Oops", "general protection",
#     "Call Trace"), KASAN, UBSAN, kmemleak, KFENCE ("BUG: KFENCE:"),
#     lockdep ("possible circular locking", "inconsistent lock state",
#     "suspicious RCU usage", "sleeping function called from invalid
#     context");
#   DEBUG_OBJECTS ("ODEBUG:") and DEBUG_LIST ("list_add corruption",
#     "list_del corruption"), which also WARN (debug kernel);
#   SLUB debugging (slub_debug=FZPU): "BUG <cache> (<taint>): <what>",
#     e.g. "BUG kmalloc-64 (Not tainted): Redzone overwritten", with no
#     colon after BUG, and its "Poison overwritten", "Object padding
#     overwritten", "Freepointer corrupt" lines;
#   page poisoning (page_poison=1): "pagealloc: memory corruption" and
#     "pagealloc: single bit error".
#   tests/vm/kmsg-reports.sh < dmesg.txt
grep -E 'WARNING:|BUG:|BUG [^ ]+ \(|Oops|general protection|Call Trace|KASAN|UBSAN|kmemleak|KFENCE|possible circular locking|inconsistent lock state|suspicious RCU usage|sleeping function called from invalid context|ODEBUG:|list_(add|del) corruption|Redzone overwritten|Poison overwritten|[Pp]adding overwritten|Freepointer corrupt|pagealloc: (memory corruption|single bit error)'
exit 0
