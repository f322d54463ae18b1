# kNN at every data shape and the intrinsic-dimension estimators on
# scikit-dimension's benchmark manifolds (bench/knnshapes).

BENCH_TARGETS += bench-knn-shapes

.PHONY: bench-knn-shapes

# kNN self search (K = 20) at n in {2500, 20000, 100000} x d in {3, 10, 20,
# 50, 128} against sklearn NearestNeighbors(algorithm='auto') and FAISS
# IndexFlatL2, then every estimator of native/intrinsic against an
# sklearn-based reference on the 24 benchmark manifolds (n = 2500), all in
# the same run; then the pure Go build (no OpenBLAS) on the shapes it is
# meant for (n <= 20000). About 10-15 minutes on 2 cores.
bench-knn-shapes:
	$(GO) build -tags '$(GOTAGS)' -o $(BIN)/knnshapes ./bench/knnshapes
	$(BIN)/knnshapes -reps 3 -dir $(CURDIR)/build/bench/knnshapes -python $(PY)
	$(GO) build -o $(BIN)/knnshapes-purego ./bench/knnshapes
	$(BIN)/knnshapes-purego -reps 2 -n 2500,20000 -dir $(CURDIR)/build/bench/knnshapes -python $(PY) \
	  -manifolds M1_Sphere,M4_Nonlinear,M7_Roll,M9_Affine,Mn1_Nonlinear
