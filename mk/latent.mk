# Latent-space communication (native/latent): orthogonal Procrustes fit
# (10,000 x 768 pairs) against scipy.linalg.orthogonal_procrustes, cosine
# relative representations (100,000 x 768 points, 1,000 anchors, float64
# and float32) against sklearn normalize(X) @ normalize(A).T, in the same
# job on the same data. k-means against sklearn is bench-cluster. About
# 3 GB of memory at the peak, 1.2 GB of .npy files under build/bench.
BENCH_TARGETS += bench-latent

.PHONY: bench-latent
bench-latent:
	$(GO) build -tags '$(GOTAGS)' -o $(BIN)/latent-bench ./bench/latent
	$(BIN)/latent-bench -reps 3 -dir $(CURDIR)/build/bench/latent -python $(PY)
