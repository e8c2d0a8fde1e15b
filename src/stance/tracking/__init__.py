"""Tracking: MLflow setup, run naming and tags, model logging, the registry's champion, and the
comparison report."""
