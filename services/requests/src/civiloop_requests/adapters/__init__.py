"""I/O of the requests service: its MongoDB repositories (its own database only)."""
