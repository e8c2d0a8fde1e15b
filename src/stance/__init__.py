"""stance: sentence-level stance toward Nicolás Maduro and Juan Guaidó in news articles."""

__version__ = "0.1.0"
