"""stance-predict: input stream, scoring engines (local, spark) behind one interface, resumable
atomic output, article summary. `python -m stance.predict` runs the command (app.py)."""
