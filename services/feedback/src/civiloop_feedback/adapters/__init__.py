"""I/O of the feedback service: its MongoDB repositories (its own database only)."""
