"""Labelling (sentence, target) pairs: the gold join and rule-based weak supervision."""
