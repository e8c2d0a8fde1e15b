"""Structured configs of the commands themselves (one primary config each): their own keys are
typed here, the groups they compose are typed by config/schemas.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from omegaconf import MISSING

from stance.config.schemas import Backend, choices

InputFormat = choices("InputFormat", "auto", "articles", "sentences")


# --- stance-predict -------------------------------------------------------------------------------------------------------------------------------------------------
@dataclass
class SummaryRuleConf:
    min_stance_sentences: int = 1
    dominance: float = 2.0


@dataclass
class PredictPathsConf:
    root_dir: str = MISSING
    experiments_dir: str = MISSING


@dataclass
class RegistryConf:
    tracking_uri: Optional[str] = None


@dataclass
class PredictConf:
    model: str = "models:/stance@champion"
    input: Any = None
    output: Optional[str] = None
    input_format: InputFormat = InputFormat["auto"]
    chunk_size: int = 2048
    backend: Backend = Backend["auto"]
    num_threads: Optional[int] = None
    engine: Any = MISSING
    summary: Optional[str] = None
    summary_rule: SummaryRuleConf = field(default_factory=SummaryRuleConf)
    quiet: bool = False
    furniture: Optional[str] = None  # a furniture pattern file; null: the packaged data/furniture.yaml
    furniture_repeats: int = 0  # >= 2: lines on that many pages of one input folder are furniture
    paths: PredictPathsConf = field(default_factory=PredictPathsConf)
    tracking: RegistryConf = field(default_factory=RegistryConf)


# --- primary configs: one per command (groups are typed by their own schemas above) ----------
@dataclass
class CommonConf:
    paths: Any = MISSING
    data: Any = MISSING
    output: Any = None


@dataclass
class PrepareConf(CommonConf):
    furniture: Optional[str] = None  # a furniture pattern file; null: the packaged data/furniture.yaml
    furniture_repeats: int = 0  # >= 2: lines on that many pages of one source are furniture (opt-in)


@dataclass
class LabelConf(CommonConf):
    labeling: Any = MISSING


@dataclass
class SplitConf(CommonConf):
    split: Any = MISSING


@dataclass
class TrainConf(CommonConf):
    model: Any = MISSING
    split: Any = MISSING  # splits an external data set (data.loader); our corpus comes split by stance-split
    trainer: Any = MISSING
    tracking: Any = MISSING
    seed: int = 42
    input: str = MISSING
    export_dir: Optional[str] = None  # also write the model as a local MLflow model directory
    metrics_file: str = MISSING
    headline_file: str = MISSING  # a dozen numbers for dvc metrics show/diff
    plots_dir: str = MISSING
    checkpoint_dir: str = MISSING  # transformer training saves its state here after every epoch
    resume: bool = False  # continue from the last checkpoint of the same training
    optimized_metric: Optional[str] = None  # what a sweep's trials return (hparams_search=*_optuna)
    limit_articles: Optional[int] = None  # train and score on the first N articles of each split (debug=fast)


@dataclass
class EvaluateConf(CommonConf):
    tracking: Any = MISSING
    models: List[str] = field(default_factory=lambda: ["logreg", "transformer"])


@dataclass
class RulesReportConf(CommonConf):
    labeling: Any = MISSING
    tracking: Any = MISSING
    table_output: str = MISSING




@dataclass
class FetchSourceConf:
    base_url: str = MISSING
    files: Dict[str, str] = MISSING  # file name -> sha256


@dataclass
class FetchConf(CommonConf):
    dest: str = MISSING
    mirror: Optional[str] = None  # STANCE_DATA_MIRROR: copy from DIR/<dataset>/<file>, no download
    datasets: List[str] = MISSING
    sources: Dict[str, FetchSourceConf] = MISSING


@dataclass
class CompareConf(CommonConf):
    tracking: Any = MISSING
    a: str = MISSING  # run id, run name, model URI or stance-train metrics file
    b: str = MISSING
    splits: List[str] = MISSING
    metrics: List[str] = MISSING  # of f_avg, f_avg_pooled, macro_f1_pooled, accuracy_pooled
    n_boot: int = 2000
    seed: int = 0
    output: str = MISSING


PRIMARY_SCHEMAS = {"fetch": FetchConf, "compare": CompareConf, "prepare": PrepareConf, "label": LabelConf, "split": SplitConf, "train": TrainConf,
                   "evaluate": EvaluateConf, "rules_report": RulesReportConf, "predict": PredictConf}
