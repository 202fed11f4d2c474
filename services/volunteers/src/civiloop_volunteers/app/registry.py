"""Use cases of the registry: volunteers, teams and organisations (注册志愿者, 志愿服务队, 组织)."""

from __future__ import annotations

from collections.abc import Sequence

from civiloop_contracts.events.volunteers import VolunteerUpdated
from civiloop_contracts.values import Role
from civiloop_platform.auth import Principal
from civiloop_volunteers.app import access
from civiloop_volunteers.app.common import new_id, now, publish
from civiloop_volunteers.app.ports import UnitOfWork as Uow
from civiloop_volunteers.domain.errors import Conflict, DomainError, NotFound
from civiloop_volunteers.domain.identity import id_key
from civiloop_volunteers.domain.teams import NewTeam, Team, TeamChanges, change_team
from civiloop_volunteers.domain.volunteer import Changes, NewVolunteer, Volunteer, change, register


async def register_volunteer(uow: Uow, principal: Principal, new: NewVolunteer) -> Volunteer:
    """Register a person once: a second registration is a 409 naming the first."""
    access.require_unit(principal, new.unit, "the volunteer's home station")
    for existing in await uow.volunteers.same_person(id_key(new.id_type, new.id_number),
                                                     new.volunteer_number):
        same = ("volunteer number" if existing.volunteer_number == new.volunteer_number
                and new.volunteer_number else "ID number")
        raise Conflict(f"already registered as volunteer {existing.volunteer_id} "
                       f"(same {same})")
    volunteer, event = register(new_id("vol"), new, now())
    await uow.volunteers.add(volunteer)
    publish(uow, event)
    return volunteer


async def register_volunteers(uow: Uow, principal: Principal,
                              news: Sequence[NewVolunteer]) -> list[Volunteer | DomainError]:
    """Register many people in one read and one write (an import's chunk), each refused alone
    as ``register_volunteer`` would refuse it, one after the other, with the same reason."""
    keys = [id_key(new.id_type, new.id_number) for new in news]
    known = await uow.volunteers.same_people(
        keys, [new.volunteer_number for new in news if new.volunteer_number])
    by_key = {v.id_key: v.volunteer_id for v in known}
    by_number = {v.volunteer_number: v.volunteer_id for v in known if v.volunteer_number}
    results: list[Volunteer | DomainError] = []
    for new, key in zip(news, keys, strict=True):
        try:
            access.require_unit(principal, new.unit, "the volunteer's home station")
            _require_new(by_key.get(key), by_number.get(new.volunteer_number or ""))
        except DomainError as exc:
            results.append(exc)
            continue
        volunteer, event = register(new_id("vol"), new, now())
        by_key[key] = volunteer.volunteer_id  # a later row of the same person is refused
        if new.volunteer_number:
            by_number[new.volunteer_number] = volunteer.volunteer_id
        publish(uow, event)
        results.append(volunteer)
    if fresh := [r for r in results if isinstance(r, Volunteer)]:
        await uow.volunteers.add_all(fresh)
    return results


def _require_new(same_id: str | None, same_number: str | None) -> None:
    """Conflict naming the volunteer already registered with this number or ID document."""
    if same_number is not None:
        raise Conflict(f"already registered as volunteer {same_number} (same volunteer number)")
    if same_id is not None:
        raise Conflict(f"already registered as volunteer {same_id} (same ID number)")


async def load_volunteer(uow: Uow, volunteer_id: str) -> Volunteer:
    """The volunteer, or NotFound naming the id."""
    volunteer = await uow.volunteers.get(volunteer_id)
    if volunteer is None:
        raise NotFound(f"volunteer {volunteer_id} is not registered")
    return volunteer


async def led_members(uow: Uow, principal: Principal) -> set[str]:
    """Members of the teams the caller leads (nobody, unless the caller is a team leader)."""
    if principal.role is not Role.TEAM_LEADER:
        return set()
    return {m for team in await uow.teams.led_by(principal.subject) for m in team.member_ids}


async def see_volunteer(uow: Uow, principal: Principal, volunteer_id: str) -> Volunteer:
    """The volunteer, if the caller may see them."""
    volunteer = await load_volunteer(uow, volunteer_id)
    access.require_see_volunteer(principal, volunteer_id, volunteer.unit,
                                 await led_members(uow, principal))
    return volunteer


async def edit_volunteer(uow: Uow, principal: Principal, volunteer_id: str,
                         changes: Changes) -> Volunteer:
    """Apply an edit by the volunteer or their station; announce what others may know."""
    volunteer = await load_volunteer(uow, volunteer_id)
    moves = changes.unit is not None and changes.unit != volunteer.unit
    access.require_edit_volunteer(principal, volunteer_id, volunteer.unit, moves)
    if moves and changes.unit is not None:
        access.require_unit(principal, changes.unit, "the new home station")
    updated, event = change(volunteer, changes)
    await uow.volunteers.save(updated)
    publish(uow, event)
    return updated


async def register_team(uow: Uow, principal: Principal, new: NewTeam) -> Team:
    """Form a team of registered volunteers under a unit the caller acts for."""
    access.require_unit(principal, new.unit, "the team's unit")
    await require_registered(uow, new.member_ids)
    if new.organisation_id is not None:
        await _require_active_organisation(uow, new.organisation_id)
    team = Team(team_id=new_id("team"), **new.model_dump())
    await uow.teams.add(team)
    publish(uow, team.registered())
    await _announce_memberships(uow, set(team.member_ids))
    return team


async def load_team(uow: Uow, team_id: str) -> Team:
    """The team, or NotFound naming the id."""
    team = await uow.teams.get(team_id)
    if team is None:
        raise NotFound(f"team {team_id} does not exist")
    return team


async def see_team(uow: Uow, principal: Principal, team_id: str) -> Team:
    """The team, for its members and leader, its unit or the district."""
    team = await load_team(uow, team_id)
    access.require_team_reader(principal, team.leader_id, team.member_ids, team.unit, team_id)
    return team


async def edit_team(uow: Uow, principal: Principal, team_id: str, changes: TeamChanges) -> Team:
    """Change a team (its leader, its station or the district); members learn their teams."""
    team = await load_team(uow, team_id)
    access.require_team_manager(principal, team.leader_id, team.unit, team_id)
    await require_registered(uow, changes.add_member_ids)
    updated, event, moved = change_team(team, changes)
    await uow.teams.save(updated)
    publish(uow, event)
    await _announce_memberships(uow, moved)
    return updated


async def require_registered(uow: Uow, volunteer_ids: list[str]) -> None:
    """NotFound naming the first of ``volunteer_ids`` that is not registered."""
    found = {v.volunteer_id for v in await uow.volunteers.find({"_id": {"$in": volunteer_ids}})}
    for volunteer_id in volunteer_ids:
        if volunteer_id not in found:
            raise NotFound(f"volunteer {volunteer_id} is not registered")


async def _require_active_organisation(uow: Uow, organisation_id: str) -> None:
    organisation = await uow.organisations.get(organisation_id)
    if organisation is None:
        raise NotFound(f"organisation {organisation_id} does not exist")
    if not organisation.active:
        raise Conflict(f"organisation {organisation_id} was dissolved")


async def _announce_memberships(uow: Uow, volunteer_ids: set[str]) -> None:
    """VolunteerUpdated(team_ids) for each volunteer whose teams changed."""
    for volunteer_id in sorted(volunteer_ids):
        teams = [t.team_id for t in await uow.teams.of_member(volunteer_id)]
        publish(uow, VolunteerUpdated(volunteer_id=volunteer_id, team_ids=teams[:20]))
