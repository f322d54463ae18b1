# Weight adapters and model merging (native/lowrank, native/orthogonal,
# native/merge, the adapter hooks of native/nn): benchmark against numpy and
# torch in the same job. The Go tests (numpy/torch comparisons, digits
# fine-tuning and merging) run in test-go.

BENCH_TARGETS += bench-adapters

.PHONY: bench-adapters

# Rank-16 randomized SVD of a 4096 x 4096 matrix against numpy's full SVD and
# torch.svd_lowrank (same oversampling and power iterations); TIES merge of
# two 100M-parameter float32 .safetensors files (400 MB each, generated once
# under build/bench/adapters) against a tensor-by-tensor numpy merge, each in
# its own process: wall time and peak RSS. Ratios > 1: ours faster / smaller.
# Several minutes, most of it in numpy's full SVD.
bench-adapters: deps
	$(GO) build -tags '$(GOTAGS)' -o $(BIN)/adapters-bench ./bench/adapters
	$(BIN)/adapters-bench -n 4096 -rank 16 -params 100000000 -reps 5 -dir $(CURDIR)/build/bench/adapters -python $(PY) -scripts bench/adapters
