# kNN engine, intrinsic dimension estimators, synthetic manifolds, BLAS backend.

TEST_TARGETS  += test-knn-purego
BENCH_TARGETS += bench-knn

.PHONY: test-knn-purego bench-knn

# The Go tests run with the openblas tag in test-go; this runs the kNN and
# intrinsic dimension tests again on gonum's pure Go BLAS.
test-knn-purego:
	CGO_LDFLAGS= $(GO) test -count=1 ./native/knn/ ./native/intrinsic/ ./native/blas/
