# Two commands on a fresh machine:  make lab   (open the report in JupyterLab)
#                                   make test  (the whole suite, notebooks included)
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup test test-fast test-rounding lab bench lint clean notebooks report sweep

# Compiled modules are kept in __pycache__ (git-ignored) even where the environment says
# otherwise: every pytest worker, notebook kernel and sweep worker would compile labnn and
# re-write the tests' asserts again (seconds of every test run).
unexport PYTHONDONTWRITEBYTECODE

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

lint: $(STAMP)
	$(PY) -m ruff check .

# Strict nbval: every notebook is re-executed and its stored text compared (sanitize rules in
# tests/nbval_sanitize.cfg).
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
# pytest-xdist: one worker per core. A notebook's cells run in order in one kernel, so each
# worker takes whole files (loadfile), in the order given: the notebooks, the long ones, first,
# then the many short unit-test files fill the gaps (no reordering by test count).
WORKERS  ?= auto
PARALLEL := -n $(WORKERS) --dist loadfile --no-loadscope-reorder

test: $(STAMP) lint
	$(PY) -m pytest notebooks tests $(NBVAL) -m "not rounding" $(PARALLEL)

# The stored report against rounding: every notebook re-executed with each initial weight nudged
# by one ulp must print the same text (what another CPU may change is marked ~). CI runs it.
test-rounding: $(STAMP)
	$(PY) -m pytest tests/test_notebook_sensitivity.py -m rounding -n $(WORKERS)

# The quick loop while editing: every test not marked slow, no notebooks.
test-fast: $(STAMP)
	$(PY) -m pytest tests -m "not slow" -n $(WORKERS) -p no:nbval

# Hostile calls of the library (scripts/hostile_sweep.py), each in its own process with a time
# and a memory limit: the counts ok / weak / bug (about a minute and a half).
sweep: $(STAMP)
	$(PY) scripts/hostile_sweep.py

# Regenerate every notebook's stored outputs (byte-identical from run to run).
notebooks: $(STAMP)
	$(PY) scripts/run_notebooks.py

# The whole report: build/report.html (one offline page) and build/report.pdf (A4, the same page
# printed by the headless Debian chromium that test-browser uses; if it is missing, the script
# stops after the HTML and says how to install it).
report: $(STAMP)
	LABNN_CHROMIUM=$(CHROMIUM) $(PY) scripts/build_report.py

# JupyterLab refuses to start as root unless told --allow-root (containers often run as
# root); LAB_UID=0 / LAB_UID=1000 on the command line picks either branch for a test.
LAB_UID ?= $(shell id -u)
# The kernel's websocket without Nagle's delay (labnn/explorer/jupyter.py says why).
NODELAY := --ServerApp.kernel_websocket_connection_class=labnn.explorer.jupyter.NoDelayConnection
lab: $(STAMP)
	$(VENV)/bin/jupyter lab $(if $(filter 0,$(LAB_UID)),--allow-root )$(NODELAY) notebooks/

bench: $(STAMP)
	$(PY) benchmarks/bench_fit.py
	$(PY) benchmarks/bench_stack.py
	$(PY) benchmarks/bench_conv.py
	$(PY) benchmarks/bench_widgets.py

clean:
	rm -rf build .pytest_cache

# The playground notebook in a real JupyterLab in headless Chromium (Debian's chromium, driven
# by the Python playwright package; never `playwright install`). Screenshots: build/browser/.
CHROMIUM ?= /usr/bin/chromium
.PHONY: test-browser
test-browser: $(STAMP)
	@test -x $(CHROMIUM) || { echo "installing Debian's chromium"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }
	LABNN_BROWSER=1 LABNN_CHROMIUM=$(CHROMIUM) $(PY) -m pytest tests/browser -v -s
