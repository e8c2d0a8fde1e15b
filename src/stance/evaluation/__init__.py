"""Evaluation: stance metrics, scoring a fitted model on labelled splits, plots and error tables."""
