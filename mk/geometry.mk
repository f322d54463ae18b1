# Class and neuron geometry, assignment and transport (native/geometry,
# native/convergent, native/assign, native/transport): benchmarks against
# scipy and POT in the same job. The Go tests (comparisons with
# numpy/scipy/sklearn/POT, trained networks on the digits) run in test-go.

BENCH_TARGETS += bench-geometry

.PHONY: bench-geometry

# Linear sum assignment of a 1024 x 1024 uniform cost matrix against
# scipy.optimize.linear_sum_assignment, and the sliced Wasserstein distance
# between two 10,000 x 128 clouds with 500 directions against POT's
# ot.sliced_wasserstein_distance (given the same directions); prints times
# and the ratios reference / Go (> 1: Go is faster). Data under
# build/bench/geometry.
bench-geometry: deps
	$(GO) build -tags '$(GOTAGS)' -o $(BIN)/geometry-bench ./bench/geometry
	$(BIN)/geometry-bench -n 1024 -points 10000 -d 128 -projections 500 -rounds 3 -dir $(CURDIR)/build/bench/geometry -python $(PY)
