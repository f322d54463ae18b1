# Feature transforms (native/transform): the power, quantile and KDE
# integral transforms against scikit-learn on the same 100,000 x 64 data,
# in the same run. Their Go tests (sklearn, scipy and mpmath references run
# in the same test) are part of test-go.
BENCH_TARGETS += bench-transform

.PHONY: bench-transform
bench-transform:
	$(GO) build -tags '$(GOTAGS)' -o $(BIN)/transform-bench ./bench/transform
	$(BIN)/transform-bench -reps 1 -rounds 2 -dir $(CURDIR)/build/bench/transform -python $(PY)
