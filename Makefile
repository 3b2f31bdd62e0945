# The README's words: make demo, make test, make lab, make bench.
PY := .venv/bin/python
STAMP := .venv/.installed

.PHONY: demo test lint lab bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@# bytecode for the library, also where PYTHONDONTWRITEBYTECODE is set (every run imports it)
	$(PY) -m compileall -q lib
	@touch $(STAMP)

## demo: synthesise a county and run every vetted model on the embedded DuckDB
demo: $(STAMP)
	.venv/bin/huiyan synth --scale county --seed 7
	.venv/bin/huiyan validate
	.venv/bin/huiyan run --all

## test: lint, type-check and run the whole test suite
test: $(STAMP) lint
	$(PY) -m pytest -n 2 --dist loadgroup --doctest-modules --ignore=tests/data tests benchmarks/tests lib/huiyan

lint: $(STAMP)
	.venv/bin/ruff check lib tests benchmarks
	.venv/bin/ruff format --check lib tests benchmarks
	.venv/bin/mypy

## lab: JupyterLab on the workspace with the project's kernel
lab: $(STAMP)
	.venv/bin/huiyan lab

## bench: province-scale benchmarks, written to benchmarks/RESULTS.md
bench: $(STAMP)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf .venv runs/*/ datasets/huiyan.duckdb
