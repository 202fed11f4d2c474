"""Use cases of the stats service: one handler per command and per consumed event."""
