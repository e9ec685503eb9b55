# make bench-copy [KVER=<v>]: copy offload (bench/copy/,
# Documentation/benchmarks.rst): the same region duplicated by the guest
# (Reads and Writes through its memory) and by Copy commands that leapiod
# carries out, timed as the guest sees them, in the same run.
BCOPY_OUT	 = build/bench/copy-$(KVER)

# Built as bench/remote/remote.mk says (the benchmarks' VFIO guests).
build/bench/vfio_copy: bench/copy/vfio_copy.c

bench-copy: kmod build/bench/vfio_copy runtime/leapiod
	tests/vm/run-l1.sh $(KVER) bench/copy/l1-bench-copy.sh $(BCOPY_OUT)
	@bench/copy/report.py $(BCOPY_OUT) | tee $(BCOPY_OUT)/report.txt

.PHONY: bench-copy
