"""The network behind the transformer model: encoder, pooling, one 3-way head per target."""

from __future__ import annotations

from torch import nn

from stance.schema import LABELS


class StanceNet(nn.Module):
    """Encoder + pooling + `n_heads` linear heads of 3 classes each."""

    def __init__(self, encoder, n_heads: int, pooling: str = "mean", dropout: float = 0.1):
        super().__init__()
        self.encoder, self.pooling = encoder, pooling
        self.dropout = nn.Dropout(dropout)
        self.heads = nn.Linear(encoder.config.hidden_size, n_heads * len(LABELS))
        self.n_heads = n_heads

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state
        if self.pooling == "cls":
            pooled = hidden[:, 0]
        else:
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return self.heads(self.dropout(pooled)).view(-1, self.n_heads, len(LABELS))
