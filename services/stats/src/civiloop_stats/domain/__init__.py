"""Pure domain of the stats service: its aggregates, rules and the events they raise (no I/O)."""
