"""What every route shares: the caller allowed by a policy, and the settings it reads."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from civiloop_platform.auth import Principal
from civiloop_platform.auth.deps import policy

Registrar = Annotated[Principal, Depends(policy("volunteers.register"))]
Reader = Annotated[Principal, Depends(policy("volunteers.read"))]
Editor = Annotated[Principal, Depends(policy("volunteers.edit"))]
Owner = Annotated[Principal, Depends(policy("volunteers.record"))]
TeamFounder = Annotated[Principal, Depends(policy("teams.register"))]
TeamReader = Annotated[Principal, Depends(policy("teams.read"))]
TeamEditor = Annotated[Principal, Depends(policy("teams.edit"))]
OrgFounder = Annotated[Principal, Depends(policy("organisations.register"))]
Importer = Annotated[Principal, Depends(policy("imports.start"))]
ImportReader = Annotated[Principal, Depends(policy("imports.read"))]
OfferReader = Annotated[Principal, Depends(policy("offers.mine"))]
Answerer = Annotated[Principal, Depends(policy("offers.answer"))]
Server = Annotated[Principal, Depends(policy("service.serve"))]
Claimer = Annotated[Principal, Depends(policy("hours.claim"))]
Approver = Annotated[Principal, Depends(policy("hours.decide"))]
Recorder = Annotated[Principal, Depends(policy("hours.sheets"))]
Totals = Annotated[Principal, Depends(policy("hours.totals"))]
UnitLister = Annotated[Principal, Depends(policy("volunteers.list"))]
HonoursAdmin = Annotated[Principal, Depends(policy("honours.manage"))]
PUBLIC_BOARD = [Depends(policy("honours.board"))]


def thresholds(request: Request) -> tuple[float, ...]:
    """The configured star-level thresholds, in approved hours."""
    return tuple(request.app.state.runtime.settings.star_thresholds_h)


def margin(request: Request) -> float:
    """The configured margin, in hours, a service may run past its order's window."""
    return float(request.app.state.runtime.settings.hours_margin_h)
