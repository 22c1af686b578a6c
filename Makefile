# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test fuzz bench bench-frontier bench-forecast bench-mediator bench-twins bench-room clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The demo's report draws charts: the core install and the `figures` extra (docs/install.md).
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[figures]'
	touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(STAMP)
	$(BIN)/accord demo

test: $(TEST_STAMP)
	bash tools/ensure-chromium.sh
	$(BIN)/python -m pytest -n 2 tests

# Property tests with fresh random seeds and more examples, to find new bugs (docs/testing.md);
# `make test` runs them derandomised, so its verdict never depends on the draw.
fuzz: $(TEST_STAMP)
	ACCORD_HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -n 2 -m hypothesis tests

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_analyze.py

bench-frontier: $(STAMP)
	$(BIN)/python benchmarks/bench_frontier.py
	$(BIN)/python benchmarks/bench_nonlinear.py

bench-forecast: $(STAMP)
	$(BIN)/python benchmarks/forecast_deu.py --workers 2

bench-mediator: $(STAMP)
	$(BIN)/python benchmarks/bench_mediator.py --workers 2

bench-twins: $(STAMP)
	$(BIN)/python benchmarks/twin_worlds.py --workers 2

# The room under load (docs/room.md, "Load"): open and closed loop, 1 and 2 processes,
# SQLite and PostgreSQL (a fresh database on 127.0.0.1:5432, dropped after), ~10 minutes.
bench-room: $(TEST_STAMP)
	$(BIN)/python benchmarks/load_room.py --mode open --seconds 30 --database both
	$(BIN)/python benchmarks/load_room.py --mode open --seconds 30 --database both --answer-every 0.5
	$(BIN)/python benchmarks/load_room.py --mode open --seconds 30 --database both --workers 2
	$(BIN)/python benchmarks/load_room.py --mode open --seconds 30 --database both --workers 2 --answer-every 0.5
	$(BIN)/python benchmarks/load_room.py --mode closed --seconds 20 --database both --rounds 1000
	$(BIN)/python benchmarks/load_room.py --mode closed --seconds 20 --database both --rounds 1000 --workers 2
	$(BIN)/python benchmarks/load_room.py --statements --database both
	$(BIN)/python benchmarks/room_cpu.py --database both

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
