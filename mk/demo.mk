# The main job: execute every example notebook headlessly with the installed
# kernel and write the executed notebooks and their HTML under build/examples.

EXAMPLES := $(sort $(wildcard examples/*.ipynb))
DEMO_TARGETS += run-examples
TEST_TARGETS += run-examples

.PHONY: run-examples
run-examples: install
	@mkdir -p build/examples
	@for nb in $(EXAMPLES); do \
	  echo "executing $$nb"; \
	  $(JUPYTER_ENV) $(PY) -m nbconvert --to html --execute \
	    --ExecutePreprocessor.kernel_name=subspace --ExecutePreprocessor.timeout=600 \
	    --output-dir build/examples "$$nb" || exit 1; \
	done
	@echo "executed notebooks as HTML: $$(ls build/examples/*.html | tr '\n' ' ')"
