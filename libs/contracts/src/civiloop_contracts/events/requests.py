"""Orders (工单) and needs surveys, as the requests service records them on ``requests.events.v1``.

OrderReopened lives here, not in feedback: the requests service owns each order's state,
so when a follow-up decides to reopen, requests reopens the order and dispatch reacts to
that, exactly as it reacts to OrderPlaced.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, Field

from civiloop_contracts.events.intake import Channel, SurveyAnswer
from civiloop_contracts.masking import FreeText, MaskedContact
from civiloop_contracts.payload import Payload
from civiloop_contracts.topics import REQUESTS
from civiloop_contracts.values import (
    Audience,
    Category,
    Id,
    Platform,
    Role,
    ShortText,
    Specialty,
    Stars,
    TimeWindow,
    UnitRef,
    Value,
)


class OrderPlaced(Payload, topic=REQUESTS, version="1.1", key="order_id"):
    """An order (群众点单) is accepted into the system and waits for dispatch.

    1.1 adds what dispatch and feedback need from the menu and the order without asking
    the requests service: who serves it, one person or a group, the accept deadline, and
    the pseudonymous id of the resident who may rate it.
    """

    order_id: Id
    request_id: Id | None = Field(default=None, description="The intake request it came from.")
    unit: UnitRef
    platform: Platform
    category: Category
    need: Annotated[FreeText, Field(min_length=1, max_length=1000)]
    place: ShortText
    window: TimeWindow
    audience_size: Audience = 1
    requested_by: Role = Role.RESIDENT
    contact: MaskedContact | None = None
    channel: Channel
    specialty: Specialty | None = Field(default=None, description="Team specialty serving it.")
    group_activity: bool = Field(default=False, description="Served by a team for many people.")
    accept_within_min: int | None = Field(default=None, ge=1, le=60 * 24 * 30,
                                          description="Minutes an assignee has to accept.")
    resident_id: Id | None = Field(default=None, description="The resident who may rate it.")


class CancelReason(StrEnum):
    """Why an order was cancelled."""

    WITHDRAWN = "withdrawn"  # the resident no longer needs it
    OUT_OF_SCOPE = "out_of_scope"  # not a service the network gives
    WINDOW_PASSED = "window_passed"
    OTHER = "other"


class OrderCancelled(Payload, topic=REQUESTS, key="order_id"):
    """An order is cancelled before it was served."""

    order_id: Id
    reason: CancelReason
    cancelled_by: Role
    note: FreeText | None = None


class OrderDuplicateLinked(Payload, topic=REQUESTS, key="order_id"):
    """An order is found to repeat another one and is folded into it."""

    order_id: Id
    duplicate_of: Id


class CloseOutcome(StrEnum):
    """How an order's life ended."""

    RATED = "rated"
    UNRATED = "unrated"  # served, the resident did not rate in time
    CANCELLED = "cancelled"
    DUPLICATE = "duplicate"
    UNASSIGNABLE = "unassignable"


class OrderClosed(Payload, topic=REQUESTS, key="order_id"):
    """An order leaves the loop for good (or until reopened)."""

    order_id: Id
    outcome: CloseOutcome
    stars: Stars | None = None


class OrderStatus(StrEnum):
    """Where an order stands in the loop (群众点单 → 部门派单 → 志愿者接单 → 老百姓评单)."""

    PLACED = "placed"  # waiting for dispatch (again, after a reopen)
    DISPATCHED = "dispatched"
    DECLINED = "declined"  # the assignee said no: waiting for redispatch
    EXPIRED = "expired"  # not accepted in time: waiting for redispatch
    ESCALATED = "escalated"  # moved up a level: waiting for dispatch there
    ACCEPTED = "accepted"
    IN_SERVICE = "in_service"
    COMPLETED = "completed"
    RATED = "rated"
    CLOSED = "closed"
    UNASSIGNABLE = "unassignable"
    CANCELLED = "cancelled"


class OrderStep(StrEnum):
    """What can happen to an order; each step is one line of its timeline."""

    PLACE = "place"
    DISPATCH = "dispatch"
    DECLINE = "decline"
    EXPIRE = "expire"
    ESCALATE = "escalate"
    ACCEPT = "accept"
    START_SERVICE = "start_service"
    COMPLETE = "complete"
    RATE = "rate"
    CLOSE = "close"
    MARK_UNASSIGNABLE = "mark_unassignable"
    CANCEL = "cancel"
    REOPEN = "reopen"
    LINK_DUPLICATE = "link_duplicate"


class OrderStepRecorded(Payload, topic=REQUESTS, key="order_id"):
    """A line of an order's timeline (工单流转), as requests recorded it: the step it took and
    the status that led to. Only steps requests took are announced; a report it ignored
    (a dispatch after the cancel) never is. The envelope's ``time`` is the step's own time
    (that of the report it came from), ``recordedtime`` when requests recorded it.
    """

    order_id: Id
    seq: int = Field(ge=0, le=100_000, description="The line's index in the order's timeline "
                     "(0: placing); the order in which requests took the steps.")
    step: OrderStep
    status: OrderStatus = Field(description="The order's status after the step.")
    outcome: CloseOutcome | None = Field(default=None, description="How the order ended, "
                                         "when this step ended it.")
    actor: Role
    actor_id: Annotated[str, Field(max_length=64)] | None = Field(default=None, description=(
        "Who took the step, as the timeline names them: a resident masked, staff and "
        "volunteers by id, the system part otherwise; null where the report did not say."))


class OrderReopened(Payload, topic=REQUESTS, key="order_id"):
    """A follow-up sends a served order back to dispatch."""

    order_id: Id
    follow_up_id: Id
    reason: Annotated[FreeText, Field(min_length=1, max_length=500)]
    reopen_count: int = Field(ge=1, le=100)


class SurveyChoice(Value):
    """One choice of a survey question, optionally tied to a platform for demand ranking."""

    choice_id: Id
    label: ShortText
    platform: Platform | None = None
    category: Category | None = None


class SurveyQuestion(Value):
    """One question of a needs survey."""

    question_id: Id
    text: ShortText
    choices: list[SurveyChoice] = Field(default_factory=list, max_length=50)
    multiple: bool = False


class SurveyPublished(Payload, topic=REQUESTS, key="survey_id"):
    """A station opens a needs survey (需求调查问卷) to its residents."""

    survey_id: Id
    unit: UnitRef
    title: ShortText
    questions: list[SurveyQuestion] = Field(min_length=1, max_length=100)
    closes_at: AwareDatetime | None = None


class SurveyAnswered(Payload, topic=REQUESTS, key="survey_id"):
    """A resident's answers to a survey are recorded (once per response id)."""

    survey_id: Id
    response_id: Id
    unit: UnitRef
    answers: list[SurveyAnswer] = Field(min_length=1, max_length=100)
