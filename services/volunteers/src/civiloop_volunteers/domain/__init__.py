"""Pure domain of the volunteers service: its aggregates, rules and the events they raise (no I/O)."""
