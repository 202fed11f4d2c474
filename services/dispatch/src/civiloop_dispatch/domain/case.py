"""The dispatch case of one order: where it stands, who was tried, and the events each step raises."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, Field

from civiloop_contracts.events.dispatch import (
    AssignMode,
    Criterion,
    EscalationCause,
    OrderDispatched,
    OrderEscalated,
    OrderRedispatched,
    OrderUnassignable,
    OrderWithdrawn,
    RedispatchCause,
    ScoreReason,
    WithdrawCause,
)
from civiloop_contracts.payload import Payload
from civiloop_contracts.values import Id, Role, UnitLevel
from civiloop_dispatch.domain.candidates import Candidate, Kind
from civiloop_dispatch.domain.errors import NotDispatchable
from civiloop_dispatch.domain.need import Need
from civiloop_dispatch.domain.offer import Offer, assignment_id_for
from civiloop_dispatch.domain.scoring import Scored


class CaseStatus(StrEnum):
    """Where an order stands for dispatch."""

    WAITING = "waiting"  # in the pool: taken back, waiting for a dispatcher
    OFFERED = "offered"  # dispatched, waiting for an accept
    ACCEPTED = "accepted"
    COMPLETED = "completed"
    UNASSIGNABLE = "unassignable"  # nobody fits at any level: a person must act
    CANCELLED = "cancelled"
    CLOSED = "closed"


OPEN = frozenset({CaseStatus.WAITING, CaseStatus.OFFERED, CaseStatus.UNASSIGNABLE})
"""Statuses in which the order is still dispatchers' business (the console queue)."""


