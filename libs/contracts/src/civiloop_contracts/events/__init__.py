"""Every event model, by owner; importing this registers them all in ``REGISTRY``."""

from civiloop_contracts.events import (
    dispatch,
    feedback,
    intake,
    requests,
    service,
    units,
    volunteers,
)

__all__ = [
    "dispatch", "feedback", "intake", "requests", "service", "units", "volunteers",
]
