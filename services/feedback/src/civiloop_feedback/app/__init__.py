"""Use cases of the feedback service: one handler per command and per consumed event."""
