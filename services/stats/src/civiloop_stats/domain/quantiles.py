"""Percentiles, one method for every figure: linear interpolation between closest ranks."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], p: float) -> float | None:
    """The ``p``-th percentile (0-100) of ``values``, None when there are none.

    Linear interpolation between closest ranks (Excel PERCENTILE.INC, numpy's default):
    the median of an even count is the mean of the two middle values.
    """
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)
