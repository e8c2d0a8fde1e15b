"""A fine-tuned transformer at scoring time: tokenizer, encoder + heads (torch) or an ONNX file,
and the files a saved model folder holds. The training side (models/transformer.py) extends it.

`input_mode=heads`: one 3-way head per target, each sentence encoded once; `pair`: (sentence,
target name) pairs through one head."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np

from stance.schema import LABELS, UnknownTargetError
from stance.serving.calibration import adjust
from stance.serving.encoding import BatchEncoder

ENCODER_DIR, HEADS_FILE, META_FILE = "encoder", "heads.safetensors", "transformer.json"
log = logging.getLogger(__name__)


def native_bf16() -> bool:
    """AVX-512 BF16 or AMX: without them torch emulates bf16 on the CPU, slower than fp32."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return " avx512_bf16" in flags or " amx_bf16" in flags


def quiet_hf() -> None:
    """Our own progress bar says what matters; silence the per-call bars of HF libraries."""
    import datasets
    import transformers

    datasets.disable_progress_bars()
    transformers.utils.logging.disable_progress_bar()
    transformers.utils.logging.set_verbosity_error()


class TransformerScorer:
    """(text, target) -> probabilities in LABELS order, with the torch or an ONNX backend. Torch
    and `transformers` are imported only on the torch path: an ONNX model scores without them."""

    kind = "transformer"
    serving_class = "stance.serving.transformer:TransformerScorer"  # what a saved model loads as

    def __init__(self, args: dict, hp: dict, target_names: dict, device: str = "cpu",
                 precision: str = "fp32", num_threads: int | None = None):
        self.args, self.hp = args, hp
        self.device = device
        self.precision = precision
        self.num_threads = num_threads
        self.target_names = dict(target_names)
        self.targets: list[str] = list(self.target_names)
        self.history: list[dict] = []
        self.temperature, self.none_bias = 1.0, 0.0  # fitted on validation when asked (serving/calibration.py)
        self.net = self.tokenizer = self.runner = None
        self.encoder: BatchEncoder | None = None  # scoring's tokenizer (serving/encoding.py)

    @property
    def open_targets(self) -> bool:
        """Pair input reads the target's name as text: any target string can be scored."""
        return self.args["input_mode"] == "pair"

    @property
    def n_heads(self) -> int:
        """One 3-way head per target, or one head for (sentence, target) pairs."""
        return 1 if self.args["input_mode"] == "pair" else len(self.targets)

    # --- encoding -------------------------------------------------------------------------
    def _pairs(self, targets):
        return [self.target_names.get(t, t) for t in targets] if self.args["input_mode"] == "pair" else None

    def _autocast(self):
        import torch

        enabled = self.precision == "bf16"
        return torch.autocast(device_type=str(self.device).split(":")[0], dtype=torch.bfloat16, enabled=enabled)

    # --- inference ------------------------------------------------------------------------
    def predict_proba(self, texts, targets) -> np.ndarray:
        """(n, 3) probabilities in LABELS order; batches sorted by length to cut padding."""
        texts, targets = list(texts), list(targets)
        unknown = set(targets) - set(self.targets)
        if unknown and not self.open_targets:
            raise UnknownTargetError(unknown, self.targets)
        if self.args["input_mode"] == "heads":  # encode each distinct sentence once, read every head
            unique, inverse = np.unique(np.asarray(texts, dtype=object), return_inverse=True)
            logits = self._logits(list(unique), [""] * len(unique))
            heads = np.array([self.targets.index(t) for t in targets])
            chosen = logits[inverse.reshape(-1), heads]
        else:
            chosen = self._logits(texts, targets)[:, 0]
        return adjust(chosen, self.temperature, self.none_bias)

    def truncated(self, texts, targets) -> list[bool]:
        """Which inputs exceed max_length tokens (scored on their first max_length tokens)."""
        return [n > self.args["max_length"] for n in self.encoder.lengths(list(texts), self._pairs(targets))]

    def _logits(self, texts, targets) -> np.ndarray:
        """(n, n_heads, 3) logits, in batches sorted by length to cut padding."""
        out = np.zeros((len(texts), self.n_heads, len(LABELS)), dtype=np.float32)
        order = np.argsort([len(t) for t in texts], kind="stable")
        size = self.hp["eval_batch_size"]
        for start in range(0, len(order), size):
            idx = order[start:start + size]
            encoded = self.encoder([texts[i] for i in idx], self._pairs([targets[i] for i in idx]))
            out[idx] = self.runner(encoded) if self.runner is not None else self._torch_logits(encoded)
        return out

    def _torch_logits(self, encoded: dict) -> np.ndarray:
        import torch

        self.net.eval()
        with torch.inference_mode(), self._autocast():
            batch = {k: torch.from_numpy(v).to(self.device) for k, v in encoded.items()}
            return self.net(**batch).float().cpu().numpy()

    # --- loading --------------------------------------------------------------------------
    @classmethod
    def load(cls, directory, backend: str = "auto", num_threads: int | None = None,
             device: str = "cpu") -> "TransformerScorer":
        """Load for scoring. `backend`: auto (int8 ONNX when saved, else torch), torch, torch-bf16,
        onnx (int8, else fp32), onnx-int8 or onnx-fp32. The ONNX backends never import torch."""
        from stance.serving.onnx_runner import OnnxRunner, pick_backend

        directory = Path(directory)
        meta = json.loads((directory / META_FILE).read_text())
        self = TransformerScorer(meta["args"], meta["hp"], meta["target_names"], device, num_threads=num_threads)
        self.targets, self.history = meta["targets"], meta["history"]
        self.temperature, self.none_bias = meta.get("temperature", 1.0), meta.get("none_bias", 0.0)
        self.encoder = BatchEncoder.from_dir(directory / ENCODER_DIR, meta["args"]["max_length"])
        onnx_file = pick_backend(directory, backend)
        if onnx_file is not None:
            self.runner, self.backend = OnnxRunner(onnx_file, num_threads), onnx_file.name
            return self
        self._load_torch(directory, meta)
        self.backend = backend.replace("auto", "torch")
        if backend == "torch-bf16":
            self.precision = "bf16"  # autocast: fast only with native bf16 (AVX-512 BF16 / AMX)
            if self.device == "cpu" and not native_bf16():
                log.warning("backend=torch-bf16 on a CPU without native bf16 (AVX-512 BF16 or AMX): torch "
                            "emulates it, slower than fp32; use backend=onnx-int8 or torch")
        return self

    def _load_torch(self, directory: Path, meta: dict) -> None:
        import torch
        from safetensors.torch import load_file
        from transformers import AutoModel

        from stance.serving.network import StanceNet

        quiet_hf()
        if self.num_threads:
            torch.set_num_threads(int(self.num_threads))
        self.net = StanceNet(AutoModel.from_pretrained(directory / ENCODER_DIR), meta["n_heads"],
                             meta["args"]["pooling"], meta["args"]["dropout"])
        self.net.heads.load_state_dict(load_file(directory / HEADS_FILE, device="cpu"))
        self.net.to(self.device).eval()
