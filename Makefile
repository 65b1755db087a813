# Two commands: `make lab` (set up and open the notebooks) and `make test` (set up and check everything).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install lab test unit notebooks browser book bench clean

$(STAMP): pyproject.toml requirements-lock.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements-lock.txt
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name mi-ident --display-name "Python (mi-ident)" >/dev/null
	touch $(STAMP)

install: $(STAMP)

# JupyterLab refuses to start as root (containers, some cloud machines) unless told it may.
lab: install
	$(VENV)/bin/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/

unit: install
	$(PY) -m pytest --doctest-modules mi_ident tests --ignore=tests/browser

notebooks: install
	$(PY) -m pytest --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider notebooks/

browser: install
	$(PY) -m pytest tests/browser

test: unit notebooks browser

book: install
	$(PY) scripts/build_book.py notebooks build/book

bench: install
	$(PY) benchmarks/train_bench.py
	$(PY) benchmarks/circuit_bench.py
	$(PY) benchmarks/interpretation_bench.py
	$(PY) benchmarks/alignment_bench.py

clean:
	rm -rf build .pytest_cache
