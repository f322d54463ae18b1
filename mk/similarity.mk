# Representation similarity (native/similarity): benchmark of linear CKA
# against numpy in the same job. The Go tests (including the comparisons
# with numpy/scipy/sklearn) run in test-go.

BENCH_TARGETS += bench-similarity

.PHONY: bench-similarity

# Linear CKA on two 10,000 x 768 matrices, float64 and float32, Go vs numpy
# feature form; prints times and the ratio numpy/Go (> 1: Go is faster).
# The second run gives the columns large means, so Go takes its centring path.
bench-similarity: deps
	$(GO) build -tags '$(GOTAGS)' -o $(BIN)/similarity-bench ./bench/similarity
	$(BIN)/similarity-bench -n 10000 -d 768 -reps 8 -python $(PY) -script bench/similarity/cka_numpy.py
	$(BIN)/similarity-bench -n 10000 -d 768 -reps 3 -offset 1000 -python $(PY) -script bench/similarity/cka_numpy.py
