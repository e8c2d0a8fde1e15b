"""TF-IDF (word + char n-grams) + logistic regression, aware of the target.

`target_mode=per_target` fits one classifier per target; `shared` fits one classifier on
features crossed with the target (each n-gram feature exists once per target, plus shared);
`open` takes any target string: the target's mentions in the sentence become one marker token,
so n-grams around the marker say how the sentence treats the target (NewsMTSC's mentions).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from stance.schema import LABELS, MAX_DEFAULT_TARGETS, UnknownTargetError
from stance.serving.calibration import calibrate, scale, softmax
from stance.serving.tfidf import FastUnion

TARGET_MODES = ("per_target", "shared", "open")
MARKER = " qqtargetqq "  # one word token for the word n-grams, rare enough never to collide with text


def mark_target(text: str, target: str) -> str:
    """`text` with each case-insensitive mention of `target` replaced by the marker token."""
    return re.sub(re.escape(target), MARKER, text, flags=re.IGNORECASE) if target else text


WEIGHTS, SETTINGS = "estimator.skops", "estimator.json"
TRUSTED_TYPES: list[str] = []  # beyond skops' defaults, nothing: the fitted parts are all scikit-learn


class TfidfLogReg:
    kind = "logreg"

    def __init__(self, target_mode="per_target", word_ngrams=(1, 2), char_ngrams=(2, 5), use_char=True,
                 min_df=1, sublinear_tf=True, max_features=200000, C=4.0, class_weight="balanced",
                 max_iter=2000, temperature_scaling=True, tune_none_bias=False, seed=0, targets=None, trainer=None):
        # `targets` and `trainer` come with every model's config: this model learns its targets
        # from the data and always runs on the CPU, so it needs neither.
        target_mode = getattr(target_mode, "value", target_mode)
        if target_mode not in TARGET_MODES:
            raise ValueError(f"target_mode must be one of {TARGET_MODES}, not {target_mode!r}")
        self.target_mode, self.seed = target_mode, seed
        self.vec_args = dict(word_ngrams=tuple(word_ngrams), char_ngrams=tuple(char_ngrams), use_char=use_char,
                             min_df=min_df, sublinear_tf=sublinear_tf, max_features=max_features)
        self.clf_args = dict(C=C, class_weight=None if class_weight in (None, "none") else class_weight,
                             max_iter=max_iter)
        self.temperature_scaling, self.temperature = bool(temperature_scaling), 1.0
        self.tune_none_bias, self.none_bias = bool(tune_none_bias), 0.0
        self.targets: list[str] = []
        self.vectorizer = None
        self._fast = None  # built from the fitted vectorizer on first use
        self.classifiers: dict[str, LogisticRegression] = {}

    @property
    def open_targets(self) -> bool:
        """True when any target string can be scored, not only those trained on."""
        return self.target_mode == "open"

    def _new_vectorizer(self):
        a = self.vec_args
        parts = [("word", TfidfVectorizer(ngram_range=a["word_ngrams"], min_df=a["min_df"], lowercase=True,
                                          sublinear_tf=a["sublinear_tf"], max_features=a["max_features"]))]
        if a["use_char"]:
            parts.append(("char", TfidfVectorizer(analyzer="char_wb", ngram_range=a["char_ngrams"], min_df=a["min_df"],
                                                  sublinear_tf=a["sublinear_tf"], max_features=a["max_features"])))
        return FeatureUnion(parts)

    def _new_classifier(self):
        return LogisticRegression(random_state=self.seed, **self.clf_args)

    def _crossed(self, X, targets) -> sp.csr_matrix:
        """[shared features | features of target 1 | ... ]: one weight set per target plus a shared one."""
        blocks = [X] + [X.multiply((np.asarray(targets) == t)[:, None]) for t in self.targets]
        return sp.hstack(blocks).tocsr()

    def fit(self, texts, targets, labels, eval_set=None, checkpoints=None):
        """`eval_set` fits the calibration (serving/calibration.py) and nothing else; `checkpoints`
        are unused: it trains in seconds."""
        texts, targets, labels = list(texts), np.asarray(targets), np.asarray(labels)
        self.targets = sorted(set(targets.tolist()))
        if self.target_mode == "open":
            texts = [mark_target(x, t) for x, t in zip(texts, targets)]
            self.targets = [str(t) for t in pd.Series(targets).value_counts().index[:MAX_DEFAULT_TARGETS]]
        self.vectorizer, self._fast = self._new_vectorizer().fit(sorted(set(texts))), None
        X = self.vectorizer.transform(texts)
        if self.target_mode == "open":
            self.classifiers = {"*": self._new_classifier().fit(X, labels)}
        elif self.target_mode == "shared":
            self.classifiers = {"*": self._new_classifier().fit(self._crossed(X, targets), labels)}
        else:
            self.classifiers = {t: self._new_classifier().fit(X[targets == t], labels[targets == t])
                                for t in self.targets}
        calibrate(self, eval_set)
        return self

    def predict_proba(self, texts, targets) -> np.ndarray:
        """(n, 3) probabilities in LABELS order (FAVOR, AGAINST, NONE). Each distinct text is
        vectorised once (a sentence comes once per target), and the shared model adds the
        target's weight block to the shared one instead of building crossed feature copies."""
        targets = np.asarray(targets)
        if self.target_mode == "open":
            texts = [mark_target(x, t) for x, t in zip(texts, targets)]
        elif set(targets) - set(self.targets):
            raise UnknownTargetError(set(targets) - set(self.targets), self.targets)
        unique, inverse = np.unique(np.asarray(list(texts), dtype=object), return_inverse=True)
        if self._fast is None:
            self._fast = FastUnion(self.vectorizer)  # the same features, faster (serving/tfidf.py)
        X = self._fast.transform(unique.tolist())[inverse.reshape(-1)] if len(unique) else None
        out = np.zeros((len(targets), len(LABELS)))
        for key, clf in self.classifiers.items():
            rows = np.arange(len(targets)) if key == "*" else np.flatnonzero(targets == key)
            if not len(rows):
                continue
            if self.target_mode == "shared":
                proba = self._shared_proba(clf, X[rows], targets[rows])
            else:
                proba = clf.predict_proba(X[rows])
            for j, cls in enumerate(clf.classes_):
                out[rows, LABELS.index(cls)] = proba[:, j]
        return scale(out, self.temperature, self.none_bias)

    def _shared_proba(self, clf, X, targets) -> np.ndarray:
        """What clf.predict_proba(self._crossed(X, targets)) gives: [X | X*1(t1) | ...] @ w is
        X @ w_shared + X @ w_t, so each row needs the shared block and its own target's block."""
        width = X.shape[1]
        logits = X @ clf.coef_[:, :width].T + clf.intercept_
        for k, target in enumerate(self.targets):
            rows = np.flatnonzero(targets == target)
            if len(rows):
                logits[rows] += X[rows] @ clf.coef_[:, width * (k + 1):width * (k + 2)].T
        logits = np.asarray(logits)
        if logits.shape[1] == 1:  # two classes: sklearn's binary form
            logits = np.hstack([-logits, logits]) / 2
        return softmax(logits)

    def save(self, directory) -> None:
        """Fitted parts with skops (no pickle), settings as JSON."""
        import skops.io

        for _, part in self.vectorizer.transformer_list:
            # numpy-int vocabulary values are one array each to skops (minutes for 100k n-grams);
            # `stop_words_` (the n-grams max_features dropped) is for introspection only (sklearn docs).
            part.vocabulary_ = {term: int(column) for term, column in part.vocabulary_.items()}
            if hasattr(part, "stop_words_"):
                del part.stop_words_
        skops.io.dump({"vectorizer": self.vectorizer, "classifiers": self.classifiers}, Path(directory) / WEIGHTS)
        settings = {"target_mode": self.target_mode, "seed": self.seed, "targets": self.targets,
                    "vec_args": self.vec_args, "clf_args": self.clf_args,
                    "temperature": self.temperature, "none_bias": self.none_bias}
        (Path(directory) / SETTINGS).write_text(json.dumps(settings, indent=2))

    @classmethod
    def load(cls, directory, backend: str = "auto", num_threads: int | None = None) -> "TfidfLogReg":
        """`backend` and `num_threads` choose a transformer's runtime; scikit-learn has one."""
        settings = json.loads((Path(directory) / SETTINGS).read_text())
        self = cls(target_mode=settings["target_mode"], seed=settings["seed"])
        self.vec_args, self.clf_args, self.targets = settings["vec_args"], settings["clf_args"], settings["targets"]
        self.temperature, self.none_bias = settings.get("temperature", 1.0), settings.get("none_bias", 0.0)
        parts = load_components(Path(directory) / WEIGHTS)
        self.vectorizer, self.classifiers = parts["vectorizer"], parts["classifiers"]
        return self


def load_components(path) -> dict:
    """skops load that accepts only the types skops trusts by default (scikit-learn, numpy, scipy,
    builtins) plus TRUSTED_TYPES; anything else is refused before an object is built."""
    import skops.io

    untrusted = [t for t in skops.io.get_untrusted_types(file=path) if t not in TRUSTED_TYPES]
    if untrusted:
        raise ValueError(f"{path}: untrusted types {untrusted}: refusing to load this model file")
    return skops.io.load(path, trusted=TRUSTED_TYPES)
