"""The fine-tuning loop: data loader, class-weighted loss, AdamW with linear warm-up, and early
stopping on validation F_avg (the best epoch's weights are kept)."""

from __future__ import annotations

import copy
import logging
import math
import sys
from typing import Callable

import numpy as np
import torch
from torch import nn

from stance.schema import LABELS

log = logging.getLogger(__name__)
IGNORE = -100  # a head with no label for this sentence (heads mode) adds nothing to the loss


def make_loader(dataset, tokenizer, batch_size: int, seed: int, group_by_length: bool = False):
    """Shuffled batches, padded per batch. `group_by_length`: each batch holds sentences of similar
    length (shuffled, then sorted within mega-batches, as HF's Trainer does), so far less padding."""
    from torch.utils.data import DataLoader
    from transformers import DataCollatorWithPadding
    from transformers.trainer_pt_utils import LengthGroupedSampler

    generator = torch.Generator().manual_seed(seed)
    sampler = LengthGroupedSampler(batch_size, lengths=[len(ids) for ids in dataset["input_ids"]],
                                   generator=generator) if group_by_length else None
    return DataLoader(dataset, batch_size=batch_size, shuffle=sampler is None, sampler=sampler,
                      collate_fn=DataCollatorWithPadding(tokenizer), generator=generator)


def make_loss(labels, class_weight, device) -> nn.CrossEntropyLoss:
    """Cross-entropy, with `balanced` class weights (n / (3 * count)) when asked."""
    weights = None
    if class_weight == "balanced":
        counts = np.bincount([LABELS.index(y) for y in labels], minlength=3).astype(float)
        weights = torch.tensor(counts.sum() / (3 * np.maximum(counts, 1)), dtype=torch.float, device=device)
    return nn.CrossEntropyLoss(weight=weights, ignore_index=IGNORE)


def train_epochs(net, loader, loss_fn, hp: dict, device, autocast: Callable,
                 validate: Callable[[], float] | None, checkpoints=None, key: str = "") -> list[dict]:
    """Run up to `hp["epochs"]` epochs; with `validate`, stop after `patience` epochs without a
    better validation F_avg and restore the best weights. With `checkpoints`, save the whole state
    after every epoch and continue from the last saved one (same `key`). One record per epoch."""
    from tqdm.auto import tqdm
    from transformers import get_linear_schedule_with_warmup

    optim = torch.optim.AdamW(net.parameters(), lr=hp["lr"], weight_decay=hp["weight_decay"])
    total = hp["epochs"] * len(loader)
    sched = get_linear_schedule_with_warmup(optim, math.ceil(hp["warmup_ratio"] * total), total)
    history, best, best_state, waited, first = [], -1.0, None, 0, 1
    state = checkpoints.load(key) if checkpoints is not None else None
    if state is not None:
        net.load_state_dict(state["net"])
        optim.load_state_dict(state["optim"])
        sched.load_state_dict(state["sched"])
        torch.set_rng_state(state["rng"])
        loader.generator.set_state(state["loader_rng"])
        history, best, best_state, waited = state["history"], state["best"], state["best_state"], state["waited"]
        first = state["epoch"] + 1
        log.info("resuming from epoch %d (checkpoint in %s)", state["epoch"], checkpoints.dir)
        if validate is not None and waited >= hp["patience"]:
            first = hp["epochs"] + 1  # it had already stopped early
    for epoch in range(first, hp["epochs"] + 1):
        net.train()
        losses = []
        bar = tqdm(loader, desc=f"epoch {epoch}/{hp['epochs']}", disable=not hp["progress"], leave=False,
                   mininterval=0.2 if sys.stderr.isatty() else 15)  # logs get a line every 15 s
        for batch in bar:
            batch = {k: v.to(device) for k, v in batch.items()}
            gold = batch.pop("labels")
            with autocast():
                logits = net(**batch)
            loss = loss_fn(logits.float().reshape(-1, len(LABELS)), gold.reshape(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optim.step(), sched.step(), optim.zero_grad()
            losses.append(loss.item())
            bar.set_postfix(loss=f"{np.mean(losses[-20:]):.3f}")
        record = {"epoch": epoch, "train_loss": float(np.mean(losses))}
        if validate is not None:
            record["val_f_avg"] = validate()
            if record["val_f_avg"] > best:
                best, best_state, waited = record["val_f_avg"], copy.deepcopy(net.state_dict()), 0
            else:
                waited += 1
        history.append(record)
        log.info("epoch %d: %s", epoch, ", ".join(f"{k} {v:.4f}" for k, v in record.items() if k != "epoch"))
        if checkpoints is not None:
            checkpoints.save(epoch, key, {
                "epoch": epoch, "net": net.state_dict(), "optim": optim.state_dict(), "sched": sched.state_dict(),
                "rng": torch.get_rng_state(), "loader_rng": loader.generator.get_state(), "history": history,
                "best": best, "best_state": best_state, "waited": waited})
        if validate is not None and waited >= hp["patience"]:
            log.info("early stop: val F_avg did not improve for %d epochs (best %.4f)", waited, best)
            break
    if best_state is not None:
        net.load_state_dict(best_state)
    return history
