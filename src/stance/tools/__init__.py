"""Tools that sit on top of the package and are not part of the pipeline: `make bench`
(bench.py) and the synthetic-corpus quality checks (corpus_checks.py)."""
