# Representation similarity (native/similarity): benchmark of linear CKA
# against numpy in the same job. The Go tests (including the comparisons
# with numpy/scipy/sklearn) run in test-go.

BENCH_TARGETS += bench-similarity

.PHONY: bench-similarity

# Linear CKA on two 10,000 x 768 matrices, float64 and float32, Go vs numpy
# feature form; prints times and the ratio numpy/Go (> 1: Go is faster).
bench-similarity: deps
	$(GO) run -tags '$(GOTAGS)' ./bench/similarity -n 10000 -d 768 -reps 5 -python $(PY) -script bench/similarity/cka_numpy.py
