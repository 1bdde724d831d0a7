# Two commands on a fresh machine: `make demo` and `make test`. Only Python 3.11+ is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The tests mostly wait on HTTP and the databases: four workers keep two cores busy.
TEST_WORKERS ?= 4

.PHONY: install test lint demo run migrate bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest -n $(TEST_WORKERS)

demo: $(STAMP)
	$(BIN)/python -m bot demo

run: $(STAMP)
	$(BIN)/python -m bot

migrate: $(STAMP)
	$(BIN)/python -m bot db upgrade

bench: $(STAMP)
	$(BIN)/python bench/requests.py
	$(BIN)/python bench/checkin_fanout.py
	$(BIN)/python bench/durability.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) *.egg-info
