# The two commands: `make run` and `make test`. Both install whatever is missing first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSTEM_STAMP := $(VENV)/.system-packages

export NAGRIK_DATA_DIR ?= var
# Keep third-party code off the network: no tracing, no telemetry, no hub downloads.
export ANONYMIZED_TELEMETRY := False
export ORT_DISABLE_TELEMETRY := 1
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
unexport LANGSMITH_TRACING
unexport LANGCHAIN_TRACING_V2

.PHONY: run test install lint typecheck pytest clean

run: install
	$(BIN)/nagrik db upgrade
	$(BIN)/nagrik db seed
	$(BIN)/nagrik kb add --sample
	$(BIN)/nagrik serve

test: install lint typecheck pytest

install: $(STAMP) $(SYSTEM_STAMP)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# torch first, so that pip takes the CPU build on disk (DESIGN.md); the lock file pins the rest.
$(STAMP): $(VENV)/bin/python pyproject.toml requirements.lock
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -c requirements.lock -e '.[dev]'
	touch $(STAMP)

$(SYSTEM_STAMP): scripts/install-system-packages.sh
	bash scripts/install-system-packages.sh
	touch $(SYSTEM_STAMP)

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
