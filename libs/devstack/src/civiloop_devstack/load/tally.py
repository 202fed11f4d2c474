"""What the simulated people did, counted as they do it (the progress bar reads it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Tally:
    """Counts of the run's actions so far."""

    published: int = 0
    offers: int = 0
    declined: int = 0
    taken_back: int = 0
    accepted: int = 0
    completed: int = 0
    rated: int = 0
    closed: int = 0
