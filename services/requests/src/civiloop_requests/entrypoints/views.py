"""What the HTTP API returns: orders as the caller may see them, timelines, pages, surveys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from civiloop_contracts.events.intake import Channel
from civiloop_contracts.events.requests import CloseOutcome
from civiloop_contracts.values import Platform, Role, Specialty, TimeWindow, UnitRef
from civiloop_platform.auth.tokens import Principal
from civiloop_requests.app.queries import Page
from civiloop_requests.domain.catalogue import AnswerValue
from civiloop_requests.domain.order import Order
from civiloop_requests.domain.status import Status, TimelineEntry
from civiloop_requests.domain.survey import Survey
from civiloop_requests.entrypoints.access import sees_contact

UNIT_EXAMPLE: dict[str, JsonValue] = {"centre": "kunqu", "institute": "kunhe", "station": "wanhe-yangguang"}
WINDOW_EXAMPLE: dict[str, JsonValue] = {"start": "2026-12-05T14:00:00+08:00", "end": "2026-12-05T16:00:00+08:00"}


class Contact(BaseModel):
    """A contact as this caller may see it: real for the resident, station and server."""

    name: str | None = None
    phone: str | None = None
    masked: bool


class OrderView(BaseModel):
    """One order as the caller may see it."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "order_id": "ord-3f2a9c", "unit": UNIT_EXAMPLE, "category": "home_health_check",
        "platform": "science", "specialty": "medicine_health", "group_activity": False,
        "need": "老人腿脚不便，需要上门量血压", "place": "万和阳光社区3号楼2单元",
        "window": WINDOW_EXAMPLE, "audience_size": 1, "answers": {"mobility_needs": True},
        "status": "dispatched", "placed_at": "2026-12-01T09:30:00+08:00",
        "requested_by": "resident", "channel": "web",
        "contact": {"name": "张*", "phone": "138****5678", "masked": True},
        "accept_within_min": 1440, "reopen_count": 0}]})

    order_id: str
    unit: UnitRef
    category: str
    platform: Platform
    specialty: Specialty
    group_activity: bool
    need: str
    place: str
    window: TimeWindow
    audience_size: int
    answers: dict[str, AnswerValue]
    status: Status
    placed_at: datetime
    requested_by: Role
    channel: Channel
    contact: Contact | None = None
    accept_within_min: int
    reopen_count: int
    request_id: str | None = None
    duplicate_of: str | None = Field(default=None, description="Set when folded in as a \"+1\".")
    outcome: CloseOutcome | None = None
    stars: int | None = None

    @classmethod
    def of(cls, order: Order, caller: Principal) -> OrderView:
        """``order`` for ``caller``: the real contact only for those who may call."""
        fields: dict[str, Any] = order.model_dump(
            exclude={"requester", "timeline", "served_by", "fingerprint"})
        return cls(**fields, placed_at=order.placed_at, requested_by=order.requester.role,
                   contact=_contact(order, caller))


def _contact(order: Order, caller: Principal) -> Contact | None:
    requester = order.requester
    if sees_contact(caller, order) and (requester.name or requester.phone):
        return Contact(name=requester.name, phone=requester.phone, masked=False)
    masked = order.contact
    return None if masked is None else Contact(name=masked.name, phone=masked.phone,
                                               masked=True)


class TimelineView(BaseModel):
    """Every step of one order, oldest first: when, and who acted (role and id)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "order_id": "ord-3f2a9c", "status": "accepted", "steps": [
            {"at": "2026-12-01T09:30:00+08:00", "step": "place", "status": "placed",
             "actor": "resident", "actor_id": "re******23"},
            {"at": "2026-12-01T09:31:10+08:00", "step": "dispatch", "status": "dispatched",
             "actor": "service", "actor_id": "matcher", "note": "assignment asg-1 (attempt 1)"},
            {"at": "2026-12-01T10:02:00+08:00", "step": "accept", "status": "accepted",
             "actor": "volunteer", "actor_id": "vol-1001", "note": "assignment asg-1"}]}]})

    order_id: str
    status: Status
    steps: list[TimelineEntry]


class OrderPage(BaseModel):
    """One page of orders, newest first, and how many match in all."""

    items: list[OrderView]
    total: int
    page: int
    page_size: int

    @classmethod
    def of(cls, page: Page, caller: Principal) -> OrderPage:
        """``page`` as ``caller`` may see it."""
        return cls(items=[OrderView.of(o, caller) for o in page.items], total=page.total,
                   page=page.page, page_size=page.page_size)


class SurveyView(BaseModel):
    """A needs survey and how many residents answered (their identities are not shown)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "survey_id": "svy-2026-wanhe", "unit": UNIT_EXAMPLE, "title": "2026年居民服务需求调查",
        "categories": ["free_clinic", "legal_aid", "cultural_performance"],
        "closes_at": "2026-12-31T00:00:00+08:00", "respondents": 212}]})

    survey_id: str
    unit: UnitRef
    title: str
    categories: list[str]
    closes_at: datetime | None = None
    respondents: int

    @classmethod
    def of(cls, survey: Survey) -> SurveyView:
        """The survey without its individual answers."""
        return cls(survey_id=survey.survey_id, unit=survey.unit, title=survey.title,
                   categories=list(survey.categories), closes_at=survey.closes_at,
                   respondents=len(survey.responses))
