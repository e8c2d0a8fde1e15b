# Quickstart: `make run` (whole pipeline on the seed data) and `make test`.
# Both create .venv and install the pinned stack on first use (.ci/constraints.txt pins it).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 5000

export PATH := $(BIN):$(PATH)
export MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR := false
# Nothing is fetched from a model hub at run time: weights come from installed packages.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_DATASETS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: setup run test test-fast lint-imports ui bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml .ci/constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -c .ci/constraints.txt -e '.[dev,spark]'
	@touch $(STAMP)

run: setup
	@start=$$(date +%s); dvc repro && \
	  echo "pipeline finished in $$(( $$(date +%s) - start )) s" && \
	  $(BIN)/stance-report $(CURDIR)/experiments/comparison.json

test: setup
	$(BIN)/python -m pytest

# The quick subset (no Spark, no transformer training, no whole-pipeline run): under 3 minutes.
test-fast: setup
	$(BIN)/python -m pytest -m "not slow"

# The layer contract in pyproject.toml: no module imports a layer above its own.
lint-imports: setup
	$(BIN)/lint-imports

ui: setup
	$(BIN)/mlflow ui --backend-store-uri sqlite:///$(CURDIR)/experiments/mlflow.db \
	  --default-artifact-root file://$(CURDIR)/experiments/mlartifacts --host 127.0.0.1 --port $(PORT) --workers 1

bench: setup
	$(BIN)/python -m stance.tools.bench

clean:
	rm -rf data/interim data/processed experiments/*
