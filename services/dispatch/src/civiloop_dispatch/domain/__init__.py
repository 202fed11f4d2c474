"""Pure domain of the dispatch service: its aggregates, rules and the events they raise (no I/O)."""
