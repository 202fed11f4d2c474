"""Pure domain of the requests service: its aggregates, rules and the events they raise (no I/O)."""
