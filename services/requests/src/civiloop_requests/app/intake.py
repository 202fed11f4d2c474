"""Station intake (stations.intake.v1): order requests and survey answers from frontends.

A request's order id is derived from (source, request_id), so a frontend that republishes,
even under a new event id, finds its order placed and changes nothing. An event the rules
refuse (unknown category, a missing answer, a time in the future) is dead-lettered with the
reason by raising ContractError, and so is a request naming a station or institute that is
not in the units tree.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import ValidationError

from civiloop_contracts.envelope import Envelope, utcnow
from civiloop_contracts.events.intake import OrderRequested, SurveyAnswerSubmitted
from civiloop_contracts.payload import ContractError, Payload
from civiloop_contracts.values import Role
from civiloop_platform.messages import Received
from civiloop_requests.app.placing import SOURCE, derived_order_id, place
from civiloop_requests.app.ports import UnitOfWork
from civiloop_requests.app.surveys import answer_survey
from civiloop_requests.domain.actor import Actor
from civiloop_requests.domain.catalogue import Category
from civiloop_requests.domain.errors import DomainError, UnknownUnit
from civiloop_requests.domain.new_order import NewOrder, Requester
from civiloop_requests.domain.survey import WANTED

CLOCK_SKEW = timedelta(minutes=5)  # a frontend's clock may run a little ahead of ours
QUEUED_NOTE_AFTER = timedelta(minutes=1)


def _new_order(event: OrderRequested, category: Category) -> NewOrder:
    """The order a frontend asked for; a group activity's attendees default to its audience."""
    if event.platform is not category.platform:
        raise ContractError(f"platform: {event.category} is on {category.platform}, "
                            f"not {event.platform}")
    answers = dict(event.answers)
    if category.group_activity:
        answers.setdefault("attendees", event.audience_size)
    try:
        requester = Requester(role=event.requested_by, resident_id=event.resident_ref,
                              masked_contact=event.contact)
        return NewOrder(unit=event.unit, category=event.category, need=event.need,
                        place=event.place, window=event.window,
                        audience_size=event.audience_size, answers=answers,
                        requester=requester, channel=event.channel,
                        request_id=event.request_id)
    except ValidationError as exc:
        raise ContractError(f"data: {exc.errors()[0]['msg']}") from None


def _placer(event: Received[OrderRequested]) -> Actor:
    """Who asked at the frontend: the resident, or the staff member (else the frontend itself)."""
    request = event.payload
    if request.requested_by is Role.RESIDENT:
        return Actor(role=Role.RESIDENT, id=request.resident_ref)
    return Actor(role=request.requested_by, id=request.operator_ref or event.envelope.source)


def _queued_note(event: Received[OrderRequested]) -> str | None:
    """Say so when a station recorded the request well after the resident made it (offline)."""
    late = event.envelope.recordedtime - event.envelope.time
    if late < QUEUED_NOTE_AFTER:
        return None
    return f"queued at the station for {late.total_seconds() / 3600:.1f} h before sending"


async def on_order_requested(event: Received[OrderRequested], uow: UnitOfWork) -> None:
    """群众点单 from a station frontend: one order per (source, request_id)."""
    envelope, request = event.envelope, event.payload
    if envelope.time > utcnow() + CLOCK_SKEW:
        raise ContractError(f"time: {envelope.time.isoformat()} is in the future")
    order_id = derived_order_id(envelope.source, request.request_id)
    if await uow.orders.get(order_id) is not None:
        return  # republished: placed already
    try:
        category = await uow.menu.get(request.category)
        new = _new_order(request, category)
        # The resident asked at ``time``; a station queueing offline sends it later.
        def announce(payload: Payload, time: datetime | None = None) -> Envelope:
            return event.follow_up(payload, source=SOURCE, time=time or envelope.time)
        await place(uow, order_id, new, envelope.time, announce, by=_placer(event),
                    note=_queued_note(event), category=category)
    except UnknownUnit as exc:
        raise ContractError(f"data.{exc}") from None
    except DomainError as exc:
        raise ContractError(f"rejected by the menu: {exc}") from None


async def on_survey_answer(event: Received[SurveyAnswerSubmitted], uow: UnitOfWork) -> None:
    """需求调查: a resident's answer from a frontend; a resent response id changes nothing."""
    answer = event.payload
    wanted = [a for a in answer.answers if a.question_id == WANTED]
    if answer.resident_ref is None or not wanted:
        raise ContractError(f"data: an answer needs resident_ref and a {WANTED!r} answer")
    def announce(payload: Payload, time: datetime | None = None) -> Envelope:
        return event.follow_up(payload, source=SOURCE, time=time)
    try:
        await answer_survey(uow, answer.survey_id, answer.response_id, answer.resident_ref,
                            wanted[0].choice_ids, wanted[0].text, event.envelope.time, announce)
    except DomainError as exc:
        raise ContractError(f"rejected: {exc}") from None
