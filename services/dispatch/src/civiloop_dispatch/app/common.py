"""What every dispatch handler shares: the event source, publishing, and ignoring stale news."""

from __future__ import annotations

from typing import Any

from prometheus_client import Counter

from civiloop_contracts.payload import Payload, make_event
from civiloop_dispatch.app.ports import UnitOfWork
from civiloop_dispatch.domain.case import Case
from civiloop_platform.logs import get_logger
from civiloop_platform.messages import Received

SOURCE = "civiloop/dispatch"
log = get_logger(__name__)

IGNORED = Counter("civiloop_dispatch_ignored_total",
                  "Events that changed nothing in dispatch (unknown order, stale answer)",
                  ["event", "reason"])


def ignored(event: str, reason: str, **fields: Any) -> None:
    """Log and count an event that changed no case."""
    IGNORED.labels(event=event, reason=reason).inc()
    log.info("dispatch event ignored", event_name=event, reason=reason, **fields)


def publish(uow: UnitOfWork, payloads: list[Payload], cause: Received[Any] | None,
            case: Case) -> None:
    """Publish ``payloads`` as consequences of ``cause`` (or of the case, from a timer or a person)."""
    for payload in payloads:
        if cause is not None:
            uow.publish(cause.follow_up(payload, source=SOURCE))
        else:
            uow.publish(make_event(payload, source=SOURCE, correlation_id=case.correlation_id))
