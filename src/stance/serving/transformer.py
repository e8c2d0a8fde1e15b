"""A fine-tuned transformer at scoring time: tokenizer, encoder + heads (torch) or an ONNX file,
and the files a saved model folder holds. The training side (models/transformer.py) extends it.

`input_mode=heads`: one 3-way head per target, each sentence encoded once; `pair`: (sentence,
target name) pairs through one head."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch

from stance.schema import LABELS, UnknownTargetError
from stance.serving.network import StanceNet

ENCODER_DIR, HEADS_FILE, META_FILE = "encoder", "heads.safetensors", "transformer.json"


def quiet_hf() -> None:
    """Our own progress bar says what matters; silence the per-call bars of HF libraries."""
    import datasets
    import transformers

    datasets.disable_progress_bars()
    transformers.utils.logging.disable_progress_bar()
    transformers.utils.logging.set_verbosity_error()


class TransformerScorer:
    """(text, target) -> probabilities in LABELS order, with the torch or an ONNX backend."""

    kind = "transformer"
    serving_class = "stance.serving.transformer:TransformerScorer"  # what a saved model loads as

    def __init__(self, args: dict, hp: dict, target_names: dict, device: str = "cpu",
                 precision: str = "fp32", num_threads: int | None = None):
        self.args, self.hp = args, hp
        self.device = torch.device(device)
        self.precision = precision
        if num_threads:
            torch.set_num_threads(int(num_threads))
        self.target_names = dict(target_names)
        self.targets: list[str] = list(self.target_names)
        self.history: list[dict] = []
        self.temperature = 1.0  # fitted on validation when asked (serving/calibration.py)
        self.net = self.tokenizer = self.runner = None

    @property
    def open_targets(self) -> bool:
        """Pair input reads the target's name as text: any target string can be scored."""
        return self.args["input_mode"] == "pair"

    # --- encoding -------------------------------------------------------------------------
    def _encode(self, texts, targets):
        pair = [self.target_names.get(t, t) for t in targets] if self.args["input_mode"] == "pair" else None
        return self.tokenizer(list(texts), pair, truncation=True, max_length=self.args["max_length"])

    def _autocast(self):
        enabled = self.precision == "bf16"
        return torch.autocast(device_type=self.device.type, dtype=torch.bfloat16, enabled=enabled)

    # --- inference ------------------------------------------------------------------------
    @torch.inference_mode()
    def predict_proba(self, texts, targets) -> np.ndarray:
        """(n, 3) probabilities in LABELS order; batches sorted by length to cut padding."""
        texts, targets = list(texts), list(targets)
        unknown = set(targets) - set(self.targets)
        if unknown and not self.open_targets:
            raise UnknownTargetError(unknown, self.targets)
        self.net.eval()
        if self.args["input_mode"] == "heads":  # encode each distinct sentence once, read every head
            unique, inverse = np.unique(np.asarray(texts, dtype=object), return_inverse=True)
            logits = self._logits(list(unique), [""] * len(unique))
            heads = np.array([self.targets.index(t) for t in targets])
            chosen = logits[inverse.reshape(-1), heads]
        else:
            chosen = self._logits(texts, targets)[:, 0]
        chosen = torch.from_numpy(chosen)
        return torch.softmax(chosen / self.temperature, dim=-1).numpy().astype(np.float64)

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

    # --- loading --------------------------------------------------------------------------
    @classmethod
    def load(cls, directory, backend: str = "auto", num_threads: int | None = None,
             device: str = "cpu") -> "TransformerScorer":
        """Load for scoring. `backend`: auto (int8 ONNX when saved, else torch), torch, torch-bf16,
        onnx (int8, else fp32), onnx-int8 or onnx-fp32."""
        from transformers import AutoModel, AutoTokenizer

        from stance.serving.onnx_runner import OnnxRunner, pick_backend

        quiet_hf()
        directory = Path(directory)
        meta = json.loads((directory / META_FILE).read_text())
        self = TransformerScorer(meta["args"], meta["hp"], meta["target_names"], device, num_threads=num_threads)
        self.targets, self.history = meta["targets"], meta["history"]
        self.temperature = meta.get("temperature", 1.0)
        self.tokenizer = AutoTokenizer.from_pretrained(directory / ENCODER_DIR)
        self.net = StanceNet(AutoModel.from_pretrained(directory / ENCODER_DIR), meta["n_heads"],
                             meta["args"]["pooling"], meta["args"]["dropout"])
        from safetensors.torch import load_file

        self.net.heads.load_state_dict(load_file(directory / HEADS_FILE, device="cpu"))
        self.net.to(self.device).eval()
        onnx_file = pick_backend(directory, backend)
        self.runner = OnnxRunner(onnx_file, num_threads) if onnx_file is not None else None
        self.backend = onnx_file.name if onnx_file is not None else backend.replace("auto", "torch")
        if backend == "torch-bf16":
            self.precision = "bf16"  # autocast: AMX / AVX-512 bf16 on recent x86 CPUs
        return self
