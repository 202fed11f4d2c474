"""The order aggregate (工单): its status, its timeline, and the events each step raises."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import AwareDatetime, BaseModel, Field, ValidationError

from civiloop_contracts.events.intake import Channel
from civiloop_contracts.events.requests import (
    CancelReason,
    CloseOutcome,
    OrderCancelled,
    OrderClosed,
    OrderDuplicateLinked,
    OrderPlaced,
    OrderReopened,
    OrderStepRecorded,
)
from civiloop_contracts.masking import MaskedContact
from civiloop_contracts.payload import Payload
from civiloop_contracts.values import (
    Audience,
    Id,
    Platform,
    Role,
    Specialty,
    Stars,
    TimeWindow,
    UnitRef,
)
from civiloop_requests.domain.actor import REQUESTS, Actor
from civiloop_requests.domain.catalogue import AnswerValue, Category
from civiloop_requests.domain.errors import DomainError, ImpossibleTransition, NotAllowed
from civiloop_requests.domain.new_order import PLACERS, Location, NewOrder, Requester
from civiloop_requests.domain.status import (
    BEFORE_COMPLETION,
    ENDED,
    REPORTED,
    Status,
    Step,
    TimelineEntry,
    next_status,
)

_SERVED_OUTCOMES = frozenset({CloseOutcome.RATED, CloseOutcome.UNRATED})
_P = TypeVar("_P", bound=Payload)


def _event(model: type[_P], **fields: Any) -> _P:
    """The event, or a DomainError saying what breaks its contract (e.g. a phone in a note)."""
    try:
        return model(**fields)
    except ValidationError as exc:
        raise DomainError(f"{model.__name__}: {exc.errors()[0]['msg']}") from None


class Order(BaseModel):
    """A resident's (or station's) request for one service, from placing to closing."""

    order_id: Id
    unit: UnitRef
    category: str
    platform: Platform
    need: str
    place: str
    location: Location | None = None
    window: TimeWindow
    audience_size: Audience
    answers: dict[str, AnswerValue] = Field(default_factory=dict)
    requester: Requester
    channel: Channel
    request_id: Id | None = None
    # The menu at the time of placing: a later menu change does not move a placed order.
    specialty: Specialty
    group_activity: bool
    accept_within_min: int
    status: Status = Status.PLACED
    duplicate_of: Id | None = None
    outcome: CloseOutcome | None = None
    stars: Stars | None = None
    reopen_count: int = 0
    served_by: list[Id] = Field(default_factory=list, description="Who accepted, once accepted.")
    fingerprint: str | None = Field(default=None, description="Hash of the placing request, "
                                    "to tell a retry from a different request with one key.")
    timeline: list[TimelineEntry] = Field(default_factory=list)

    @property
    def is_open(self) -> bool:
        """Whether nobody has finished serving the order and it is still alive."""
        return self.status in BEFORE_COMPLETION

    @property
    def contact(self) -> MaskedContact | None:
        """The requester's contact, masked: what everyone but the owner and server sees."""
        return self.requester.masked()

    def steps_since(self, first: int) -> list[tuple[OrderStepRecorded, AwareDatetime]]:
        """Timeline lines ``first`` onwards as OrderStepRecorded, each with its own time."""
        return [(OrderStepRecorded(
            order_id=self.order_id, seq=seq, step=line.step, status=line.status, actor=line.actor,
            actor_id=line.actor_id,
            outcome=self.outcome if line.status in ENDED else None), line.at)
            for seq, line in enumerate(self.timeline[first:], start=first)]

    def apply(self, step: Step, at: AwareDatetime, by: Actor,
              note: str | None = None) -> list[Payload]:
        """Record a step another service reported (dispatch … complete); it raises no events."""
        if step not in REPORTED:
            raise DomainError(f"{step} is not reported by another service; use its own method")
        self._move(step, at, by, note)
        return []

    @property
    def _served_without_accept(self) -> bool:
        """Served or being served, while no accept has named who serves."""
        past = self.status in (Status.IN_SERVICE, Status.COMPLETED, Status.RATED) or (
            self.status is Status.CLOSED and self.outcome in _SERVED_OUTCOMES)
        return past and not self.served_by

    @property
    def placed_at(self) -> AwareDatetime:
        """When the order was placed (for intake: when the resident asked, even if offline)."""
        return self.timeline[0].at

    def accept(self, volunteer_ids: list[str], at: AwareDatetime, by: Actor,
               note: str | None = None) -> list[Payload]:
        """志愿者接单: remember who serves, so they may see the resident's contact."""
        if self._served_without_accept:
            # The accept was overtaken (by a check-in or a rating) and its step is past;
            # who served still counts, for their access and their list of orders.
            self.served_by = list(volunteer_ids)
            return []
        self._move(Step.ACCEPT, at, by, note)
        self.served_by = list(volunteer_ids)
        return []

    def rate(self, stars: int, at: AwareDatetime, by: Actor) -> list[Payload]:
        """Record the resident's stars (老百姓评单); closing is a separate step."""
        self._move(Step.RATE, at, by, f"{stars} stars")
        self.stars = stars
        return []

    def close(self, at: AwareDatetime, by: Actor) -> list[Payload]:
        """Close a served order: outcome rated (with stars) or unrated."""
        outcome = CloseOutcome.RATED if self.status is Status.RATED else CloseOutcome.UNRATED
        self._move(Step.CLOSE, at, by)
        return [self._closed(outcome)]

    def mark_unassignable(self, at: AwareDatetime, by: Actor,
                          note: str | None = None) -> list[Payload]:
        """Give up on an order nobody can take: it closes as unassignable."""
        self._move(Step.MARK_UNASSIGNABLE, at, by, note)
        return [self._closed(CloseOutcome.UNASSIGNABLE)]

    def cancel(self, reason: CancelReason, at: AwareDatetime, by: Actor,
               note: str | None = None) -> list[Payload]:
        """Cancel before completion, by the resident who ordered or by the station."""
        if by.role not in PLACERS:
            raise NotAllowed(f"a {by.role} may not cancel an order")
        if by.role is Role.RESIDENT and by.id != self.requester.resident_id:
            raise NotAllowed("a resident may cancel only their own order")
        cancelled = _event(OrderCancelled, order_id=self.order_id, reason=reason,
                           cancelled_by=by.role, note=note)
        self._move(Step.CANCEL, at, by, note)
        return [cancelled, self._closed(CloseOutcome.CANCELLED)]

    def reopen(self, follow_up_id: str, reason: str, at: AwareDatetime,
               by: Actor) -> list[Payload]:
        """Send a served order back to dispatch after a follow-up (回访) asked for it."""
        if self.status is Status.CLOSED and self.outcome not in _SERVED_OUTCOMES:
            raise ImpossibleTransition(self.order_id, f"closed ({self.outcome})", Step.REOPEN)
        reopened = _event(OrderReopened, order_id=self.order_id, follow_up_id=follow_up_id,
                          reason=reason, reopen_count=self.reopen_count + 1)
        self._move(Step.REOPEN, at, by, reason)
        self.reopen_count, self.outcome, self.stars = reopened.reopen_count, None, None
        self.served_by = []
        return [reopened]

    def _link_duplicate(self, first_id: str, at: AwareDatetime) -> list[Payload]:
        """Fold this order into ``first_id`` ("+1"): closed as a duplicate, never dispatched."""
        if first_id == self.order_id:
            raise DomainError("an order cannot duplicate itself")
        self._move(Step.LINK_DUPLICATE, at, REQUESTS, f"+1 to {first_id}")
        self.duplicate_of = first_id
        return [OrderDuplicateLinked(order_id=self.order_id, duplicate_of=first_id),
                self._closed(CloseOutcome.DUPLICATE)]

    def _placed(self) -> OrderPlaced:
        """OrderPlaced with the masked contact only; the real phone stays here."""
        return OrderPlaced(order_id=self.order_id, request_id=self.request_id, unit=self.unit,
                           platform=self.platform, category=self.category, need=self.need,
                           place=self.place, window=self.window,
                           audience_size=self.audience_size, requested_by=self.requester.role,
                           contact=self.contact, channel=self.channel,
                           specialty=self.specialty, group_activity=self.group_activity,
                           accept_within_min=self.accept_within_min,
                           resident_id=self.requester.resident_id)

    def _closed(self, outcome: CloseOutcome) -> OrderClosed:
        """Remember how the order ended and say so."""
        self.outcome = outcome
        stars = self.stars if outcome is CloseOutcome.RATED else None
        return OrderClosed(order_id=self.order_id, outcome=outcome, stars=stars)

    def _move(self, step: Step, at: AwareDatetime, by: Actor, note: str | None = None) -> None:
        """Take ``step`` or raise ImpossibleTransition, leaving the order untouched."""
        target = next_status(self.status, step)
        if target is None:
            raise ImpossibleTransition(self.order_id, self.status, step)
        self._record(step, target, at, by, note)

    def _record(self, step: Step, status: Status, at: AwareDatetime, by: Actor,
                note: str | None = None) -> None:
        self.status = status
        self.timeline.append(TimelineEntry(at=at, step=step, status=status, actor=by.role,
                                           actor_id=by.shown_id, note=note))


def place_order(order_id: str, new: NewOrder, category: Category, at: AwareDatetime,
                by: Actor, duplicate_of: str | None = None, note: str | None = None,
                ) -> tuple[Order, list[Payload]]:
    """A new order and its events: OrderPlaced, or the "+1" link if it repeats ``duplicate_of``.

    ``by`` placed it: the resident, or the staff member who typed it in for residents.
    """
    if category.code != new.category:
        raise DomainError(f"order is for {new.category!r}, not {category.code!r}")
    category.check_answers(new.answers)
    order = Order(order_id=order_id, platform=category.platform, specialty=category.specialty,
                  group_activity=category.group_activity,
                  accept_within_min=max(1, int(category.accept_within.total_seconds() // 60)),
                  **new.model_dump(exclude={"requester"}), requester=new.requester)
    order._record(Step.PLACE, Status.PLACED, at, by, note)
    if duplicate_of is None:
        return order, [order._placed()]
    return order, order._link_duplicate(duplicate_of, at)
