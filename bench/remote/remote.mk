# make bench-remote [KVER=<v>]: remote drives' overhead, in L1 (bench/remote/,
# Documentation/benchmarks.rst): fio on the initiator's namespace against
# the VFIO client through leapiod onto it, over TCP and RDMA.
BREM_OUT	 = build/bench/remote-$(KVER)

build/bench/vfio_randread: bench/remote/vfio_randread.c $(KSFT_LIB_OBJ) $(KSFT_HDRS)
	@mkdir -p $(@D)
	$(CC) $(KSFT_CFLAGS) -o $@ $< $(KSFT_LIB_OBJ)

bench-remote: kmod build/bench/vfio_randread runtime/leapiod
	tests/vm/run-l1.sh $(KVER) bench/remote/l1-bench-remote.sh $(BREM_OUT)
	@bench/remote/report.py $(BREM_OUT) | tee $(BREM_OUT)/report.txt

.PHONY: bench-remote
