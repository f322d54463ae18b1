# Clustering (native/cluster): k-means against scikit-learn's KMeans from the
# same initial centres, in the same job. The Go tests (same labels, centres,
# inertia and iteration count as sklearn) run in test-go.
BENCH_TARGETS += bench-cluster

.PHONY: bench-cluster
bench-cluster:
	$(GO) build -tags '$(GOTAGS)' -o $(BIN)/cluster-bench ./bench/cluster
	$(BIN)/cluster-bench -n 100000 -d 128 -k 256 -iter 20 -reps 3 -dir $(CURDIR)/build/bench/cluster -python $(PY)
