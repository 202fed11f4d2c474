"""接单: an order as dispatch offered it to teams or volunteers, and the answers to it.

An offer is one assignment of dispatch. In directive mode every named party answers for
itself; in grab mode (抢单) the first accept takes the whole offer and later ones are
refused. An offer withdrawn (redispatched, cancelled, expired, taken back) refuses every
answer with the reason; a withdrawal may name some parties only (grab lost by the others).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, Field

from civiloop_contracts.events.dispatch import AssignMode
from civiloop_contracts.events.service import DeclineReason, OrderAccepted, OrderDeclined
from civiloop_contracts.values import Id, UnitRef
from civiloop_volunteers.domain.errors import Conflict, Forbidden

WHOLE = "*"
"""The key of a withdrawal that takes the whole offer back."""


class Party(BaseModel):
    """Who answers: a volunteer for themselves, or a team through its leader."""

    volunteer_id: Id | None = None
    team_id: Id | None = None

    @property
    def key(self) -> str:
        """The id the offer lists this party under."""
        return self.team_id or self.volunteer_id or ""

    def __str__(self) -> str:
        return f"team {self.team_id}" if self.team_id else f"volunteer {self.volunteer_id}"


class Answer(BaseModel):
    """An accept or a decline, by whom and when."""

    party: Party
    by: Id
    at: AwareDatetime
    volunteer_ids: list[Id] = Field(default_factory=list)


class Offer(BaseModel):
    """One assignment of one order to teams or volunteers, and what became of it."""

    assignment_id: Id
    order_id: Id
    mode: AssignMode
    dispatching_unit: UnitRef
    team_ids: list[Id] = Field(default_factory=list)
    volunteer_ids: list[Id] = Field(default_factory=list)
    accept_deadline: AwareDatetime
    attempt: int = 1
    withdrawals: dict[str, str] = Field(default_factory=dict)
    accepted: list[Answer] = Field(default_factory=list)
    declined: list[Answer] = Field(default_factory=list)

    def offered_to(self, party: Party) -> bool:
        """True when dispatch named this party in the offer."""
        if party.team_id is not None:
            return party.team_id in self.team_ids
        return party.volunteer_id in self.volunteer_ids

    def withdrawn_reason(self, party: Party | None = None) -> str | None:
        """Why the offer no longer stands (for ``party``), or None while it does."""
        if WHOLE in self.withdrawals:
            return self.withdrawals[WHOLE]
        return self.withdrawals.get(party.key) if party is not None else None

    def withdraw(self, cause: str, parties: list[str] | None = None) -> None:
        """Take the offer back from ``parties`` (all when none are named); first cause stays."""
        for key in parties or [WHOLE]:
            self.withdrawals.setdefault(key, cause)

    def awaits(self, party: Party, now: datetime) -> bool:
        """True while ``party`` may still accept or decline this offer."""
        try:
            self._may_answer(party, now)
        except (Conflict, Forbidden):
            return False
        return self.answer_of(party) is None

    def answer_of(self, party: Party) -> Answer | None:
        """This party's accept, if it accepted."""
        return next((a for a in self.accepted if a.party.key == party.key), None)

    def _may_answer(self, party: Party, now: datetime) -> None:
        if not self.offered_to(party):
            raise Forbidden(f"order {self.order_id} (assignment {self.assignment_id}) "
                            f"is not offered to {party}")
        reason = self.withdrawn_reason(party)
        if reason is not None:
            raise Conflict(f"assignment {self.assignment_id} of order {self.order_id} "
                           f"was withdrawn: {reason}")
        if any(d.party.key == party.key for d in self.declined):
            raise Conflict(f"{party} declined order {self.order_id} already")
        if now > self.accept_deadline and not self.accepted:
            raise Conflict(f"assignment {self.assignment_id} of order {self.order_id} "
                           f"expired at {self.accept_deadline.isoformat()}")

    def accept(self, party: Party, by: str, volunteer_ids: list[str],
               now: datetime) -> OrderAccepted | None:
        """Record the accept and return OrderAccepted; None when this party accepted already."""
        if self.answer_of(party) is not None:
            return None  # a repeated tap of the same button
        self._may_answer(party, now)
        if self.mode is AssignMode.GRAB and self.accepted:
            raise Conflict(f"order {self.order_id} was taken by {self.accepted[0].party} first")
        self.accepted.append(Answer(party=party, by=by, at=now, volunteer_ids=volunteer_ids))
        return OrderAccepted(order_id=self.order_id, assignment_id=self.assignment_id,
                             accepted_by=by, team_id=party.team_id, volunteer_ids=volunteer_ids)

    def decline(self, party: Party, by: str, reason: DeclineReason, note: str | None,
                now: datetime) -> OrderDeclined:
        """Record the decline and return OrderDeclined; an accepted offer is not declined here."""
        if self.answer_of(party) is not None:
            raise Conflict(f"{party} accepted order {self.order_id}: ask the station to "
                           "take it back instead")
        self._may_answer(party, now)
        self.declined.append(Answer(party=party, by=by, at=now))
        return OrderDeclined(order_id=self.order_id, assignment_id=self.assignment_id,
                             declined_by=by, reason=reason, note=note)

    def accepted_moments(self) -> dict[str, datetime]:
        """When each serving volunteer was put on the order: their party's (first) accept."""
        moments: dict[str, datetime] = {}
        for answer in self.accepted:
            for volunteer_id in answer.volunteer_ids:
                moments.setdefault(volunteer_id, answer.at)
        return moments

    def serving(self) -> list[str]:
        """Every volunteer who accepted to serve, in the order they did."""
        return list(dict.fromkeys(v for a in self.accepted for v in a.volunteer_ids))
