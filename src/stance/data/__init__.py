"""Data: files -> sentences (text cleaning, segmentation, ids), annotations, sources, splits."""