class Case(BaseModel):
    """One order in dispatch, from placing to acceptance (and back, on a reopen)."""

    order_id: Id
    need: Need
    status: CaseStatus = CaseStatus.WAITING
    level: UnitLevel
    attempt: int = 0
    tries_at_level: int = 0
    tried: list[str] = Field(default_factory=list)  # matching-view keys offered so far
    offer: Offer | None = None
    served_by: list[str] = Field(default_factory=list)  # keys of whoever accepted
    escalations: int = 0
    note: str | None = None  # the last manual reason, for the console
    correlation_id: str | None = None  # of the OrderPlaced, carried by timer and console events
    updated_at: AwareDatetime

    @classmethod
    def open(cls, order_id: str, need: Need, now: datetime,
             correlation_id: str | None = None) -> Case:
        """A new case at the order's own level."""
        return cls(order_id=order_id, need=need, level=need.start_level(), updated_at=now,
                   correlation_id=correlation_id)

    def _require(self, allowed: frozenset[CaseStatus], what: str) -> None:
        if self.status not in allowed:
            raise NotDispatchable(self.order_id, self.status.value, what)

    def dispatch(self, chosen: list[Scored], mode: AssignMode, now: datetime, minutes: int,
                 cause: RedispatchCause | None) -> Payload:
        """Offer the order to ``chosen`` (one, or the top N in grab mode); raise the event."""
        self._require(OPEN, "dispatch")
        best = chosen[0]
        return self._assign([s.candidate for s in chosen], mode, now, minutes, cause,
                            Role.SERVICE, best.score, best.reasons, counts_as_try=True)

    def dispatch_manually(self, candidate: Candidate, reason: str, by: Role, now: datetime,
                          minutes: int, dispatcher_id: str | None = None) -> list[Payload]:
        """A dispatcher's choice over the matcher's: withdraw the offer in force, assign anew."""
        self._require(OPEN, "dispatch")
        events: list[Payload] = self._withdraw(WithdrawCause.TAKEN_BACK) if self.offer else []
        manual = ScoreReason(criterion=Criterion.MANUAL, weight=100, score=1.0, note=reason[:200])
        events.append(self._assign([candidate], AssignMode.DIRECTIVE, now, minutes,
                                   RedispatchCause.WITHDRAWN, by, 1.0, [manual],
                                   counts_as_try=False, dispatcher_id=dispatcher_id))
        self.note = reason
        return events

    def _assign(self, chosen: list[Candidate], mode: AssignMode, now: datetime, minutes: int,
                cause: RedispatchCause | None, by: Role, score: float,
                reasons: list[ScoreReason], *, counts_as_try: bool,
                dispatcher_id: str | None = None) -> Payload:
        previous = self.offer.assignment_id if self.offer else self._last_assignment()
        self.attempt += 1
        self.tries_at_level += 1 if counts_as_try else 0
        kind = chosen[0].kind
        self.offer = Offer(
            assignment_id=assignment_id_for(self.order_id, self.attempt), attempt=self.attempt,
            mode=mode, kind=kind, level=self.level, assignees=[c.ref for c in chosen],
            leaders={c.leader_id: c.ref for c in chosen if c.leader_id},
            deadline=now + timedelta(minutes=minutes), by=by, at=now)
        self.tried += [c.key for c in chosen if c.key not in self.tried]
        self.status, self.updated_at = CaseStatus.OFFERED, now
        refs = self.offer.assignees
        fields = dict(
            order_id=self.order_id, assignment_id=self.offer.assignment_id, mode=mode,
            level=self.level, dispatching_unit=self.need.unit_at(self.level),
            team_ids=refs if kind is Kind.TEAM else [],
            volunteer_ids=refs if kind is Kind.VOLUNTEER else [],
            accept_deadline=self.offer.deadline, score=score, reasons=reasons,
            dispatched_by=by, attempt=self.attempt, dispatcher_id=dispatcher_id)
        if self.attempt == 1:
            return OrderDispatched(**fields)
        return OrderRedispatched(**fields, previous_assignment_id=previous,
                                 cause=cause or RedispatchCause.WITHDRAWN)

    def _last_assignment(self) -> str | None:
        return assignment_id_for(self.order_id, self.attempt) if self.attempt else None

    def _withdraw(self, cause: WithdrawCause, refs: list[str] | None = None) -> list[Payload]:
        """Take the offer in force away from ``refs`` (default: all who still stand)."""
        offer = self.offer
        if offer is None:
            return []
        refs = offer.standing() if refs is None else refs
        self.offer = None if cause is not WithdrawCause.GRAB_LOST else offer
        if not refs:
            return []
        team = offer.kind is Kind.TEAM
        return [OrderWithdrawn(order_id=self.order_id, assignment_id=offer.assignment_id,
                               team_ids=refs if team else [], volunteer_ids=[] if team else refs,
                               cause=cause)]

    def escalate(self, to: UnitLevel, cause: EscalationCause, now: datetime) -> Payload:
        """Move the order up a level (站→所→中心), where it is tried afresh."""
        from_level, self.level = self.level, to
        self.tries_at_level, self.escalations, self.updated_at = 0, self.escalations + 1, now
        return OrderEscalated(order_id=self.order_id, from_level=from_level, to_level=to,
                              to_unit=self.need.unit_at(to), cause=cause)

    def give_up(self, now: datetime) -> Payload:
        """Nobody fits anywhere: the order waits for a person (OrderUnassignable)."""
        self.status, self.offer, self.updated_at = CaseStatus.UNASSIGNABLE, None, now
        return OrderUnassignable(order_id=self.order_id, level=self.level,
                                 attempts=min(self.attempt, 100))

    def current(self, assignment_id: str) -> Offer | None:
        """The offer in force if it is ``assignment_id`` and still waits for an answer."""
        if self.status is CaseStatus.OFFERED and self.offer is not None \
                and self.offer.assignment_id == assignment_id:
            return self.offer
        return None

    def accept(self, assignment_id: str, accepted_by: str, team_id: str | None,
               now: datetime) -> tuple[str, list[Payload]] | None:
        """The first accept wins: return the winner's key and the losers' withdrawal.

        None for an answer to an offer no longer in force (late, repeated, or a grab loser).
        """
        offer = self.current(assignment_id)
        winner = offer.assignee_of(accepted_by, team_id) if offer else None
        if offer is None or winner is None:
            return None
        losers = [a for a in offer.standing() if a != winner]
        events = self._withdraw(WithdrawCause.GRAB_LOST, losers)
        key = offer.keys([winner])[0]
        self.offer = offer.model_copy(update={"assignees": [winner], "declined": []})
        self.status, self.served_by, self.updated_at = CaseStatus.ACCEPTED, [key], now
        return key, events

    def decline(self, assignment_id: str, declined_by: str,
                now: datetime) -> tuple[str, bool] | None:
        """Record a no: the decliner's key, and whether nobody is left to answer (then the
        order must be routed again). None if the answer is stale or repeated."""
        offer = self.current(assignment_id)
        who = offer.assignee_of(declined_by) if offer else None
        if offer is None or who is None or who in offer.declined:
            return None
        offer.declined.append(who)
        self.updated_at = now
        if offer.standing():
            return offer.keys([who])[0], False
        self.offer = None
        return offer.keys([who])[0], True

    def expire(self, assignment_id: str, now: datetime) -> list[Payload] | None:
        """The accept deadline passed: withdraw the offer; None if it was answered meanwhile."""
        if self.current(assignment_id) is None:
            return None
        self.updated_at = now
        return self._withdraw(WithdrawCause.EXPIRED)

    def take_back(self, reason: str, now: datetime) -> list[Payload]:
        """A dispatcher takes the order back to the pool, where it waits for them."""
        self._require(OPEN, "take back")
        events = self._withdraw(WithdrawCause.TAKEN_BACK)
        self.status, self.note, self.updated_at = CaseStatus.WAITING, reason, now
        return events

    def cancel(self, now: datetime) -> tuple[list[str], list[Payload]]:
        """The order was cancelled: withdraw what stands; return whose load it frees."""
        return self._end(CaseStatus.CANCELLED, now)

    def close(self, now: datetime) -> tuple[list[str], list[Payload]]:
        """The order left the loop: nothing of it stays pending here."""
        return self._end(CaseStatus.CLOSED, now)

    def _end(self, status: CaseStatus, now: datetime) -> tuple[list[str], list[Payload]]:
        if self.status in (CaseStatus.CANCELLED, CaseStatus.CLOSED):
            return [], []
        released = self.served_by if self.status is CaseStatus.ACCEPTED else []
        pending = self.status in (CaseStatus.OFFERED, CaseStatus.ACCEPTED)
        events = self._withdraw(WithdrawCause.TAKEN_BACK) if pending else []
        self.status, self.offer, self.updated_at = status, None, now
        return released, events

    def complete(self, now: datetime) -> list[str]:
        """The service is done; return whose load it frees (nobody if already freed)."""
        if self.status is not CaseStatus.ACCEPTED:
            return []
        self.status, self.updated_at = CaseStatus.COMPLETED, now
        return self.served_by

    def reopen(self, now: datetime) -> bool:
        """A follow-up sends the order back: start over at its own level; False if not served."""
        if self.status not in (CaseStatus.COMPLETED, CaseStatus.CLOSED):
            return False
        self.status, self.level, self.tries_at_level = CaseStatus.WAITING, self.need.start_level(), 0
        self.tried, self.offer, self.served_by, self.updated_at = [], None, [], now
        return True
