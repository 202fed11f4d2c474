"""I/O of the dispatch service: its MongoDB repositories (its own database only)."""
