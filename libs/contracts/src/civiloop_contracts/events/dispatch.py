"""Dispatch decisions (部门派单) on ``dispatch.events.v1``, all keyed by order id."""

from __future__ import annotations

from enum import StrEnum

from pydantic import AwareDatetime, Field, model_validator

from civiloop_contracts.masking import FreeText
from civiloop_contracts.payload import Payload
from civiloop_contracts.topics import DISPATCH
from civiloop_contracts.values import Id, Role, ShortText, UnitLevel, UnitRef, Value


class AssignMode(StrEnum):
    """Directive: the assignee is told to serve. Grab: the first to accept wins (抢单)."""

    DIRECTIVE = "directive"
    GRAB = "grab"


class Criterion(StrEnum):
    """What the matcher weighed when it picked an assignee."""

    SKILL = "skill"
    PLATFORM = "platform"
    DISTANCE = "distance"
    LOAD = "load"
    AVAILABILITY = "availability"
    RATING = "rating"
    MANUAL = "manual"  # a dispatcher chose by hand


class ScoreReason(Value):
    """One term of the match score, so a dispatch can be explained and audited."""

    criterion: Criterion
    weight: float = Field(ge=0, le=100)
    score: float = Field(ge=0, le=1)
    note: ShortText | None = None


class _Assignment(Payload):
    """What every dispatch of an order says: who, how, at which level, by when."""

    order_id: Id
    assignment_id: Id
    mode: AssignMode
    level: UnitLevel
    dispatching_unit: UnitRef
    team_ids: list[Id] = Field(default_factory=list, max_length=50)
    volunteer_ids: list[Id] = Field(default_factory=list, max_length=500)
    accept_deadline: AwareDatetime
    score: float = Field(ge=0)
    reasons: list[ScoreReason] = Field(default_factory=list, max_length=20)
    dispatched_by: Role = Role.SERVICE
    attempt: int = Field(ge=1, le=100)
    dispatcher_id: Id | None = Field(default=None, description=(
        "The dispatcher who chose by hand (dispatched_by dispatcher); none when the matcher "
        "chose. Added in 1.1."))

    @model_validator(mode="after")
    def _someone_assigned(self) -> _Assignment:
        if not self.team_ids and not self.volunteer_ids:
            raise ValueError("assign at least one team or volunteer")
        return self


class OrderDispatched(_Assignment, topic=DISPATCH, version="1.1", key="order_id"):
    """An order is sent to a team or volunteers (部门派单), with the reasons for the choice.

    1.1 adds ``dispatcher_id``: who chose, when a person did.
    """


class RedispatchCause(StrEnum):
    """Why an order was dispatched again."""

    DECLINED = "declined"
    EXPIRED = "expired"  # not accepted before the deadline
    WITHDRAWN = "withdrawn"
    REOPENED = "reopened"


class OrderRedispatched(_Assignment, topic=DISPATCH, version="1.1", key="order_id"):
    """An order goes to a new assignee after a decline, an expiry or a reopen.

    1.1 adds ``dispatcher_id``: who chose, when a person did.
    """

    previous_assignment_id: Id | None = None
    cause: RedispatchCause


class EscalationCause(StrEnum):
    """Why an order moved up a level."""

    EXPIRED = "expired"
    NO_CANDIDATE = "no_candidate"
    DECLINED_REPEATEDLY = "declined_repeatedly"
    MANUAL = "manual"


class OrderEscalated(Payload, topic=DISPATCH, key="order_id"):
    """An order moves up: station → institute → centre."""

    order_id: Id
    from_level: UnitLevel
    to_level: UnitLevel
    to_unit: UnitRef
    cause: EscalationCause


class OrderUnassignable(Payload, topic=DISPATCH, key="order_id"):
    """No one at any level can take the order; people must step in."""

    order_id: Id
    level: UnitLevel
    attempts: int = Field(ge=0, le=100)
    note: FreeText | None = None


class WithdrawCause(StrEnum):
    """Why an assignment was taken away from its assignees."""

    GRAB_LOST = "grab_lost"  # someone else accepted a grab order first
    TAKEN_BACK = "taken_back"  # a dispatcher took it back
    EXPIRED = "expired"


class OrderWithdrawn(Payload, topic=DISPATCH, key="order_id"):
    """An assignment no longer stands for these teams or volunteers."""

    order_id: Id
    assignment_id: Id
    team_ids: list[Id] = Field(default_factory=list, max_length=50)
    volunteer_ids: list[Id] = Field(default_factory=list, max_length=500)
    cause: WithdrawCause
