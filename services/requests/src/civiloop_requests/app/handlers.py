"""Which handler applies each event the requests consumer groups consume: one line a type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from civiloop_contracts.events.dispatch import (
    OrderDispatched,
    OrderEscalated,
    OrderRedispatched,
    OrderUnassignable,
    OrderWithdrawn,
    WithdrawCause,
)
from civiloop_contracts.events.feedback import (
    FeedbackGiven,
    FollowUpResolution,
    FollowUpResolved,
    RatingLapsed,
)
from civiloop_contracts.events.intake import OrderRequested, SurveyAnswerSubmitted
from civiloop_contracts.events.service import (
    OrderAccepted,
    OrderDeclined,
    ServiceCheckedIn,
    ServiceCompleted,
)
from civiloop_contracts.payload import Payload
from civiloop_platform.messages import Handler
from civiloop_requests.app.intake import on_order_requested, on_survey_answer
from civiloop_requests.app.loop import (
    on_accepted,
    on_checked_in,
    on_completed,
    on_declined,
    on_dispatched,
    on_escalated,
    on_feedback,
    on_follow_up_resolved,
    on_rating_lapsed,
    on_unassignable,
    on_withdrawn,
)

LOOP_HANDLERS: dict[type[Payload], Handler] = {
    OrderDispatched: on_dispatched,
    OrderRedispatched: on_dispatched,
    OrderDeclined: on_declined,
    OrderWithdrawn: on_withdrawn,
    OrderEscalated: on_escalated,
    OrderAccepted: on_accepted,
    ServiceCheckedIn: on_checked_in,
    ServiceCompleted: on_completed,
    FeedbackGiven: on_feedback,
    OrderUnassignable: on_unassignable,
    FollowUpResolved: on_follow_up_resolved,
    RatingLapsed: on_rating_lapsed,
}
"""Which handler applies each event the ``requests-loop`` group consumes."""

LOOP_WANTS: dict[type[Payload], Callable[[Any], bool]] = {
    OrderWithdrawn: lambda withdrawn: withdrawn.cause is WithdrawCause.EXPIRED,
    FollowUpResolved: lambda resolved: resolved.resolution is FollowUpResolution.REOPEN,
}
"""The loop events whose payload alone says the handler has work (``Subscription.wants``):
a withdrawal other than an expiry, a follow-up not reopening, change no order."""

INTAKE_HANDLERS: dict[type[Payload], Handler] = {
    OrderRequested: on_order_requested,
    SurveyAnswerSubmitted: on_survey_answer,
}
"""Which handler applies each intake event the ``requests-intake`` group consumes."""
