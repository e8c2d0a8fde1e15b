"""Batch scoring: articles or sentences in, one row per (sentence, target) out.

    stance-predict [model=URI_OR_DIR] input=PATH output=PATH [input_format=auto|articles|sentences]
                   [backend=auto|torch|onnx|...] [engine=local|spark] [summary=PATH] [quiet=true]

The model is any MLflow model URI (`models:/stance@champion` by default, `models:/NAME/N`,
`runs:/ID/model`) or a local MLflow model directory, always loaded through one code path.
Input is read lazily and scored in chunks; output appears atomically, and a re-run of an
interrupted command resumes where it stopped.
"""

from __future__ import annotations

import logging
import sys

import hydra
from omegaconf import DictConfig

from stance import config
from stance.data.text import furniture_filter
from stance.errors import InputError, exit_on_input_error
from stance.io import AtomicTableWriter, check_output_path
from stance.predict.engines import ScoringJob
from stance.predict.inputs import InputStream
from stance.predict.loading import load_model, model_label, model_targets, resume_fingerprint, takes_any_target
from stance.predict.resume import PartStore

log = logging.getLogger(__name__)


class Progress:
    """Bytes of input read (for the ETA) and sentences scored per second, on stderr."""

    def __init__(self, total_bytes: int, resumed: int, quiet: bool):
        from tqdm.auto import tqdm

        self.bar = tqdm(total=total_bytes, unit="B", unit_scale=True, desc="scoring", disable=quiet,
                        file=sys.stderr, dynamic_ncols=True)
        self.sentences, self.resumed = 0, resumed

    def update(self, stream: InputStream, n: int) -> None:
        self.sentences += n
        self.bar.update(stream.bytes_read - self.bar.n)
        rate = self.sentences / max(self.bar.format_dict["elapsed"], 1e-9)
        self.bar.set_postfix(sentences=self.resumed + self.sentences, sent_per_s=f"{rate:.0f}")

    def close(self):
        self.bar.close()


def write_summary(store: PartStore, cfg: DictConfig) -> int:
    """Join the parts into the output, feeding the article summary on the way when asked."""
    if not cfg.summary:
        return store.finish()
    from stance.predict.summary import SummaryBuilder

    summary = SummaryBuilder()
    rows = store.finish(summary.add)
    with AtomicTableWriter(check_output_path(cfg.summary)) as writer:
        writer.write(summary.table(cfg.summary_rule.min_stance_sentences, cfg.summary_rule.dominance))
    return rows


def write_with_spark(engine, cfg: DictConfig, stream: InputStream, model, model_config: dict, label: str,
                     output, key: str) -> None:
    """engine=spark: Spark reads, segments, scores and writes `output` (a Parquet dataset)."""
    if output.suffix != ".parquet":
        raise InputError(cfg.output, "engine=spark writes a Parquet dataset: give output=NAME.parquet")
    if cfg.summary or cfg.furniture_repeats >= 2:
        raise InputError("engine=spark", "summary= and furniture_repeats= need engine=local")
    job = ScoringJob(model, str(cfg.model), model_config, label, model_targets(model), stream, None,
                     cfg.chunk_size, None, takes_any_target(model))
    rows, skipped = engine.run_to(job, output, key)
    if not rows:
        raise InputError(cfg.input, "no sentences to score: " + ("; ".join(skipped[:3]) or "empty input"))
    for problem in skipped:
        print(f"warning: skipped {problem}", file=sys.stderr)
    print(f"wrote {rows} rows to {output}/ ({len(stream.files) - len(skipped)} files read, {len(skipped)} skipped)",
          file=sys.stderr)


@hydra.main(version_base="1.3", config_path=f"{config.CONFIG_DIR}/predict", config_name="predict")
@exit_on_input_error
def main(cfg: DictConfig) -> None:
    if cfg.input is None or cfg.output is None:
        raise InputError("stance-predict", "give input=PATH and output=PATH")
    options = config.plain(cfg)
    engine = hydra.utils.instantiate(options["engine"])
    output = check_output_path(cfg.output, dataset=getattr(engine, "owns_output", False))
    if cfg.summary:
        check_output_path(cfg.summary)  # a bad summary path fails now, not after all the scoring
    furniture = furniture_filter(cfg.furniture) if cfg.furniture else None
    stream = InputStream(options["input"], options["input_format"], furniture=furniture,
                         repeats=cfg.furniture_repeats)
    model_config = {"backend": options["backend"], "num_threads": cfg.num_threads}
    model = load_model(str(cfg.model), cfg.tracking.tracking_uri, model_config)
    label = model_label(str(cfg.model))
    files = [(str(p), p.stat().st_size, p.stat().st_mtime) for p in stream.files]
    key = resume_fingerprint(model, files=files, input_format=options["input_format"], chunk=cfg.chunk_size,
                             backend=options["backend"], engine=options["engine"], furniture=cfg.furniture,
                             furniture_repeats=cfg.furniture_repeats)
    if getattr(engine, "owns_output", False):  # engine=spark writes its own Parquet dataset
        return write_with_spark(engine, cfg, stream, model, model_config, label, output, key)
    store = PartStore(output, key)
    if store.done_sentences:
        print(f"resuming: {store.done_sentences} sentences already scored", file=sys.stderr)
    progress = Progress(stream.total_bytes, store.done_sentences, cfg.quiet)
    job = ScoringJob(model, str(cfg.model), model_config, label, model_targets(model),
                     stream, store, cfg.chunk_size, progress, takes_any_target(model))
    try:
        engine.run(job)
    except InputError:
        if not store.parts():
            store.discard()  # bad input before anything was scored: leave nothing behind
        raise
    finally:
        progress.close()
    if not store.parts():
        store.discard()
        raise InputError(cfg.input, "no sentences to score: " + ("; ".join(stream.skipped[:3]) or "empty input"))
    rows = write_summary(store, cfg)
    for problem in stream.skipped:
        print(f"warning: skipped {problem}", file=sys.stderr)
    print(f"wrote {rows} rows to {output} ({len(stream.files) - len(stream.skipped)} files read, "
          f"{len(stream.skipped)} skipped)", file=sys.stderr)


if __name__ == "__main__":
    main()
