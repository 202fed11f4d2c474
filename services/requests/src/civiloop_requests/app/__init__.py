"""Use cases of the requests service: one handler per command and per consumed event."""
