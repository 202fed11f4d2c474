"""I/O of the volunteers service: its MongoDB repositories (its own database only)."""
