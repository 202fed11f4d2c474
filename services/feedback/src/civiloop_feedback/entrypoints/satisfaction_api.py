"""Satisfaction figures: average, count, share of 4–5 stars and share unrated, per group."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from civiloop_feedback.adapters.unit_of_work import FeedbackUnitOfWork
from civiloop_feedback.app.access import SERVERS, scope_of
from civiloop_feedback.domain.satisfaction import Dimension, Figures, Outcome, Period, figures
from civiloop_platform.auth import Principal
from civiloop_platform.auth.deps import policy
from civiloop_platform.edge.params import Instant
from civiloop_platform.edge.usecase import run

router = APIRouter()
FigureReaders = Annotated[Principal, Depends(policy("satisfaction.read"))]


@router.get("/satisfaction", summary="Satisfaction figures of the caller's unit")
async def satisfaction(request: Request, principal: FigureReaders,
                       by: Dimension = Dimension.STATION, period: Period = Period.ALL,
                       since: Instant | None = None,
                       until: Instant | None = None) -> list[Figures]:
    """Average, count, share of 4–5 stars and share unrated, per group and period."""
    reader = principal
    scope = scope_of(reader)

    async def work(uow: FeedbackUnitOfWork) -> list[Outcome]:
        return await uow.outcomes.find_in(scope, since, until)

    rows = figures(await run(request, work), by, period)
    if reader.role in SERVERS and by is Dimension.VOLUNTEER:
        rows = [row for row in rows if row.key == reader.subject]  # not their teammates'
    return rows
