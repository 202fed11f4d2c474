"""civiloop."""
