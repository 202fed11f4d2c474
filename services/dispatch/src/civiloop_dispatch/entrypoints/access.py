"""Who may see and change which orders: the policies of the console, and the case's unit."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from civiloop_contracts.values import UnitRef
from civiloop_platform.auth import Principal
from civiloop_platform.auth.deps import policy

Reader = Annotated[Principal, Depends(policy("dispatch.read"))]
"""An order's case and candidates: dispatchers, station operators (their station), the admin."""
Queue = Annotated[Principal, Depends(policy("dispatch.queue"))]
Fairness = Annotated[Principal, Depends(policy("dispatch.fairness"))]
Actor = Annotated[Principal, Depends(policy("dispatch.act"))]
"""Who may dispatch by hand or take an order back."""


def require_covers(principal: Principal, unit: UnitRef, order_id: str) -> None:
    """403 unless the order's unit is inside the caller's scope."""
    principal.scope.require(unit, f"order {order_id}")
