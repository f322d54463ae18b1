# Data and models (native/dataset, native/dataset/digits, native/nn):
# benchmarks against numpy and scikit-learn in the same job. The Go tests
# (numpy/sklearn interop, fuzz seed corpora, digits accuracy, d_int90 sweep)
# run in test-go.

BENCH_TARGETS += bench-data

.PHONY: bench-data

# Reads a 100,000 x 768 float32 table from .npy and .safetensors (mmap)
# against np.load / np.fromfile (ratio numpy/Go, > 1: Go faster), MLP
# training throughput against sklearn's MLPClassifier, and a d_int90 sweep.
# Files are generated under build/bench-data.
bench-data: deps
	$(GO) build -tags '$(GOTAGS)' -o $(BIN)/data-bench ./bench/data
	$(BIN)/data-bench -n 100000 -d 768 -reps 5 -dir build/bench-data -python $(PY) -scripts bench/data

.PHONY: fuzz-data
# Runs the .npy and safetensors fuzzers for FUZZTIME each (the committed seed
# corpora in native/dataset/testdata/fuzz run in every `go test`).
FUZZTIME ?= 30s
fuzz-data:
	$(GO) test -run '^$$' -fuzz '^FuzzNPY$$' -fuzztime $(FUZZTIME) ./native/dataset/
	$(GO) test -run '^$$' -fuzz '^FuzzSafetensors$$' -fuzztime $(FUZZTIME) ./native/dataset/
