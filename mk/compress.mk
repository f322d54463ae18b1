# Compression and approximate search (native/compress, native/ann,
# bench/compress): exact float32 kNN against FAISS IndexFlatL2, HNSW build
# and queries per second at recall@10 0.95 against hnswlib, PQ training and
# search against FAISS IndexPQ, binary Hamming search against
# IndexBinaryFlat, in the same job on the same data. One thread on both
# sides: FAISS's OpenMP threads spin when the machine is shared and their
# times then say more about the load than about FAISS; run the binary with
# -threads 0 for all cores. About 5 minutes.
BENCH_TARGETS += bench-compress

.PHONY: bench-compress
bench-compress:
	$(GO) build -tags '$(GOTAGS)' -o $(BIN)/compress-bench ./bench/compress
	OPENBLAS_NUM_THREADS=1 $(BIN)/compress-bench -threads 1 -dir $(CURDIR)/build/bench/compress -python $(PY)

# Recall@10, memory a vector and queries per second of every method on
# 100,000 GloVe words (1,000 held-out queries, cosine), all cores; a table,
# not a speed comparison, so not part of make bench. A few minutes.
.PHONY: compress-glove
compress-glove: data
	$(GO) build -tags '$(GOTAGS)' -o $(BIN)/compress-bench ./bench/compress
	$(BIN)/compress-bench -glove 100000
