# kernel/complete: completion and inspection for Go cells.
#
# complete-docs regenerates the embedded documentation index (standard
# library packages of yaegi's stdlib.Symbols, gonum, go-echarts, and this
# module's ./native/... and ./display/... packages). Its Go tests run in
# test-go; TestDocIndexUpToDate fails when the index is stale for the fixed
# packages.
.PHONY: complete-docs
complete-docs:
	$(GO) generate ./kernel/complete/
