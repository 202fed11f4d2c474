"""Who may see and change what: volunteers themselves, team leaders and members their teams,
staff the units their scope covers (civiloop_platform.auth.policy), the district everything."""

from __future__ import annotations

from civiloop_contracts.values import Role, UnitRef
from civiloop_platform.auth import Principal
from civiloop_volunteers.domain.errors import Forbidden

PERSONAL_ROLES = (Role.VOLUNTEER, Role.TEAM_LEADER)


def covers(principal: Principal, unit: UnitRef) -> bool:
    """True when staff act for ``unit`` (volunteers and leaders never act for a unit)."""
    return principal.covers(unit)


def require_unit(principal: Principal, unit: UnitRef, what: str) -> None:
    """Refuse a caller who does not act for ``unit``."""
    if not covers(principal, unit):
        where = unit.station or unit.institute or unit.centre
        raise Forbidden(f"{what} belongs to {where}, outside this caller's unit")


def is_self(principal: Principal, volunteer_id: str) -> bool:
    """True when the caller is this volunteer (as a volunteer or a team leader)."""
    return principal.subject == volunteer_id and principal.role in PERSONAL_ROLES


def may_see_volunteer(principal: Principal, volunteer_id: str, home: UnitRef,
                      led_member_ids: set[str]) -> bool:
    """Themselves, a leader of one of their teams, their station, or the district."""
    if is_self(principal, volunteer_id):
        return True
    if principal.role is Role.TEAM_LEADER and volunteer_id in led_member_ids:
        return True
    return covers(principal, home)


def require_see_volunteer(principal: Principal, volunteer_id: str, home: UnitRef,
                          led_member_ids: set[str]) -> None:
    """Refuse a caller who may not see this volunteer's record."""
    if not may_see_volunteer(principal, volunteer_id, home, led_member_ids):
        raise Forbidden(f"volunteer {volunteer_id} is not this caller's to see")


def require_edit_volunteer(principal: Principal, volunteer_id: str, home: UnitRef,
                           moves_unit: bool) -> None:
    """Themselves or their station; moving to another station takes the station or district."""
    itself = is_self(principal, volunteer_id)
    if not itself and not covers(principal, home):
        raise Forbidden(f"volunteer {volunteer_id} is not this caller's to edit")
    if itself and moves_unit:
        raise Forbidden("unit: moving to another station is done by the station or district")


def require_team_manager(principal: Principal, leader_id: str | None, unit: UnitRef,
                         team_id: str) -> None:
    """The team's leader, its unit's staff, or the district."""
    leads = principal.role is Role.TEAM_LEADER and principal.subject == leader_id
    if not leads and not covers(principal, unit):
        raise Forbidden(f"team {team_id} is not this caller's to manage")


def require_team_reader(principal: Principal, leader_id: str | None, member_ids: list[str],
                        unit: UnitRef, team_id: str) -> None:
    """Its members and leader, its unit's staff, or the district."""
    member = principal.role in PERSONAL_ROLES and principal.subject in member_ids
    if not member:
        require_team_manager(principal, leader_id, unit, team_id)
