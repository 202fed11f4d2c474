"""Volunteers, teams, organisations, honours and approved hours from ``volunteers.events.v1``."""

from __future__ import annotations

from civiloop_contracts.events.service import ServiceHoursApproved
from civiloop_contracts.events.volunteers import (
    HonourAwarded,
    HonourRevoked,
    OrganisationRegistered,
    OrganisationUpdated,
    TeamRegistered,
    TeamUpdated,
    VolunteerRegistered,
    VolunteerUpdated,
)
from civiloop_contracts.payload import Payload
from civiloop_platform.messages import Handler, Received
from civiloop_stats.adapters.read_models import place
from civiloop_stats.app.ports import UnitOfWork


async def on_volunteer_registered(event: Received[VolunteerRegistered], uow: UnitOfWork) -> None:
    """注册志愿者: a volunteer joins, in a unit, active."""
    p = event.payload
    await uow.models.volunteer(p.volunteer_id, event.envelope.time, registered=True,
                               unit=p.unit, status="active")


async def on_volunteer_updated(event: Received[VolunteerUpdated], uow: UnitOfWork) -> None:
    """A volunteer moved unit, changed status (left, paused, active) or star level."""
    p = event.payload
    await uow.models.volunteer(p.volunteer_id, event.envelope.time, unit=p.unit,
                               status=p.status.value if p.status else None,
                               stars=p.star_level)


async def on_team_registered(event: Received[TeamRegistered], uow: UnitOfWork) -> None:
    """志愿服务队: a team is formed under a platform, in a unit."""
    p = event.payload
    await uow.models.entity("teams", p.team_id, {
        "place": place(p.unit), "platform": p.platform.value, "specialty": p.specialty.value},
        first={"registered_at": event.envelope.time})


async def on_team_updated(event: Received[TeamUpdated], uow: UnitOfWork) -> None:
    """A team was set active or inactive (other changes do not move figures)."""
    if event.payload.active is None:
        return
    await uow.models.entity("teams", event.payload.team_id, {},
                            history={"actives": (event.envelope.time, event.payload.active)})


async def on_organisation_registered(event: Received[OrganisationRegistered],
                                     uow: UnitOfWork) -> None:
    """志愿服务组织: an organisation is registered in a unit."""
    p = event.payload
    await uow.models.entity("organisations", p.organisation_id, {"place": place(p.unit)},
                            first={"registered_at": event.envelope.time})


async def on_organisation_updated(event: Received[OrganisationUpdated],
                                  uow: UnitOfWork) -> None:
    """An organisation dissolved (注销) stops counting from then; other changes move nothing."""
    if event.payload.active is not False:
        return
    await uow.models.entity("organisations", event.payload.organisation_id, {},
                            first={"dissolved_at": event.envelope.time})


async def on_honour_awarded(event: Received[HonourAwarded], uow: UnitOfWork) -> None:
    """先进典型: someone is named on the good-deeds board (masked name only)."""
    p = event.payload
    await uow.models.entity("honours", p.honour_id, {
        "title": p.district_title or p.title.value, "level": p.level.value, "year": p.year,
        "holder_name": p.holder_name, "place": place(p.unit)},
        first={"awarded_at": event.envelope.time})


async def on_honour_revoked(event: Received[HonourRevoked], uow: UnitOfWork) -> None:
    """An honour is withdrawn from the board."""
    await uow.models.entity("honours", event.payload.honour_id, {},
                            first={"revoked_at": event.envelope.time})


async def on_hours_approved(event: Received[ServiceHoursApproved], uow: UnitOfWork) -> None:
    """Approved hours, one line per order and volunteer; a later approval replaces it."""
    p = event.payload
    for line in p.hours:
        await uow.models.entity(
            "hours", f"{p.order_id}:{line.volunteer_id}",
            {"order_id": p.order_id, "volunteer_id": line.volunteer_id},
            history={"approvals": (event.envelope.time, line.hours)})


PEOPLE_HANDLERS: dict[type[Payload], Handler] = {
    VolunteerRegistered: on_volunteer_registered, VolunteerUpdated: on_volunteer_updated,
    TeamRegistered: on_team_registered, TeamUpdated: on_team_updated,
    OrganisationRegistered: on_organisation_registered,
    OrganisationUpdated: on_organisation_updated, HonourAwarded: on_honour_awarded,
    HonourRevoked: on_honour_revoked, ServiceHoursApproved: on_hours_approved,
}
