# kernel/cell/check: the type checking of every cell before it runs.
# bench-check measures the check of a 100-line cell, with the check of a
# one-line cell in the same run as the reference.
BENCH_TARGETS += bench-check

.PHONY: bench-check
bench-check:
	$(GO) test -tags '$(GOTAGS)' -run '^$$' -bench BenchmarkCheck100 -benchtime 200x ./kernel/cell/check/
