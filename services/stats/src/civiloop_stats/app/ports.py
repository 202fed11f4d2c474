"""What the stats handlers need from a unit of work: the read models to record facts in."""

from __future__ import annotations

from typing import Protocol

from civiloop_stats.adapters.read_models import ReadModels


class UnitOfWork(Protocol):
    """A unit of work with the read models open on its session."""

    models: ReadModels
