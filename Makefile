# Depeche: every target sets up its own virtual environment first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
DB     ?= data/depeche.duckdb
SHARED ?= ../shared

.PHONY: setup demo test eval gate bench lint clean

$(BIN)/depeche: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH (or make PYTHON=python3)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

setup: $(BIN)/depeche ## virtual environment with Depeche and its pinned dependencies

demo: setup ## ingest data/samples into $(DB) with the Prefect flow, then print a summary
	$(BIN)/depeche run data/samples --db $(DB)

test: setup ## the whole test suite and the quality gate (what CI runs)
	$(BIN)/python -m pytest
	$(BIN)/python -m bench.evaluate --shared $(SHARED) --gate .ci/quality_floors.toml

eval: setup ## scorer table on the shared gold, stock-spaCy baseline, peer suite
	$(BIN)/python -m bench.evaluate --shared $(SHARED)

gate: setup ## fail when a quality figure drops below its floor in .ci/quality_floors.toml
	$(BIN)/python -m bench.evaluate --shared $(SHARED) --gate .ci/quality_floors.toml

bench: setup ## throughput against bare spaCy, scaling and memory
	$(BIN)/python -m bench.throughput --shared $(SHARED)

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) $(DB) $(DB).wal .pytest_cache
