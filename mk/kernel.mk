# Jupyter kernel server: conformance (jupyter_kernel_test), robustness, faults
# (hostile bytes on every socket, on both transports) and
# notebook tests against the kernelspec installed into build/jupyter, and the
# startup / round-trip benchmark against ipykernel.

TEST_TARGETS  += test-jupyter
BENCH_TARGETS += bench-kernel
APT_PACKAGES  += python3-zmq python3-jsonschema libzmq3-dev pkg-config

.PHONY: test-jupyter bench-kernel

test-jupyter: install
	cd tests/jupyter && $(JUPYTER_ENV) $(PY) -m unittest -v test_conformance test_robustness test_notebook test_faults test_mistakes

bench-kernel: install
	$(JUPYTER_ENV) $(PY) bench/kernel/bench_kernel.py
