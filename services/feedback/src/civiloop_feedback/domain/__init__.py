"""Pure domain of the feedback service: its aggregates, rules and the events they raise (no I/O)."""
