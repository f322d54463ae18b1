# kernel/cell: the cell engine (a yaegi session running planned, rewritten cells). Its Go
# tests run in test-go; bench-cell measures the pipeline's overhead per cell
# against bare yaegi evaluation of the same code in the same run, and the
# price of redeclarable methods (calls through a function variable).
BENCH_TARGETS += bench-cell

.PHONY: bench-cell
bench-cell:
	$(GO) test -tags '$(GOTAGS)' -run '^$$' -bench BenchmarkCellOverhead -benchtime 2000x ./kernel/cell/
	$(GO) test -tags '$(GOTAGS)' -run '^$$' -bench BenchmarkMethodCall -benchtime 100x ./kernel/cell/
