# Installing LeapIO as an operator does (included from the top Makefile):
#   make dkms-source DESTDIR=…  the DKMS source tree, <DESTDIR>/usr/src/leapio-<v>
#   make dkms-install           that tree in /usr/src, then built and installed
#                               by DKMS for every kernel with headers (root)
#   make deb                    build/deb/leapio-dkms_<v>_all.deb and
#                               leapiod_<v>_<arch>.deb (dpkg-buildpackage, no
#                               network), lintian's verdict in build/deb/lintian.txt
# Documentation/admin-guide/packages.rst.

LIO_VERSION	:= $(shell sed -n 's/^\#define LEAPIO_VERSION\t*"\(.*\)"/\1/p' common/leapio/version.h)
# What Kbuild needs of the tree, and nothing built.
DKMS_SRC	= Kbuild $(shell find kernel common uapi -type f \( -name '*.[ch]' ! -name '*.mod.c' \
		    -o -name Kbuild -o -name '*.include' -o -name Makefile \))

dkms-source:
	@test -n "$(DESTDIR)" || { echo "dkms-source: set DESTDIR" >&2; exit 2; }
	d=$(DESTDIR)/usr/src/leapio-$(LIO_VERSION); \
	rm -rf $$d && mkdir -p $$d && \
	cp --parents -t $$d $(DKMS_SRC) && \
	sed 's/@VERSION@/$(LIO_VERSION)/' dkms.conf > $$d/dkms.conf

dkms-install:
	@[ "$$(id -u)" = 0 ] || { echo "dkms-install: run as root" >&2; exit 1; }
	@command -v dkms > /dev/null || { echo "dkms-install: no dkms (apt install dkms)" >&2; exit 1; }
	-dkms remove leapio/$(LIO_VERSION) --all 2>/dev/null
	$(MAKE) --no-print-directory dkms-source DESTDIR=/
	dkms add leapio/$(LIO_VERSION)
	@set -e; n=0; for b in /lib/modules/*/build; do \
		[ -d "$$b" ] || continue; k=$${b%/build}; k=$${k##*/}; \
		dkms install leapio/$(LIO_VERSION) -k $$k; n=$$((n + 1)); \
	done; [ $$n -gt 0 ] || { echo "dkms-install: no kernel has headers" >&2; exit 1; }

# The packages are built in a copy of the tree (dpkg-buildpackage writes
# beside the tree it builds): build/deb/leapio-<v>/.
DEB_OUT		:= build/deb
deb:
	rm -rf $(DEB_OUT) && mkdir -p $(DEB_OUT)/leapio-$(LIO_VERSION)
	tar --exclude=./build --exclude=./.git -cf - . | tar -C $(DEB_OUT)/leapio-$(LIO_VERSION) -xf -
	$(MAKE) -C $(DEB_OUT)/leapio-$(LIO_VERSION) clean > /dev/null
	cd $(DEB_OUT)/leapio-$(LIO_VERSION) && dpkg-buildpackage -b -us -uc
	lintian --no-tag-display-limit $(DEB_OUT)/*.changes > $(DEB_OUT)/lintian.txt 2>&1 || true
	@cat $(DEB_OUT)/lintian.txt
	@! grep -q '^E:' $(DEB_OUT)/lintian.txt || { echo "make deb: lintian reports errors" >&2; exit 1; }
	@ls $(DEB_OUT)/*.deb

.PHONY: dkms-source dkms-install deb

# make check's stage: the packages built, then installed, used and
# removed in a throwaway root (tests/pkg/deb-install.sh, TAP in
# build/results/deb.tap); the modules DKMS built there are kept in
# build/deb/dkms/<kver>/ for L1 to load (tests/vm/l1-dkms.sh).
deb-check: deb
	@mkdir -p build/results
	tests/pkg/deb-install.sh $(DEB_OUT) $(DEB_OUT) | tee build/results/deb.tap; \
	exit $${PIPESTATUS[0]}

.PHONY: deb-check
