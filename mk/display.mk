# Rich display, echarts charts and the notebook extensions (display/,
# display/chart/, kernelspec/kernel.js, jupyterlab/, tests/browser/).
#
#   make display-assets   copy echarts from node_modules (npm ci) into
#                         display/chart/assets and regenerate kernelspec/kernel.js
#   make labextension     rebuild the JupyterLab extension (jupyterlab/labextension)
#                         with @jupyterlab/builder from npm
#   (`subspace install`, hence `make install`, installs the committed build.)
#   make test-browser     classic notebook + nbconvert export + JupyterLab
#                         extension harness in headless chromium

APT_PACKAGES += chromium chromium-driver nodejs

# `make notebook` runs jupyter-notebook with these flags: it refuses to run
# as root without --allow-root (containers, CI machines).
NOTEBOOK_FLAGS += $(if $(filter 0,$(shell id -u)),--allow-root)
TEST_TARGETS += test-browser

NPM_STAMP := node_modules/.package-lock.json

.PHONY: display-assets test-browser npm-deps labextension

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

npm-deps: $(NPM_STAMP)

display-assets: $(NPM_STAMP)
	cp node_modules/echarts/dist/echarts.min.js display/chart/assets/echarts.min.js
	cp node_modules/echarts/LICENSE display/chart/assets/LICENSE-echarts
	cp node_modules/echarts/NOTICE display/chart/assets/NOTICE-echarts
	cp node_modules/echarts-gl/dist/echarts-gl.min.js display/chart/assets/echarts-gl.min.js
	cp node_modules/echarts-gl/dist/echarts-gl.min.js.LICENSE.txt display/chart/assets/echarts-gl.min.js.LICENSE.txt
	cp node_modules/echarts-gl/LICENSE display/chart/assets/LICENSE-echarts-gl
	$(GO) run ./display/chart/internal/genkerneljs kernelspec/kernel.js

# The browser test needs the kernel installed in the build-local Jupyter
# dirs (make install), playwright-core from npm ci, and Debian's chromium.
test-browser: install $(NPM_STAMP)
	@mkdir -p build/artifacts build/browser
	$(JUPYTER_ENV) PY=$(PY) node tests/browser/notebook_test.js
	node tests/browser/labextension_test.js

# The built extension is committed (the binary embeds it); this rebuilds it.
labextension:
	cd jupyterlab && npm ci --no-audit --no-fund && npx build-labextension --core-path core .
