"""The fairness report's arithmetic: how evenly work is spread over those who could do it."""

from __future__ import annotations

import math

from pydantic import BaseModel


class Spread(BaseModel):
    """Totals and spread of one measure over a population (those without work count as 0)."""

    total: float
    mean: float
    stdev: float
    min: float
    max: float
    cv: float  # stdev / mean: 0 is perfectly even; higher is less fair

    @classmethod
    def of(cls, values: list[float], population: int) -> Spread:
        """The spread of ``values``, padded with zeros up to ``population`` members."""
        n = max(population, len(values))
        if n == 0:
            return cls(total=0, mean=0, stdev=0, min=0, max=0, cv=0)
        total = sum(values)
        mean = total / n
        squares = sum((v - mean) ** 2 for v in values) + (n - len(values)) * mean ** 2
        stdev = math.sqrt(squares / n)
        lowest = min(values) if len(values) == n else 0.0
        return cls(total=round(total, 2), mean=round(mean, 4), stdev=round(stdev, 4),
                   min=lowest, max=max(values, default=0.0),
                   cv=round(stdev / mean, 4) if mean else 0.0)
