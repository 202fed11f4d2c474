"""The matching view from the volunteers topic: registrations and updates of volunteers and teams.

Each event overwrites the fields it carries and keeps what dispatch itself counts (load,
declines, last assignment), so a repeated or replayed event changes nothing more.
"""

from __future__ import annotations

from typing import Any

from civiloop_contracts.events.volunteers import (
    TeamRegistered,
    TeamUpdated,
    VolunteerRegistered,
    VolunteerStatus,
    VolunteerUpdated,
)
from civiloop_dispatch.app.common import ignored
from civiloop_dispatch.app.ports import UnitOfWork
from civiloop_dispatch.domain.candidates import Candidate, Kind, candidate_key
from civiloop_platform.messages import Received


def _profile(payload: Any) -> dict[str, Any]:
    """The matching fields an event sets (unset optional fields leave the view as is)."""
    fields = {"covers": payload.stations_covered, "availability": payload.availability}
    changes = {k: v for k, v in fields.items() if v is not None}
    if payload.max_load is not None:
        changes["max_load"] = payload.max_load
    return changes


async def _upsert(uow: UnitOfWork, kind: Kind, ref: str, changes: dict[str, Any],
                  base: dict[str, Any] | None) -> None:
    """Apply ``changes`` to the candidate, creating it from ``base`` if it is new."""
    candidate = await uow.candidates.get(candidate_key(kind, ref))
    if candidate is None and base is None:
        ignored(f"{kind.value}_update", "unknown_candidate", ref=ref)
        return
    if candidate is None:
        candidate = Candidate.model_validate({"ref": ref, "kind": kind, **(base or {}),
                                              **changes})
    else:
        candidate = candidate.model_copy(update=changes)
        candidate = Candidate.model_validate(candidate.model_dump())  # re-check the fields
    await uow.candidates.put(candidate)


async def on_volunteer_registered(event: Received[VolunteerRegistered], uow: UnitOfWork) -> None:
    """A registered volunteer (注册志愿者) enters the matching view."""
    p = event.payload
    changes = {"home": p.unit, "specialties": p.specialties, "platforms": p.platforms,
               **_profile(p)}
    await _upsert(uow, Kind.VOLUNTEER, p.volunteer_id, changes, base={})


async def on_volunteer_updated(event: Received[VolunteerUpdated], uow: UnitOfWork) -> None:
    """A volunteer's changes reach the view; a paused or departed one is never matched."""
    p = event.payload
    fields = {"home": p.unit, "specialties": p.specialties, "platforms": p.platforms}
    changes = {k: v for k, v in fields.items() if v is not None} | _profile(p)
    if p.status is not None:
        changes["active"] = p.status is VolunteerStatus.ACTIVE
    await _upsert(uow, Kind.VOLUNTEER, p.volunteer_id, changes, base=None)


async def on_team_registered(event: Received[TeamRegistered], uow: UnitOfWork) -> None:
    """A volunteer team (志愿服务队) enters the view under its specialty and platform."""
    p = event.payload
    changes = {"home": p.unit, "specialties": [p.specialty], "platforms": [p.platform],
               "leader_id": p.leader_id, **_profile(p)}
    await _upsert(uow, Kind.TEAM, p.team_id, changes, base={})


async def on_team_updated(event: Received[TeamUpdated], uow: UnitOfWork) -> None:
    """A team's leader, activity or matching profile changed."""
    p = event.payload
    changes = _profile(p)
    if p.leader_id is not None:
        changes["leader_id"] = p.leader_id
    if p.active is not None:
        changes["active"] = p.active
    await _upsert(uow, Kind.TEAM, p.team_id, changes, base=None)
