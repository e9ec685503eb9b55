# make bench-remote [KVER=<v>]: remote drives' overhead, in L1 (bench/remote/,
# Documentation/benchmarks.rst): fio on the initiator's namespace against
# the VFIO client through leapiod onto it, over TCP and RDMA.
BREM_OUT	 = build/bench/remote-$(KVER)

# The benchmarks' VFIO guests: a main of their own, the kselftests'
# client library and bench/lib/'s setup.
BENCH_CLIENT	:= bench/lib/bench_client.c bench/lib/bench_client.h
build/bench/vfio_randread: bench/remote/vfio_randread.c
build/bench/vfio_randread build/bench/vfio_copy: build/bench/%: $(KSFT_LIB_OBJ) $(KSFT_HDRS) $(BENCH_CLIENT)
	@mkdir -p $(@D)
	$(CC) $(KSFT_CFLAGS) -o $@ $(wildcard bench/*/$*.c) \
		bench/lib/bench_client.c $(KSFT_LIB_OBJ)

bench-remote: kmod build/bench/vfio_randread runtime/leapiod
	tests/vm/run-l1.sh $(KVER) bench/remote/l1-bench-remote.sh $(BREM_OUT)
	@bench/remote/report.py $(BREM_OUT) | tee $(BREM_OUT)/report.txt

.PHONY: bench-remote
