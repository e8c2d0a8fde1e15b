"""The fast TF-IDF path gives exactly scikit-learn's features: the baseline's probabilities do not
depend on which path computed them."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from stance.serving.tfidf import FastUnion

TRAIN = ["Russia voiced support for Maduro.", "Guaidó was sworn in before a crowd in Caracas.",
         "The U.S. recognised Juan Guaidó as interim president", "Cuba praised  Maduro's government\tagain."]
NEW = ["MADURO praised Cuba; Guaidó did not.", "A word never seen: Zyxwvut!", "", "a", "Maduro   Maduro maduro",
       "Naïve café über-long-hyphenated-compound-word-that-exceeds-everything x"]


def test_fast_union_matches_scikit_learn_exactly():
    union = FeatureUnion([
        ("word", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
        ("char_plain", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4), use_idf=False, norm="l1")),
    ]).fit(TRAIN)
    fast = FastUnion(union)
    for texts in (NEW, TRAIN + NEW, NEW):  # the second and third calls read the word cache
        want, got = union.transform(texts).toarray(), fast.transform(texts).toarray()
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
