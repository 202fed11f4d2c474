"""Who may see and change what: volunteers themselves, team leaders their teams, station
operators their station, district admins everything."""

from __future__ import annotations

from civiloop_contracts.values import Role, UnitRef
from civiloop_platform.auth import Principal
from civiloop_volunteers.domain.errors import Forbidden

PERSONAL_ROLES = (Role.VOLUNTEER, Role.TEAM_LEADER)
UNIT_ROLES = (Role.STATION_OPERATOR, Role.DISPATCHER, Role.DISTRICT_ADMIN, Role.SERVICE)


def covers(principal: Principal, unit: UnitRef) -> bool:
    """True when a unit-bound caller (operator, dispatcher, admin) acts for ``unit``."""
    return principal.role in UNIT_ROLES and principal.covers(unit.station, unit.institute)


def require_unit(principal: Principal, unit: UnitRef, what: str) -> None:
    """Refuse a caller who does not act for ``unit``."""
    if not covers(principal, unit):
        where = unit.station or unit.institute or unit.centre
        raise Forbidden(f"{what} belongs to {where}, outside this caller's unit")


def may_see_volunteer(principal: Principal, volunteer_id: str, home: UnitRef,
                      led_member_ids: set[str]) -> bool:
    """Themselves, a leader of one of their teams, their station, or the district."""
    if principal.subject == volunteer_id and principal.role in PERSONAL_ROLES:
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
    itself = principal.subject == volunteer_id and principal.role in PERSONAL_ROLES
    if not itself and not covers(principal, home):
        raise Forbidden(f"volunteer {volunteer_id} is not this caller's to edit")
    if itself and moves_unit:
        raise Forbidden("unit: moving to another station is done by the station or district")


def require_team_manager(principal: Principal, leader_id: str | None, unit: UnitRef,
                         team_id: str) -> None:
    """The team's leader, its unit's operators, or the district."""
    leads = principal.role is Role.TEAM_LEADER and principal.subject == leader_id
    if not leads and not covers(principal, unit):
        raise Forbidden(f"team {team_id} is not this caller's to manage")


def listing_scope(principal: Principal, station: str | None,
                  institute: str | None) -> tuple[str | None, str | None]:
    """The (station, institute) a unit list may show this caller: the asked part of their unit.

    The district and services list anything (nothing asked: the whole district); a caller
    bound to a station lists that station, one bound to an institute that institute or one
    of its stations. Anything else is Forbidden, naming what was asked.
    """
    if principal.role not in UNIT_ROLES:
        raise Forbidden(f"a {principal.role.value} does not list a unit's records")
    if principal.role in (Role.DISTRICT_ADMIN, Role.SERVICE):
        return station, institute
    if principal.station is not None:
        if station not in (None, principal.station) or institute not in (
                None, principal.institute):
            raise Forbidden(f"{station or institute} is outside this caller's station "
                            f"{principal.station}")
        return principal.station, None
    if principal.institute is not None and institute in (None, principal.institute):
        return station, principal.institute  # a station is filtered within the institute
    raise Forbidden(f"{institute or station or 'the district'} is outside this caller's unit")
