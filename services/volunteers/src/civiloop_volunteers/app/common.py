"""What every use case of the volunteers service shares: the event source, ids, the clock."""

from __future__ import annotations

import uuid
from datetime import datetime

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.payload import Payload, make_event
from civiloop_volunteers.app.ports import UnitOfWork

SOURCE = "civiloop/volunteers"


def new_id(prefix: str) -> str:
    """A fresh id such as ``vol-3f2a9c1b7d4e``."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def now() -> datetime:
    """The current moment (UTC); one place to read the clock."""
    return utcnow()


def publish(uow: UnitOfWork, *payloads: Payload | None,
            time: datetime | None = None) -> None:
    """Queue the events a change raised (None entries are skipped) in the unit's outbox."""
    for payload in payloads:
        if payload is not None:
            uow.publish(make_event(payload, source=SOURCE, time=time))
