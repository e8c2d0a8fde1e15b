"""Labellers that label (sentence, target) pairs without a person."""
