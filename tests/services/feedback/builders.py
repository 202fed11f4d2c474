"""Small builders for the feedback tests: orders of the Kun district, and raters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from civiloop_contracts.envelope import Envelope
from civiloop_contracts.events.intake import Channel
from civiloop_contracts.events.requests import OrderPlaced
from civiloop_contracts.events.service import ServiceCompleted, VolunteerHours
from civiloop_contracts.payload import Payload, make_event
from civiloop_contracts.values import Platform, Role, TimeWindow, UnitRef
from civiloop_platform.auth import Principal

T0 = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
RESIDENT = "res-1"
STATION = "wanhe-sunshine"
INSTITUTE = "kunhe-town"


def at(minutes: float) -> datetime:
    """A moment ``minutes`` after T0."""
    return T0 + timedelta(minutes=minutes)


def unit(station: str = STATION, institute: str = INSTITUTE) -> UnitRef:
    """A station of the Kun district network."""
    return UnitRef(centre="kun-district", institute=institute, station=station)


def order_placed(order_id: str = "ord-1", *, resident_id: str | None = RESIDENT,
                 station: str = STATION, category: str = "free_clinic",
                 **changes: Any) -> OrderPlaced:
    """A resident's order for a free clinic at the station."""
    fields: dict[str, Any] = {
        "order_id": order_id, "unit": unit(station), "platform": Platform.SCIENCE,
        "category": category, "need": "老人需要量血压", "place": "万和阳光社区3号楼",
        "window": TimeWindow(start=at(60), end=at(120)), "channel": Channel.WECHAT,
        "resident_id": resident_id, **changes}
    return OrderPlaced(**fields)


def service_completed(order_id: str = "ord-1", *, volunteers: tuple[str, ...] = ("vol-1",),
                      team_id: str | None = "team-med") -> ServiceCompleted:
    """The service is done by ``volunteers`` of ``team_id``."""
    return ServiceCompleted(order_id=order_id, team_id=team_id, people_served=1,
                            hours=[VolunteerHours(volunteer_id=v, hours=1.5) for v in volunteers])


def envelope(payload: Payload, minutes: float = 0, source: str = "/test") -> Envelope:
    """``payload`` in an envelope happening ``minutes`` after T0."""
    return make_event(payload, source=source, time=at(minutes))


def resident(subject: str = RESIDENT) -> Principal:
    return Principal(role=Role.RESIDENT, subject=subject)


def operator(station: str = STATION) -> Principal:
    return Principal(role=Role.STATION_OPERATOR, subject="op-1", station=station)


def volunteer(subject: str = "vol-1") -> Principal:
    return Principal(role=Role.VOLUNTEER, subject=subject)


def admin() -> Principal:
    return Principal(role=Role.DISTRICT_ADMIN, subject="admin-1")


async def feed(uow: Any, payload: Payload, minutes: float = 0, source: str = "/test") -> Envelope:
    """Apply ``payload`` through its routed loop handler, as the consumer would."""
    from civiloop_feedback.app.loop import loop_handlers
    from civiloop_feedback.app.policy import Policy
    from civiloop_platform.messages import Received

    event = envelope(payload, minutes, source)
    handler = loop_handlers(Policy())[type(payload)]
    await uow.run(lambda u: handler(Received(payload, event), u))
    return event
