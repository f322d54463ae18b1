# The main job: execute every example notebook headlessly with the installed
# kernel and write the executed notebooks and their HTML under build/examples.
#
#   make run-examples         executes examples/*.ipynb one after another
#                             (tests/examples/run_examples.py): fails on any
#                             error or stderr output, prints each notebook's
#                             run time and where the HTML exports are
#   make test-examples        the committed notebooks are stored with outputs
#                             cleared; each lesson (NN-name.ipynb) has its
#                             parts and ends with a cell of checks
#   make test-lessons-export  opens every exported lesson from a file:// URL
#                             in headless chromium, network blocked, and
#                             finds every chart drawn

EXAMPLES := $(sort $(wildcard examples/*.ipynb))
DEMO_TARGETS += run-examples
TEST_TARGETS += test-examples run-examples test-lessons-export

.PHONY: run-examples test-examples test-lessons-export
run-examples: install
	@mkdir -p build/examples
	$(JUPYTER_ENV) $(PY) tests/examples/run_examples.py --out build/examples $(EXAMPLES)

test-examples: deps
	$(PY) -m unittest -v tests/examples/test_examples.py

# npm-deps (mk/display.mk) installs playwright-core.
test-lessons-export: run-examples npm-deps
	@mkdir -p build/artifacts
	node tests/browser/lessons_export_test.js
