# plugins: built-in symbol tables, .so plugins, `subspace plugin`.
#
#   make generate        regenerate plugins/symbols (yaegi symbol tables of gonum,
#                        go-echarts and every package under native/ and display/)
#   make check-generate  regenerate the tables of this module's packages in memory
#                        and compare them byte for byte with plugins/symbols
#   make bench-plugins   interpreted cells vs the same code through a plugin

.PHONY: generate check-generate test-plugins-kernel test-plugins-nocgo bench-plugins

# generate regenerates everything derived from the sources' APIs: the yaegi
# symbol tables and the completion doc index.
generate:
	$(GO) generate ./plugins/...
	$(GO) generate ./kernel/complete/

check-generate:
	SUBSPACE_FULL_SYMBOL_CHECK=1 $(GO) test -tags '$(GOTAGS)' -count=1 -run TestSymbolsUpToDate ./plugins/

# A plugin built and loaded into bin/subspace over ZeroMQ by jupyter_client,
# a mismatched plugin refused, and the kernel's state surviving.
TEST_TARGETS += test-plugins-kernel
test-plugins-kernel: install
	$(JUPYTER_ENV) GO='$(GO)' GOTAGS='$(GOTAGS)' $(PY) tests/plugins/test_kernel_plugins.py

# A kernel built without cgo: built-in packages work, %plugin load explains.
TEST_TARGETS += test-plugins-nocgo
test-plugins-nocgo:
	CGO_ENABLED=0 $(GO) test -count=1 -run TestUnsupported ./plugins/ ./plugins/pluginmagic/

BENCH_TARGETS += bench-plugins
bench-plugins:
	$(GO) run -tags '$(GOTAGS)' ./bench/plugins
