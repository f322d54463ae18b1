# kNN at every data shape and the intrinsic-dimension estimators on
# scikit-dimension's benchmark manifolds (bench/knnshapes).

BENCH_TARGETS += bench-knn-shapes

.PHONY: bench-knn-shapes

# kNN self search (K = 20) at n in {2500, 20000, 100000} x d in {3, 10, 20,
# 50, 128} against sklearn NearestNeighbors(algorithm='auto') and FAISS
# IndexFlatL2 (at n = 100000 the references answer 10000 queries, times
# scaled), then every estimator of native/intrinsic against an
# sklearn-based reference on the 24 benchmark manifolds (n = 2500), all in
# the same run; then the pure Go build (no OpenBLAS) on small shapes. About
# 12 minutes at a load average of 3-8 (32 at 6-27).
bench-knn-shapes:
	$(GO) build -tags '$(GOTAGS)' -o $(BIN)/knnshapes ./bench/knnshapes
	$(BIN)/knnshapes -reps 2 -dir $(CURDIR)/build/bench/knnshapes -python $(PY)
	$(GO) build -o $(BIN)/knnshapes-purego ./bench/knnshapes
	$(BIN)/knnshapes-purego -reps 2 -n 2500,20000 -d 3,10,128 -dir $(CURDIR)/build/bench/knnshapes -python $(PY) \
	  -manifolds M1_Sphere,M7_Roll,Mn1_Nonlinear
