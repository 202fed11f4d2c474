"""Who calls in the matrix: per role, the fixture's own person or unit, a stranger, and a
unit-bound role whose token names no unit."""

from __future__ import annotations

from dataclasses import dataclass, field

from civiloop_contracts.values import Role
from civiloop_platform.auth.policy import UNIT_BOUND
from tests.access.world import World, bearer

OWN, OTHER, UNBOUND = "own", "other", "unbound"


@dataclass(frozen=True)
class Caller:
    """A role, how it relates to station A's data, and its token's subject and claims."""

    role: Role
    kind: str
    subject: str
    claims: dict[str, str] = field(default_factory=dict)

    def headers(self) -> dict[str, str]:
        """The Authorization header of its token."""
        return bearer(self.role.value, self.subject, self.claims.get("station"),
                      self.claims.get("institute"), self.claims.get("centre"))

    def __str__(self) -> str:
        units = ",".join(f"{k}={v}" for k, v in self.claims.items())
        return f"{self.kind} {self.role.value}({self.subject}{' ' + units if units else ''})"


def callers(world: World) -> list[Caller]:
    """Everyone the matrix sends: own and other per role, and unbound unit-bound roles."""
    c = world.codes
    own = [
        Caller(Role.RESIDENT, OWN, world.R, {"station": c.A, "institute": c.I}),
        Caller(Role.VOLUNTEER, OWN, world.V),
        Caller(Role.TEAM_LEADER, OWN, world.V),  # V leads team T and serves O1-O3
        Caller(Role.STATION_OPERATOR, OWN, "op-a", {"station": c.A, "institute": c.I,
                                                     "centre": c.C}),
        Caller(Role.DISPATCHER, OWN, "disp-i", {"institute": c.I, "centre": c.C}),
        Caller(Role.DISPATCHER, OWN, "disp-c", {"centre": c.C}),  # the centre's
        Caller(Role.DISTRICT_ADMIN, OWN, "admin"),
        Caller(Role.SERVICE, OWN, "svc"),
    ]
    other = [
        Caller(Role.RESIDENT, OTHER, f"res-x-{c.run}", {"station": c.B, "institute": c.J}),
        Caller(Role.VOLUNTEER, OTHER, f"vol-x-{c.run}"),
        Caller(Role.TEAM_LEADER, OTHER, f"lead-x-{c.run}"),
        Caller(Role.STATION_OPERATOR, OTHER, "op-b", {"station": c.B, "institute": c.J,
                                                       "centre": c.C}),
        Caller(Role.DISPATCHER, OTHER, "disp-j", {"institute": c.J, "centre": c.C}),
        Caller(Role.DISPATCHER, OTHER, "disp-d", {"centre": c.D}),
        Caller(Role.DISTRICT_ADMIN, OTHER, "admin-d", {"centre": c.D}),
    ]
    unbound = [Caller(role, UNBOUND, f"{role.value}-nowhere") for role in sorted(UNIT_BOUND)]
    unbound.append(Caller(Role.STATION_OPERATOR, UNBOUND, "op-institute", {"institute": c.I}))
    return own + other + unbound
