"""Use cases of organisations (志愿服务组织): register, change, dissolve, members, figures."""

from __future__ import annotations

from typing import Any

from civiloop_platform.auth import Principal
from civiloop_volunteers.app import access
from civiloop_volunteers.app.common import new_id, now, publish
from civiloop_volunteers.app.listing import Page, RosterEntry
from civiloop_volunteers.app.ports import UnitOfWork as Uow
from civiloop_volunteers.app.registry import require_registered
from civiloop_volunteers.domain.errors import NotFound
from civiloop_volunteers.domain.organisations import (
    Membership,
    NewOrganisation,
    Organisation,
    OrganisationChanges,
)


async def register(uow: Uow, principal: Principal, new: NewOrganisation) -> Organisation:
    """Register a volunteer organisation under a unit the caller acts for."""
    access.require_unit(principal, new.unit, "the organisation's unit")
    organisation = Organisation(organisation_id=new_id("org"), **new.model_dump())
    await uow.organisations.add(organisation)
    publish(uow, organisation.event())
    return organisation


async def load(uow: Uow, principal: Principal, organisation_id: str) -> Organisation:
    """The organisation, if it lies in the caller's unit (NotFound, Forbidden otherwise)."""
    organisation = await uow.organisations.get(organisation_id)
    if organisation is None:
        raise NotFound(f"organisation {organisation_id} does not exist")
    access.require_unit(principal, organisation.unit, f"organisation {organisation_id}")
    return organisation


async def change(uow: Uow, principal: Principal, organisation_id: str,
                 changes: OrganisationChanges) -> Organisation:
    """Rename, re-kind or re-specialise an active organisation."""
    organisation = await load(uow, principal, organisation_id)
    event = organisation.change(changes)
    await uow.organisations.save(organisation)
    publish(uow, event)
    return organisation


async def dissolve(uow: Uow, principal: Principal, organisation_id: str,
                   reason: str) -> Organisation:
    """注销: stop the organisation for good; its teams stay, no longer naming a live body."""
    organisation = await load(uow, principal, organisation_id)
    event = organisation.dissolve(reason, now())
    await uow.organisations.save(organisation)
    publish(uow, event)
    return organisation


async def join(uow: Uow, principal: Principal, organisation_id: str,
               volunteer_ids: list[str]) -> Organisation:
    """Add registered volunteers as members (those already members stay as they are)."""
    organisation = await load(uow, principal, organisation_id)
    await require_registered(uow, volunteer_ids)
    at = now()
    await uow.memberships.add_all_if_absent([Membership(
        membership_id=Membership.key(organisation_id, volunteer_id),
        organisation_id=organisation_id, volunteer_id=volunteer_id, joined_at=at)
        for volunteer_id in dict.fromkeys(volunteer_ids)])
    return await _recount(uow, organisation)


async def leave(uow: Uow, principal: Principal, organisation_id: str,
                volunteer_ids: list[str]) -> Organisation:
    """Remove members (those not members are ignored)."""
    organisation = await load(uow, principal, organisation_id)
    keys = [Membership.key(organisation_id, v) for v in volunteer_ids]
    await uow.memberships.remove(keys)
    return await _recount(uow, organisation)


async def _recount(uow: Uow, organisation: Organisation) -> Organisation:
    event = organisation.recount(await uow.memberships.count_of(organisation.organisation_id))
    await uow.organisations.save(organisation)
    publish(uow, event)
    return organisation


async def members(uow: Uow, principal: Principal, organisation_id: str, page: int,
                  page_size: int) -> Page:
    """One page of the organisation's members as their unit's staff see them (phones masked)."""
    await load(uow, principal, organisation_id)
    found, total = await uow.memberships.page({"organisation_id": organisation_id},
                                              (page - 1) * page_size, page_size)
    volunteers = {v.volunteer_id: v for v in await uow.volunteers.find(
        {"_id": {"$in": [m.volunteer_id for m in found]}})}
    items = [RosterEntry.of(volunteers[m.volunteer_id]).model_dump(mode="json")
             for m in found if m.volunteer_id in volunteers]
    return Page(items=items, total=total, page=page, page_size=page_size)


async def figures(uow: Uow, principal: Principal, organisation_id: str) -> dict[str, Any]:
    """The organisation's members, teams and counted hours (by its members, by its teams)."""
    organisation = await load(uow, principal, organisation_id)
    teams = await uow.teams.find({"organisation_id": organisation_id})
    member_ids = await uow.memberships.member_ids(organisation_id)
    by_members = await uow.hours.totals(None, {"volunteer_id": {"$in": member_ids}})
    by_teams = await uow.hours.totals(None, {"team_id": {"$in": [t.team_id for t in teams]}})
    none = {"hours": 0.0, "entries": 0, "volunteers": 0}
    return {"organisation_id": organisation_id, "active": organisation.active,
            "members": len(member_ids), "teams": len(teams),
            "active_teams": sum(1 for t in teams if t.active),
            "members_hours": (by_members or [none])[0]["hours"],
            "members_serving": (by_members or [none])[0]["volunteers"],
            "teams_hours": (by_teams or [none])[0]["hours"]}
