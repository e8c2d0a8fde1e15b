"""The fitted TF-IDF features, computed faster and exactly: char n-grams inside word boundaries
(`analyzer="char_wb"`) depend on each word alone, so a sentence's counts are the sum of its
words' counts, and a word seen before costs one dictionary lookup instead of some twenty
substring slices and vocabulary lookups. Same matrix as `vectorizer.transform` (tested), about
4x faster on news sentences (README "Scoring speed"); other analyzers use scikit-learn's own."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

MAX_CACHED_WORDS = 500_000  # a bound on memory for endless streams of new words


class CharWordCache:
    """Per fitted char_wb TfidfVectorizer: word -> its n-grams' column indices."""

    def __init__(self, vectorizer):
        self.vectorizer = vectorizer
        self.preprocess = vectorizer.build_preprocessor()
        self.analyze = vectorizer.build_analyzer()
        self.vocabulary = vectorizer.vocabulary_
        self.words: dict[str, list[int]] = {}

    def columns(self, word: str) -> list[int]:
        found = self.words.get(word)
        if found is None:
            if len(self.words) >= MAX_CACHED_WORDS:
                self.words.clear()
            vocabulary = self.vocabulary
            found = self.words[word] = [vocabulary[g] for g in self.analyze(word) if g in vocabulary]
        return found

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        indptr, indices = [0], []
        for text in texts:
            for word in self.preprocess(text).split():
                indices.extend(self.columns(word))
            indptr.append(len(indices))
        counts = sp.csr_matrix((np.ones(len(indices)), np.asarray(indices, dtype=np.int64), indptr),
                               shape=(len(texts), len(self.vocabulary)))
        counts.sum_duplicates()
        return tfidf_weights(self.vectorizer, counts)


def tfidf_weights(vectorizer, counts: sp.csr_matrix) -> sp.csr_matrix:
    """What TfidfTransformer.transform does to counts, with the vectorizer's fitted settings."""
    if vectorizer.binary:
        counts.data[:] = 1.0
    if vectorizer.sublinear_tf:
        np.log(counts.data, counts.data)
        counts.data += 1.0
    if vectorizer.use_idf:
        counts.data *= vectorizer.idf_[counts.indices]
    return normalize(counts, norm=vectorizer.norm, copy=False) if vectorizer.norm else counts


class FastUnion:
    """`FeatureUnion.transform` of TF-IDF parts, char_wb parts through CharWordCache."""

    def __init__(self, union):
        self.parts = [CharWordCache(part) if part.analyzer == "char_wb" else part for _, part in union.transformer_list]
        weights = union.transformer_weights or {}
        self.weights = [weights.get(name) for name, _ in union.transformer_list]

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        blocks = [part.transform(texts) for part in self.parts]
        blocks = [b * w if w is not None else b for b, w in zip(blocks, self.weights)]
        return sp.hstack(blocks).tocsr()
