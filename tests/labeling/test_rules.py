"""The rule labeller: configured from YAML, votes, abstains, and is measured against gold."""

import pandas as pd
from hydra import compose, initialize_config_dir
from hydra.utils import instantiate

from stance import config
from stance.labeling.quality import rules_quality


def labeler():
    with initialize_config_dir(config.CONFIG_DIR, version_base="1.3"):
        cfg = compose("rules_report", overrides=["labeling=rules", "tracking=none"])
    return instantiate(config.plain(cfg.labeling.rules))


def test_rules_label_clear_cases_and_abstain_when_unsure():
    rules = labeler()
    cases = {
        ("Russia voiced support for Maduro.", "maduro"): "FAVOR",
        ("Pompeo called for abandoning support for Maduro.", "maduro"): "AGAINST",
        ("Washington imposed new sanctions on the Maduro regime.", "maduro"): "AGAINST",
        ("The self-proclaimed president Guaidó spoke in Caracas.", "guaido"): "AGAINST",
        ("Canada recognized Guaidó as interim president.", "guaido"): "FAVOR",
        ("Oil exports fell sharply in March.", "maduro"): "NONE",
        ("Maduro spoke on television for two hours.", "maduro"): None,
    }
    got = {key: rules.label_one(*key) for key in cases}
    assert got == cases


def test_quality_table_counts_precision_and_coverage():
    gold = pd.DataFrame({"target": ["maduro"] * 4, "label": ["FAVOR", "FAVOR", "NONE", "AGAINST"]})
    table = rules_quality(gold, ["FAVOR", None, "FAVOR", "AGAINST"]).set_index("class")
    assert table.loc["FAVOR", "precision"] == 0.5
    assert table.loc["FAVOR", "recall"] == 0.5
    assert table.loc["all", "coverage"] == 0.75
    assert table.loc["AGAINST", "precision"] == 1.0
