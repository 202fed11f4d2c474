"""One assignment of an order (派单): to whom, how, until when, and who said no."""

from __future__ import annotations

import hashlib
from datetime import datetime

from pydantic import AwareDatetime, BaseModel, Field

from civiloop_contracts.events.dispatch import AssignMode, ScoreReason
from civiloop_contracts.values import Id, Role, UnitLevel
from civiloop_dispatch.domain.candidates import Kind, candidate_key


def assignment_id_for(order_id: str, attempt: int) -> str:
    """A stable assignment id: a retried or repeated decision names the same assignment."""
    return "as-" + hashlib.sha1(f"{order_id}/{attempt}".encode()).hexdigest()[:24]


class Offer(BaseModel):
    """The assignment in force: its assignees, mode, deadline and declines so far."""

    assignment_id: Id
    attempt: int
    mode: AssignMode
    kind: Kind
    level: UnitLevel
    assignees: list[Id]
    leaders: dict[str, Id] = Field(default_factory=dict)  # team leader id → team id
    declined: list[Id] = Field(default_factory=list)
    deadline: AwareDatetime
    by: Role = Role.SERVICE
    at: AwareDatetime
    score: float = 0.0  # the chosen one's score and its terms, so the console can explain it
    reasons: list[ScoreReason] = Field(default_factory=list)

    def keys(self, refs: list[str] | None = None) -> list[str]:
        """Matching-view keys of ``refs`` (default: every assignee)."""
        return [candidate_key(self.kind, r) for r in (self.assignees if refs is None else refs)]

    def standing(self) -> list[str]:
        """Assignees who have not declined."""
        return [a for a in self.assignees if a not in self.declined]

    def assignee_of(self, actor: str, team_id: str | None = None) -> str | None:
        """The assignee a volunteer's answer speaks for (a team through its leader), if any."""
        if self.kind is Kind.TEAM:
            team = team_id or self.leaders.get(actor)
            if team is None and len(self.assignees) == 1:
                team = self.assignees[0]  # a directive team offer: whoever answers speaks for it
            return team if team in self.assignees else None
        return actor if actor in self.assignees else None

    def expired(self, now: datetime) -> bool:
        """True once the accept deadline has passed."""
        return now >= self.deadline
