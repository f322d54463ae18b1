# subspace: a Go Jupyter kernel for representation geometry.
#
#   make demo   install what is needed, build, install the kernelspec, run the example notebooks
#   make test   run every test (Go unit tests, fuzz seeds, Jupyter conformance, notebooks, browser)
#   make bench  benchmarks against references measured in the same run
#
# Each part of the project adds its own targets in mk/*.mk and appends them to
# TEST_TARGETS, BENCH_TARGETS, DEMO_TARGETS and APT_PACKAGES.

SHELL        := /bin/bash
GO           ?= go
PY           := /usr/bin/python3
BIN          := $(CURDIR)/bin
SUBSPACE     := $(BIN)/subspace
# Jupyter data (kernelspecs) and runtime files stay inside the build tree so
# that tests never touch the user's own setup.
JUPYTER_ENV  := JUPYTER_DATA_DIR=$(CURDIR)/build/jupyter JUPYTER_RUNTIME_DIR=$(CURDIR)/build/runtime JUPYTER_CONFIG_DIR=$(CURDIR)/build/config JUPYTER_PLATFORM_DIRS=1 IPYTHONDIR=$(CURDIR)/build/ipython

# OpenBLAS through gonum's cgo bindings when libopenblas is installed (deps
# installs it); the pure Go BLAS otherwise.
HAVE_OPENBLAS = $(shell test -e /usr/lib/x86_64-linux-gnu/libopenblas.so -o -e /usr/lib/libopenblas.so && echo yes)
OPENBLAS     := $(HAVE_OPENBLAS)
# make expands this before any recipe runs, so on a fresh machine deps must
# install the Debian packages first: otherwise the first build would pick the
# pure Go BLAS. One nested `make deps` does it, then OpenBLAS is looked up again.
ifneq ($(OPENBLAS),yes)
ifeq ($(filter clean deps fmt,$(MAKECMDGOALS)),)
ifeq ($(MAKELEVEL),0)
$(info installing the Debian packages before choosing the BLAS)
DEPS_FIRST   := $(shell $(MAKE) --no-print-directory deps >&2)
OPENBLAS     := $(HAVE_OPENBLAS)
endif
endif
endif
ifeq ($(OPENBLAS),yes)
GOTAGS       ?= openblas
export CGO_LDFLAGS := -lopenblas
endif
export CGO_ENABLED := 1

APT_PACKAGES := python3-jupyter-client python3-ipykernel python3-nbclient python3-nbconvert \
                python3-nbformat python3-jupyter-kernel-test python3-numpy python3-scipy \
                python3-sklearn jupyter-notebook jupyter-console libopenblas-dev gcc \
                python3-faiss python3-hnswlib python3-pot python3-torch
TEST_TARGETS  :=
BENCH_TARGETS :=
DEMO_TARGETS  :=

.PHONY: all build deps install demo test test-go bench notebook fmt vet clean
all: build

include $(sort $(wildcard mk/*.mk))

# deps installs the Debian packages the build and tests need. It is quiet and
# quick when they are all present, and runs apt-get update only when not.
deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:" $$missing; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

build: deps
	$(GO) build -tags '$(GOTAGS)' -o $(SUBSPACE) ./cmd/subspace

install: build
	$(JUPYTER_ENV) $(SUBSPACE) install --user

test-go: deps data
	$(GO) mod tidy -diff
	$(GO) vet -tags '$(GOTAGS)' ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) test -tags '$(GOTAGS)' -count=1 ./...

test: test-go $(TEST_TARGETS)

bench: build $(BENCH_TARGETS)

demo: install $(DEMO_TARGETS)

notebook: install
	$(JUPYTER_ENV) jupyter-notebook $(NOTEBOOK_FLAGS) --no-browser --ip=127.0.0.1 --notebook-dir=$(CURDIR)/examples

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin build
