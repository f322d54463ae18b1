# Faults in cells (issue 14, part B): fatal runtime errors in the worker
# process (stack overflow, out of memory, concurrent map writes, a killed
# worker) reported on the cell with a fresh session; in-process recoveries;
# interrupts of a 200,000-point kNN (the worker's CPU use must drop within
# 2 s) and of blocking cells. Bounded waits, 127.0.0.1 only.
TEST_TARGETS += test-cell-faults

.PHONY: test-cell-faults
test-cell-faults: install
	cd tests/jupyter && $(JUPYTER_ENV) $(PY) -m unittest -v test_cell_faults

# What the worker process adds to a call (two pipe hops, JSON both ways).
BENCH_TARGETS += bench-supervise

.PHONY: bench-supervise
bench-supervise:
	$(GO) test -run '^$$' -bench BenchmarkProxyCall -benchtime 2000x ./kernel/supervise/
