# density, dependence, subspace (native/density, native/dependence,
# native/subspace). Their Go tests (including the comparisons with scipy and
# scikit-learn run in the same test) are part of test-go; this fragment adds
# the KDE benchmark against scikit-learn and scipy.
BENCH_TARGETS += bench-density

.PHONY: bench-density
bench-density:
	$(GO) run -tags '$(GOTAGS)' ./bench/density
