"""The order's status machine: which step may follow which status, and where it leads."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from civiloop_contracts.events.requests import OrderStatus, OrderStep
from civiloop_contracts.values import Role

# The status and step names are the contract's: OrderStepRecorded announces every line of
# the timeline with them. What may follow what (TRANSITIONS below) is this service's own.
Status = OrderStatus
Step = OrderStep

WAITING = frozenset({Status.PLACED, Status.DECLINED, Status.EXPIRED, Status.ESCALATED})
"""Statuses in which the order waits for someone to be dispatched."""
BEFORE_COMPLETION = WAITING | {Status.DISPATCHED, Status.ACCEPTED, Status.IN_SERVICE}
"""Statuses in which nobody has finished serving yet: the order is open."""
SERVED = frozenset({Status.COMPLETED, Status.RATED})
ENDED = frozenset({Status.CLOSED, Status.CANCELLED, Status.UNASSIGNABLE})
"""Statuses in which the order's life ended with an outcome (until a reopen)."""
REPORTED = frozenset({Step.DISPATCH, Step.DECLINE, Step.EXPIRE, Step.ESCALATE, Step.ACCEPT,
                      Step.START_SERVICE, Step.COMPLETE})
"""Steps other services report; requests records them (OrderStepRecorded) and raises nothing else."""

# The three topics an order's news comes on are not ordered with each other: an accept may
# overtake its dispatch, a rating its completion. A later step implies the earlier ones, so
# each step is allowed from the statuses before it; the overtaken report is then ignored.
_UP_TO_ACCEPT = WAITING | {Status.DISPATCHED}
_UP_TO_SERVICE = _UP_TO_ACCEPT | {Status.ACCEPTED, Status.IN_SERVICE}

# step -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[Step, tuple[frozenset[Status], Status]] = {
    # Redispatch while dispatched is how dispatch replaces a taken-back assignment.
    Step.DISPATCH: (_UP_TO_ACCEPT, Status.DISPATCHED),
    Step.DECLINE: (frozenset({Status.DISPATCHED}), Status.DECLINED),
    Step.EXPIRE: (frozenset({Status.DISPATCHED}), Status.EXPIRED),
    Step.ESCALATE: (_UP_TO_ACCEPT, Status.ESCALATED),
    Step.ACCEPT: (_UP_TO_ACCEPT, Status.ACCEPTED),
    # Each volunteer checks in; a second check-in keeps the order in service.
    Step.START_SERVICE: (_UP_TO_SERVICE, Status.IN_SERVICE),
    # Check-in is optional: a completion report may come straight after the accept.
    Step.COMPLETE: (_UP_TO_SERVICE, Status.COMPLETED),
    # Feedback takes a rating only after the completion, so a rating says the order was
    # accepted and served: it may overtake the accept and completion reports (under load
    # the volunteers topic can lag the feedback topic by minutes).
    Step.RATE: (_UP_TO_SERVICE | {Status.COMPLETED}, Status.RATED),
    Step.CLOSE: (SERVED, Status.CLOSED),
    Step.MARK_UNASSIGNABLE: (_UP_TO_ACCEPT, Status.UNASSIGNABLE),
    Step.CANCEL: (BEFORE_COMPLETION, Status.CANCELLED),
    # A closed order may come back only if it was served; Order checks the outcome.
    Step.REOPEN: (SERVED | {Status.CLOSED}, Status.PLACED),
    Step.LINK_DUPLICATE: (frozenset({Status.PLACED}), Status.CLOSED),
}


def next_status(status: Status, step: Step) -> Status | None:
    """The status ``step`` leads to from ``status``, or None if the step is impossible there."""
    if step not in TRANSITIONS:  # placing creates the order; it never follows a status
        return None
    sources, target = TRANSITIONS[step]
    return target if status in sources else None


class TimelineEntry(BaseModel):
    """One step in an order's life: when, what, the status it led to, and who acted."""

    model_config = ConfigDict(frozen=True)

    at: AwareDatetime
    step: Step
    status: Status
    actor: Role
    actor_id: str | None = Field(default=None, description=(
        "Who acted: the volunteer's, dispatcher's or station operator's id; a resident's id "
        "masked (re******23); for a step no person took, the part of the system that took it "
        "(matcher, dispatch, feedback, requests). None when the report did not say (events "
        "and steps recorded before actors were kept)."))
    note: str | None = None
