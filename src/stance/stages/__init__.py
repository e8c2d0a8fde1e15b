"""Pipeline stages: thin `@hydra.main` entry points over the pure functions below them, one per
DVC stage (prepare -> label -> rules_report -> split -> train -> evaluate)."""
