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

.PHONY: setup data run test test-fast lint-imports ui bench seeds-kfold ablation ablation-baseline ablation-a ablation-b ablation-c ablation-d ablation-e clean

setup: $(STAMP)

$(STAMP): pyproject.toml .ci/constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -c .ci/constraints.txt -e '.[dev,spark]'
	@touch $(STAMP)

# Public data sets (SemEval-2016, NewsMTSC training files) into data/external/, sha256-checked:
# downloaded, or copied from $$STANCE_DATA_MIRROR (a folder laid out as <dataset>/<file>) offline.
data: setup
	$(BIN)/stance-data

run: setup
	@start=$$(date +%s); dvc repro && \
	  echo "pipeline finished in $$(( $$(date +%s) - start )) s" && \
	  $(BIN)/stance-report $(CURDIR)/experiments/comparison.json && \
	  echo && echo "Paired comparison on the same test sentences (experiments/comparison-paired.md):" && \
	  cat $(CURDIR)/experiments/comparison-paired.md

test: setup
	$(BIN)/python -m pytest

# The quick subset (no Spark, no transformer training, no whole-pipeline run): under 3 minutes.
test-fast: setup
	$(BIN)/python -m pytest -m "not slow"

# The layer contract in pyproject.toml: no module imports a layer above its own.
lint-imports: setup
	$(BIN)/lint-imports

# Open the printed link: it lands on the runs table in "Model training" mode, not the GenAI overview.
ui: setup
	@echo "MLflow UI: $$($(BIN)/stance-report --link --port $(PORT) $(CURDIR)/experiments/comparison.json 2>/dev/null || echo http://127.0.0.1:$(PORT))"
	$(BIN)/mlflow ui --backend-store-uri sqlite:///$(CURDIR)/experiments/mlflow.db \
	  --default-artifact-root file://$(CURDIR)/experiments/mlartifacts --host 127.0.0.1 --port $(PORT) --workers 1

# The five real seed articles alone (about 35 sentences with a stance, too few for a held-out
# split): grouped k-fold, `cv/` means and spreads, in its own experiment `stance-seeds`.
seeds-kfold: setup
	$(BIN)/stance-prepare data=seeds && $(BIN)/stance-label data=seeds && \
	  $(BIN)/stance-split data=seeds split=kfold && $(BIN)/stance-train data=seeds

bench: setup
	$(BIN)/python -m stance.tools.bench

# What lifts the transformer on real text (README "Real text"): each variant x 3 training seeds, the
# baselines, then the table (also logged to MLflow). About 2 hours on 2 CPU cores after `make run`
# (it reuses its splits); variants (b) and (c) need NewsMTSC (`make data`, or STANCE_DATA_MIRROR).
ABLATION := $(CURDIR)/experiments/ablation
comma := ,
SEEDS ?= 1,2,3
ablation: ablation-baseline ablation-a ablation-b ablation-c ablation-d ablation-e
	$(BIN)/python -m stance.tools.ablation $(ABLATION) --none-offset --log --tracking-uri sqlite:///$(CURDIR)/experiments/mlflow.db

# One transformer variant over $(SEEDS): $(call variant,<folder>,<short name>,<overrides>)
variant = $(BIN)/stance-train -m model=transformer seed=$(SEEDS) tracking=none model.progress=false $(3) \
	  'metrics_file=$(ABLATION)/$(1)/seed$${seed}.json' \
	  'headline_file=$(ABLATION)/headline/$(2)-$${seed}.json' 'plots_dir=$(ABLATION)/plots/$(2)/$${seed}'
# The baseline on one choice of training sources: $(call baseline,<folder>,<overrides>)
baseline = $(BIN)/stance-train model=logreg tracking=none $(2) 'metrics_file=$(ABLATION)/$(1)/seed42.json' \
	  'headline_file=$(ABLATION)/headline/$(1).json' 'plots_dir=$(ABLATION)/plots/$(1)'

ablation-baseline: setup  # TF-IDF + LR on each variant's data: its probabilities are averaged with the variant's
	$(call baseline,logreg,)
	$(call baseline,logreg-news-style,'data.train_sources=[synthetic$(comma)news_style]')
	$(call baseline,logreg-synthetic-only,'data.train_sources=[synthetic]')

ablation-a: setup  # (a) the first default: the synthetic articles only
	$(call variant,a-synthetic-only,a,'data.train_sources=[synthetic]')

ablation-d: setup  # (d) synthetic + the news-style articles (mostly NONE, written like real coverage), 6 epochs
	$(call variant,d-synthetic+news-style,d,'data.train_sources=[synthetic$(comma)news_style]' model.epochs=6)

ablation-e: setup  # (e) also the hard-case news articles (other writers, 20 new formats), 5 epochs: the default
	$(call variant,e-synthetic+news-style+news-hard,e,)

ablation-b: setup  # (b) one epoch on NewsMTSC first, then synthetic (sequential fine-tuning)
	$(BIN)/stance-data datasets=[newsmtsc]
	$(BIN)/stance-train experiment=newsmtsc_pretrain tracking=none export_dir=$(CURDIR)/experiments/pretrained/newsmtsc \
	  'metrics_file=$(ABLATION)/pretrain.json' 'headline_file=$(ABLATION)/headline/pretrain.json' \
	  'plots_dir=$(ABLATION)/plots/pretrain'
	$(call variant,b-newsmtsc-then-synthetic,b,model.pretrained=$(CURDIR)/experiments/pretrained/newsmtsc 'data.train_sources=[synthetic]')

ablation-c: setup  # (c) NewsMTSC and the written corpora in one model, NewsMTSC's mentions on a head of their own
	$(BIN)/stance-data datasets=[newsmtsc]
	$(call variant,c-joint-newsmtsc,c,experiment=joint_newsmtsc)

clean:
	rm -rf data/interim data/processed experiments/*
