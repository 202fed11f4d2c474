"""Use cases of the dispatch service: one handler per command and per consumed event."""
