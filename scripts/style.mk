# Style and static checks of the kernel code (included from the top Makefile).
#   make style    checkpatch.pl --strict over kernel/ and common/ (kernel-built)
#   make sparse   sparse (C=2) over the module, for each Debian kernel
#                 (scripts/kvers.sh: a missing one fails the check)
# Each fails on any message.

STYLE_CHECKPATCH	:= $(KSRC_UNIT)/scripts/checkpatch.pl
STYLE_FILES		 = $(sort $(shell find kernel common/nvme common/leapio -type f \
				     \( -name '*.c' -o -name '*.h' \) ! -name '*.mod.c'))

style: $(KSRC_UNIT)/.stamp
	@$(STYLE_CHECKPATCH) --strict --no-tree --terse --show-types \
		--no-summary -f $(STYLE_FILES)

# C=2 runs sparse on every file, built or not. Kbuild prints what sparse
# and the compiler say as "file:line:col: warning|error:", and sparse
# exits 0 after warnings: fail on those lines. Each kernel's run is in its
# own copy of the sources (build/sparse/<v>, tests/vm/kmod-sync.sh): objects
# of one kernel left in the tree would be linked by the next plain make.
sparse:
	@rc=0; kvers=$$(scripts/kvers.sh) || rc=1; \
	for v in $$kvers; do \
		echo "# sparse, $$v"; \
		tests/vm/kmod-sync.sh $(CURDIR) build/sparse/$$v || rc=1; \
		out=$$($(MAKE) -s -C /lib/modules/$$v/build \
			M=$(CURDIR)/build/sparse/$$v C=2 modules 2>&1) || rc=1; \
		printf '%s\n' "$$out"; \
		if printf '%s\n' "$$out" | grep -q ': \(warning\|error\):'; then \
			rc=1; fi; \
	done; exit $$rc

.PHONY: style sparse
