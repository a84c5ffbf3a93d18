PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[all]'
	@touch $(STAMP)

run: install
	$(BIN)/aduan migrate
	$(BIN)/aduan chat

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy complaints/ bot/ nlu/ storage/ scheduler/ aduan/ tests/fakes/uow.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache

bench: install
	@set -e; for script in benchmarks/*.py; do echo "== $$script" >&2; $(BIN)/python $$script; done
