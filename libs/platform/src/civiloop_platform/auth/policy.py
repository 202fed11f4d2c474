"""Who may do what: one table for every route of every service, and the rule binding roles to units.

Routes name their entry (``policy("hours.totals")``); use cases apply the caller's scope to
the unit they load, or narrow a listing with it. docs/architecture.md "Access" shows the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from civiloop_contracts.values import Role
from civiloop_platform.auth.scope import EVERYWHERE, NOWHERE, AccessDenied, Scope

if TYPE_CHECKING:
    from civiloop_platform.auth.tokens import Principal

RESIDENT, VOLUNTEER, LEADER = Role.RESIDENT, Role.VOLUNTEER, Role.TEAM_LEADER
OPERATOR, DISPATCHER, ADMIN = Role.STATION_OPERATOR, Role.DISPATCHER, Role.DISTRICT_ADMIN
EVERYONE = frozenset(Role)
PEOPLE = frozenset({RESIDENT, VOLUNTEER, LEADER})
"""Roles that reach records by who they are (their orders, offers, teams), never by unit."""
UNIT_BOUND = frozenset({OPERATOR, DISPATCHER})
"""Roles refused everywhere unless their token names their unit."""


class Reach(StrEnum):
    """How far an allowed role reaches."""

    PUBLIC = "public"  # no token needed
    ANY = "any"  # any caller of the roles; the unit does not matter
    UNIT = "unit"  # the record's unit (or person) must be the caller's: 403 otherwise
    LIST = "list"  # a listing narrowed to the caller: other units' records are not in it


@dataclass(frozen=True)
class Rule:
    """The roles allowed, how far they reach, and what the route does (for the docs)."""

    roles: frozenset[Role]
    reach: Reach
    does: str
    parts: tuple[str, ...] = ()
    """Rules the use case applies by what is asked (hours totals by person or by unit)."""


def _rule(roles: set[Role] | frozenset[Role], reach: Reach, does: str,
          parts: tuple[str, ...] = ()) -> Rule:
    return Rule(frozenset(roles), reach, does, parts)


NOBODY: set[Role] = set()  # for public rules: no token, so no role
DESK = {OPERATOR, DISPATCHER, ADMIN}
"""People at a station, institute or centre desk."""
STAFF = DESK | {Role.SERVICE}
SERVERS = {VOLUNTEER, LEADER}
UNIT, LIST, ANY, PUBLIC = Reach.UNIT, Reach.LIST, Reach.ANY, Reach.PUBLIC

POLICY: dict[str, Rule] = {
    "operations": _rule(NOBODY, PUBLIC, "health, readiness and metrics"),
    "auth.me": _rule(EVERYONE, ANY, "tell who a token says the caller is (sign-in)"),
    "auth.dev_token": _rule(NOBODY, PUBLIC, "mint a development token (refused in "
                            "production)"),
    # requests
    "orders.place": _rule({RESIDENT, OPERATOR}, UNIT, "place an order at a station"),
    "orders.read": _rule(EVERYONE, UNIT, "read an order and its timeline"),
    "orders.list": _rule(EVERYONE, LIST, "list orders"),
    "open311.read": _rule(NOBODY, PUBLIC, "read Open311 requests: anyone masked, a key's own "
                          "orders in full"),
    "orders.cancel": _rule({RESIDENT, OPERATOR}, UNIT, "cancel an order"),
    "units.read": _rule(EVERYONE, ANY, "read the units tree (codes, names, parents)"),
    "units.manage": _rule({ADMIN}, ANY, "add or change a unit of the tree"),
    "menu.read": _rule(NOBODY, PUBLIC, "read the service menu (and Open311's service list)"),
    "menu.manage": _rule({ADMIN}, ANY, "add, change or retire a menu category"),
    "surveys.publish": _rule({OPERATOR, ADMIN}, UNIT, "publish a needs survey"),
    "surveys.list": _rule({RESIDENT} | STAFF, LIST, "list a station's surveys (a resident "
                          "their own station's)"),
    "surveys.read": _rule(EVERYONE, ANY, "read a survey"),
    "surveys.answer": _rule({RESIDENT}, ANY, "answer a survey"),
    "surveys.rank": _rule(DESK, UNIT, "read a survey's demand ranking"),
    "surveys.rollup": _rule(DESK, LIST, "roll demand up over a unit's surveys"),
    "surveys.order": _rule({OPERATOR, ADMIN}, UNIT, "order a group activity from a survey"),
    "surveys.activity": _rule({OPERATOR, ADMIN}, UNIT, "plan an activity from a survey's "
                              "top demand"),
    "activities.browse": _rule(EVERYONE, ANY, "browse published activities (公告) and one's "
                               "own sign-ups"),
    "activities.organised": _rule(DESK, LIST, "list a unit's activities in every state"),
    "activities.plan": _rule({OPERATOR, ADMIN}, UNIT, "plan, publish or cancel an activity"),
    "activities.attendance": _rule({OPERATOR, ADMIN}, UNIT, "take an activity's attendance "
                                   "(check-in code, list) and close it"),
    "activities.join": _rule({RESIDENT}, ANY, "sign up for an activity, cancel, check in "
                             "with its code"),
    "activities.staff": _rule(SERVERS, ANY, "sign up as an activity's staff, cancel, check "
                              "in and out"),
    # dispatch
    "dispatch.read": _rule(DESK, UNIT, "read an order's case and candidates"),
    "dispatch.queue": _rule(DESK, LIST, "list the dispatch queue"),
    "dispatch.act": _rule({DISPATCHER, ADMIN}, UNIT, "dispatch by hand or take an order back"),
    "dispatch.fairness": _rule(DESK, LIST, "read work per volunteer or team"),
    # volunteers
    "volunteers.register": _rule(STAFF, UNIT, "register a volunteer"),
    "volunteers.read": _rule(SERVERS | STAFF, UNIT, "read a volunteer and their hours"),
    "volunteers.edit": _rule(SERVERS | STAFF, UNIT, "edit a volunteer"),
    "volunteers.record": _rule(SERVERS, UNIT, "download one's own record"),
    "teams.register": _rule(STAFF, UNIT, "form a team"),
    "teams.read": _rule(SERVERS | STAFF, UNIT, "read a team"),
    "teams.edit": _rule({LEADER} | STAFF, UNIT, "change a team"),
    "organisations.register": _rule(STAFF, UNIT, "register an organisation"),
    "organisations.read": _rule(STAFF, UNIT, "read an organisation, its figures and members"),
    "organisations.edit": _rule(STAFF, UNIT, "change or dissolve an organisation, add or "
                                "remove members"),
    "volunteers.list": _rule(STAFF, LIST, "list a unit's volunteers (phones masked, no ID "
                             "numbers), services, teams and organisations"),
    "imports.start": _rule(STAFF, ANY, "import volunteers or teams (each row is checked "
                           "like a registration)"),
    "imports.read": _rule(STAFF, UNIT, "follow an import"),
    "offers.mine": _rule(SERVERS, LIST, "list one's offers"),
    "offers.answer": _rule(SERVERS | STAFF, UNIT, "accept or decline an offer"),
    "service.serve": _rule(SERVERS | STAFF, UNIT, "check in, check out, complete"),
    "service.read": _rule(SERVERS | STAFF, UNIT, "read an order's service (check-ins, "
                          "check-outs, result)"),
    "orders.servers": _rule(EVERYONE, UNIT, "see who serves an order (names masked)"),
    "hours.claim": _rule(SERVERS | STAFF, UNIT, "fill in hours afterwards"),
    "hours.decide": _rule({LEADER} | STAFF, UNIT, "approve or reject filled-in hours"),
    "hours.sheets": _rule(STAFF, UNIT, "record an activity's attendance sheet (many "
                          "volunteers' hours, approved by the recording station)"),
    "hours.totals": _rule(SERVERS | STAFF, UNIT, "total counted hours",
                          parts=("volunteers.read", "teams.read", "hours.totals.units")),
    "hours.totals.units": _rule(STAFF, LIST, "total hours by station, institute or district"),
    "honours.board": _rule(NOBODY, PUBLIC, "read the good-deeds board"),
    "honours.manage": _rule({ADMIN}, UNIT, "award or revoke an honour; review a nomination, "
                            "resolve its objections, award or withdraw it"),
    "honours.nominate": _rule(DESK, UNIT, "nominate someone for an honour"),
    "honours.nominations": _rule(DESK, LIST, "list a unit's nominations for honours"),
    "honours.nominations.read": _rule(DESK, UNIT, "read a nomination and its objections"),
    "honours.object": _rule(EVERYONE, ANY, "object to a nomination in its public notice"),
    # feedback
    "ratings.give": _rule({RESIDENT, OPERATOR}, UNIT, "rate an order or change the rating"),
    "ratings.read": _rule(EVERYONE, UNIT, "read an order's rating"),
    "ratings.list": _rule(EVERYONE, LIST, "list ratings"),
    "activities.rate": _rule({RESIDENT}, UNIT, "rate an activity one attended, once (its "
                             "attendees only)"),
    "activities.ratings": _rule(DESK, UNIT, "read an activity's ratings (no resident ids)"),
    "follow_ups.list": _rule(DESK, LIST, "list follow-ups"),
    "follow_ups.work": _rule(DESK, UNIT, "read, assign, note or resolve a follow-up"),
    "satisfaction.read": _rule(SERVERS | STAFF, LIST, "read satisfaction figures"),
    # stats
    "stats.units": _rule(STAFF, LIST, "read the units tree"),
    "stats.units.manage": _rule({ADMIN}, ANY, "create or change a unit"),
    "stats.figures": _rule(STAFF, UNIT, "read a unit's figures and tables"),
    "stats.public": _rule(NOBODY, PUBLIC, "the public board, dashboard and definitions"),
}

def scope_for(role: Role, centre: str | None, institute: str | None,
              station: str | None) -> Scope:
    """Where a caller with these claims acts; AccessDenied for a unit-bound role without a unit.

    Services cover everything; the district admin its district (one per deployment, or the
    centre its token names); station operators their station; dispatchers the deepest unit
    their token names; residents, volunteers and team leaders no unit (only their own records).
    """
    if role is Role.SERVICE:
        return EVERYWHERE
    if role in PEOPLE:
        return NOWHERE
    if role is Role.STATION_OPERATOR and station is None:
        raise AccessDenied("a station_operator token must name its station (and institute)")
    if role is Role.DISPATCHER and not (station or institute or centre):
        raise AccessDenied("a dispatcher token must name its institute or centre (or station)")
    return Scope(centre=centre, institute=institute, station=station)


def authorize(principal: Principal, name: str) -> Principal:
    """``principal`` if policy ``name`` admits its role and its token binds it as it must."""
    rule = POLICY[name]
    if rule.reach is not Reach.PUBLIC and principal.role not in rule.roles:
        allowed = ", ".join(sorted(r.value for r in rule.roles))
        raise AccessDenied(f"role {principal.role.value} may not {rule.does} "
                           f"(needs: {allowed})")
    _ = principal.scope  # a unit-bound role without a unit is refused everywhere
    return principal
