"""Request and response bodies of the dispatcher console."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, Field

from civiloop_contracts.events.dispatch import AssignMode, ScoreReason
from civiloop_contracts.values import Id, UnitLevel, UnitRef
from civiloop_dispatch.domain.candidates import Kind
from civiloop_dispatch.domain.case import Case, CaseStatus
from civiloop_dispatch.domain.fairness import Spread

Reason = Annotated[str, Field(min_length=3, max_length=200, description="Why, for the record.")]


class OfferView(BaseModel):
    """The assignment in force."""

    assignment_id: str
    mode: AssignMode
    kind: Kind
    assignees: list[str]
    declined: list[str]
    deadline: datetime
    score: float
    reasons: list[ScoreReason]


class CaseView(BaseModel):
    """One order as the console shows it."""

    order_id: str
    status: CaseStatus
    level: UnitLevel
    unit: UnitRef
    category: str
    group_activity: bool
    attempt: int
    escalations: int
    offer: OfferView | None
    served_by: list[str]
    note: str | None
    updated_at: datetime

    @classmethod
    def of(cls, case: Case) -> CaseView:
        """The view of ``case``."""
        offer = case.offer
        return cls(
            order_id=case.order_id, status=case.status, level=case.level, unit=case.need.unit,
            category=case.need.category, group_activity=case.need.group_activity,
            attempt=case.attempt, escalations=case.escalations, served_by=case.served_by,
            note=case.note, updated_at=case.updated_at,
            offer=None if offer is None else OfferView(
                assignment_id=offer.assignment_id, mode=offer.mode, kind=offer.kind,
                assignees=offer.assignees, declined=offer.declined, deadline=offer.deadline,
                score=offer.score, reasons=offer.reasons))


class CandidateView(BaseModel):
    """A candidate for an order, with its score and the reasons."""

    kind: Kind
    id: str
    home: UnitRef
    load: int
    score: float
    reasons: list[ScoreReason]


class ManualDispatch(BaseModel):
    """Send the order to this team or volunteer, overriding the matcher."""

    kind: Kind
    id: Id
    reason: Reason


class TakeBack(BaseModel):
    """Take the order back to the pool."""

    reason: Reason


class WorkLine(BaseModel):
    """One volunteer's or team's work in the period."""

    id: str
    assignments: int
    hours: float


class FairnessReport(BaseModel):
    """Work per volunteer or team over a period, and how evenly it is spread."""

    kind: Kind
    since: AwareDatetime
    until: AwareDatetime
    registered: int
    served: int
    assignments: Spread
    hours: Spread
    lines: list[WorkLine]
