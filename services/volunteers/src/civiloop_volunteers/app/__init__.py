"""Use cases of the volunteers service: one handler per command and per consumed event."""
