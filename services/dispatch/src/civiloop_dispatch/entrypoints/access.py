"""Who may see and change which orders: role, then station or institute (站/所), else the centre."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException, status

from civiloop_contracts.values import Role, UnitRef
from civiloop_platform.auth import Principal
from civiloop_platform.auth.deps import require_roles

VIEWERS = require_roles(Role.DISPATCHER, Role.STATION_OPERATOR, Role.DISTRICT_ADMIN)
"""The console's readers: dispatchers, station operators (their station), the district admin."""
ACTORS = require_roles(Role.DISPATCHER, Role.DISTRICT_ADMIN)
"""Who may dispatch by hand or take an order back."""


@dataclass(frozen=True)
class Scope:
    """The units a caller acts for: one station, one institute, or (neither) the district."""

    station: str | None = None
    institute: str | None = None

    def covers(self, unit: UnitRef) -> bool:
        """True when ``unit`` lies inside this scope."""
        if self.station is not None:
            return unit.station == self.station
        if self.institute is not None:
            return unit.institute == self.institute
        return True


def scope_of(principal: Principal) -> Scope:
    """The caller's scope: the district admin and centre dispatchers see the whole district.

    A token naming a station or an institute binds the caller to it; a station operator
    with neither is refused.
    """
    if principal.role is Role.DISTRICT_ADMIN:
        return Scope()
    if principal.station is not None:
        return Scope(station=principal.station)
    if principal.institute is not None:
        return Scope(institute=principal.institute)
    if principal.role is Role.DISPATCHER:
        return Scope()  # a centre (中心) dispatcher
    raise HTTPException(status.HTTP_403_FORBIDDEN,
                        f"a {principal.role.value} token must name a station")


def require_covers(principal: Principal, unit: UnitRef, order_id: str) -> None:
    """403 unless the order's unit is inside the caller's scope."""
    if not scope_of(principal).covers(unit):
        raise HTTPException(status.HTTP_403_FORBIDDEN,
                            f"order {order_id} at station {unit.station} is outside this "
                            "caller's unit")
