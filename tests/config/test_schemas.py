"""Structured configs: a misspelt or mistyped key in any YAML group fails at composition, before
any work, naming the key's full path; groups that choose code name it in `_target_`."""

import shutil
from pathlib import Path

import pytest
import yaml
from hydra import compose, initialize_config_dir
from hydra.errors import ConfigCompositionException
from omegaconf.errors import OmegaConfBaseException

from stance import config

# Every YAML group file -> (the command whose config composes it, overrides that select it, the
# key path the group's keys live under).
GROUP_FILES = {
    "paths/default.yaml": ("train", [], "paths"),
    "data/synthetic.yaml": ("train", [], "data"),
    "data/seeds.yaml": ("train", ["data=seeds"], "data"),
    "data/semeval2016.yaml": ("train", ["data=semeval2016"], "data"),
    "data/newsmtsc.yaml": ("train", ["data=newsmtsc"], "data"),
    "data/table.yaml": ("train", ["data=table"], "data"),
    "labeling/gold.yaml": ("label", [], "labeling"),
    "labeling/rules.yaml": ("label", ["labeling=rules"], "labeling"),
    "labeling/gold+rules.yaml": ("label", ["labeling=gold+rules"], "labeling"),
    "rules/news.yaml": ("rules_report", [], "labeling.rules"),
    "split/holdout.yaml": ("split", [], "split"),
    "split/kfold.yaml": ("split", ["split=kfold"], "split"),
    "split/validation.yaml": ("split", ["split=validation"], "split"),
    "model/logreg.yaml": ("train", [], "model"),
    "model/transformer.yaml": ("train", ["model=transformer"], "model"),
    "model/ensemble.yaml": ("train", ["model=ensemble"], "model"),
    "trainer/cpu.yaml": ("train", [], "trainer"),
    "trainer/gpu.yaml": ("train", ["trainer=gpu"], "trainer"),
    "tracking/mlflow.yaml": ("train", [], "tracking"),
    "tracking/none.yaml": ("train", ["tracking=none"], "tracking"),
    "experiment/transformer_pair.yaml": ("train", ["experiment=transformer_pair"], ""),
    "experiment/transformer_gpu.yaml": ("train", ["experiment=transformer_gpu"], ""),
    "experiment/logreg_per_target.yaml": ("train", ["experiment=logreg_per_target"], ""),
    **{f"experiment/{name}.yaml": ("train", [f"experiment={name}"], "")
       for name in ("semeval2016_logreg", "semeval2016_transformer", "newsmtsc_logreg", "newsmtsc_transformer",
                    "newsmtsc_pretrain", "logreg_word_only", "transformer_short", "joint_newsmtsc")},
    "hparams_search/logreg_optuna.yaml": ("train", ["hparams_search=logreg_optuna"], ""),
    "hparams_search/transformer_optuna.yaml": ("train", ["hparams_search=transformer_optuna"], ""),
    "debug/fast.yaml": ("train", ["debug=fast"], ""),
    "train.yaml": ("train", [], ""),
    "common.yaml": ("train", [], ""),
    "prepare.yaml": ("prepare", [], ""),
    "label.yaml": ("label", [], ""),
    "split.yaml": ("split", [], ""),
    "evaluate.yaml": ("evaluate", [], ""),
    "rules_report.yaml": ("rules_report", [], ""),
    "fetch.yaml": ("fetch", [], ""),
    "compare.yaml": ("compare", [], ""),
    "predict/predict.yaml": ("predict/predict", [], ""),
    "predict/engine/local.yaml": ("predict/predict", [], "engine"),
    "predict/engine/spark.yaml": ("predict/predict", ["engine=spark"], "engine"),
}
CONFIGS = Path(config.CONFIG_DIR)


def message(err) -> str:
    """The error and its causes, as Hydra prints them on the command line."""
    texts, exc = [], err.value
    while exc is not None:
        texts.append(str(exc))
        exc = exc.__cause__ or exc.__context__
    return "\n".join(texts)


def compose_from(configs: Path, command: str, overrides: list[str]):
    folder, _, name = command.rpartition("/")
    with initialize_config_dir(str(configs / folder), version_base="1.3"):
        return compose(name, overrides=overrides)


def test_every_yaml_file_is_covered():
    found = {str(p.relative_to(CONFIGS)) for p in CONFIGS.rglob("*.yaml") if "hydra" not in p.parts}
    assert found == set(GROUP_FILES)


@pytest.mark.parametrize("relpath", sorted(GROUP_FILES))
def test_a_misspelt_key_fails_with_its_full_path(relpath, tmp_path):
    command, overrides, node = GROUP_FILES[relpath]
    compose_from(CONFIGS, command, overrides)  # the shipped file composes
    configs = tmp_path / "configs"
    shutil.copytree(CONFIGS, configs)
    path = configs / relpath
    text = path.read_text()
    if relpath.startswith("experiment/"):  # a preset writes into other groups: misspell one of those
        group = "model" if "\nmodel:\n" in text else "data"
        path.write_text(text.replace(f"\n{group}:\n", f"\n{group}:\n  lrr: 0.1\n"))
        expected = f"{group}.lrr"
    else:
        path.write_text(text + "\nlrr: 0.1\n")
        expected = f"{node}.lrr" if node else "lrr"
    with pytest.raises((ConfigCompositionException, OmegaConfBaseException)) as err:
        compose_from(configs, command, overrides)
    assert f"full_key: {expected}" in message(err)


@pytest.mark.parametrize("command, override, key", [
    ("train", "model.C=strong", "model.C"),
    ("train", "model.target_mode=both", "model.target_mode"),
    ("train", "model=transformer model.input_mode=triple", "model.input_mode"),
    ("split", "split=kfold split.n_folds=many", "split.n_folds"),
    ("predict/predict", "backend=foo", "backend"),
    ("predict/predict", "input_format=xml", "input_format"),
])
def test_a_mistyped_value_fails_with_its_full_path(command, override, key):
    with pytest.raises((ConfigCompositionException, OmegaConfBaseException)) as err:
        compose_from(CONFIGS, command, override.split())
    assert f"full_key: {key}" in message(err)


@pytest.mark.parametrize("group", ["split", "labeling", "tracking", "model", "rules", "predict/engine"])
def test_groups_that_choose_code_name_it_in_target(group):
    for path in (CONFIGS / group).glob("*.yaml"):
        target = yaml.safe_load(path.read_text()).get("_target_", "")
        assert target.startswith("stance."), f"{path} names no _target_"
