"""Builders for the volunteers tests: units, valid ID numbers, registrations, tokens, events."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from typing import Any

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.events.dispatch import AssignMode, OrderDispatched
from civiloop_contracts.values import UnitLevel, UnitRef
from civiloop_platform.auth import mint_token
from civiloop_platform.settings import DEV_AUTH_SECRET
from civiloop_volunteers.domain.identity import resident_id_check

STATION, INSTITUTE, CENTRE = "wanhe-sunshine", "kunhe-town", "kun-district"


def unit(station: str = STATION, institute: str = INSTITUTE) -> UnitRef:
    """A station of the Kun district network."""
    return UnitRef(centre=CENTRE, institute=institute, station=station)


def id_number() -> str:
    """A fresh, well-formed 18-character resident ID number (check digit included)."""
    first = f"150203{random.randint(1950, 2005)}{random.randint(1, 12):02d}" \
            f"{random.randint(1, 28):02d}{random.randint(100, 999)}"
    return first + resident_id_check(first)


def phone() -> str:
    """A fresh mainland mobile number."""
    return f"139{random.randint(0, 99_999_999):08d}"


def volunteer_body(station: str = STATION, **changes: Any) -> dict[str, Any]:
    """A registration as a station submits it."""
    body: dict[str, Any] = {
        "name": "李明", "id_number": id_number(), "phone": phone(),
        "volunteer_number": f"NV{uuid.uuid4().hex[:10]}", "gender": "male",
        "birth_year": 1980, "political_status": "party_member",
        "skills": ["first_aid", "blood_pressure"], "specialties": ["medicine_health"],
        "platforms": ["science"], "unit": unit(station).model_dump(),
        "stations_covered": ["kunhe-xincun"], "service_radius_km": 5,
        "availability": [{"weekday": 6, "start": "09:00", "end": "12:00"}]}
    return {**body, **changes}


def token(role: str, subject: str = "someone", station: str | None = None) -> dict[str, str]:
    """The Authorization header of a development token."""
    return {"Authorization": "Bearer " + mint_token(DEV_AUTH_SECRET, subject=subject, role=role,
                                                    station=station)}


OPERATOR = token("station_operator", "op-1", STATION)
OTHER_OPERATOR = token("station_operator", "op-2", "other-station")
ADMIN = token("district_admin", "admin-1")


def dispatched(order_id: str, *, volunteers: list[str] = (), teams: list[str] = (),  # type: ignore[assignment]
               mode: AssignMode = AssignMode.DIRECTIVE, deadline: datetime | None = None,
               assignment_id: str | None = None) -> OrderDispatched:
    """An OrderDispatched offering ``order_id`` to these volunteers or teams."""
    return OrderDispatched(
        order_id=order_id, assignment_id=assignment_id or f"as-{uuid.uuid4().hex[:10]}",
        mode=mode, level=UnitLevel.STATION, dispatching_unit=unit(),
        team_ids=list(teams), volunteer_ids=list(volunteers),
        accept_deadline=deadline or utcnow() + timedelta(hours=2), score=0.8, attempt=1)
