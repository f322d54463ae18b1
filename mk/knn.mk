# kNN engine, intrinsic dimension estimators, synthetic manifolds, BLAS backend
# (native/knn, native/intrinsic, native/synthetic, native/blas, bench/knn).

TEST_TARGETS  += test-knn-purego
BENCH_TARGETS += bench-knn

.PHONY: test-knn-purego bench-knn

# test-go runs these packages' tests with the openblas tag; this runs them
# again on gonum's pure Go BLAS (no tag), the fallback path.
test-knn-purego:
	$(GO) test -count=1 ./native/knn/ ./native/intrinsic/ ./native/blas/

# Exact kNN (n=20000, d=128, k=20, float64 and float32) against scikit-learn's
# brute-force NearestNeighbors, TwoNN and MLE (n=50000, d=128) against
# vectorised numpy, next to the GEMM peak of the same BLAS backend. Several
# minutes, most of it in the numpy reference.
bench-knn:
	$(GO) build -tags '$(GOTAGS)' -o $(BIN)/knn-bench ./bench/knn
	$(BIN)/knn-bench -reps 1 -dir $(CURDIR)/build/bench/knn -python $(PY)
