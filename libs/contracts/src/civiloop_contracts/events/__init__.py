"""Every event model, by owner; importing this registers them all in ``REGISTRY``."""

from civiloop_contracts.events import (
    activities,
    dispatch,
    feedback,
    intake,
    requests,
    service,
    units,
    volunteers,
)

__all__ = [
    "activities", "dispatch", "feedback", "intake", "requests", "service", "units", "volunteers",
]
