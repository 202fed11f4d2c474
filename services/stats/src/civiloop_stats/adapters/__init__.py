"""I/O of the stats service: its MongoDB repositories (its own database only)."""
