"""Who takes a step of an order: a person by role and id, or a part of the system by name."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from civiloop_contracts.masking import mask_ref
from civiloop_contracts.values import Role


class Actor(BaseModel):
    """Who acted: their role and id (None where the reporting event did not say)."""

    model_config = ConfigDict(frozen=True)

    role: Role
    id: str | None = None

    @property
    def shown_id(self) -> str | None:
        """The id as the timeline keeps it: a resident's masked, everyone else's as it is."""
        if self.role is Role.RESIDENT and self.id is not None:
            return mask_ref(self.id)
        return self.id


def system(part: str) -> Actor:
    """A step no person took, named by the part of the system that took it."""
    return Actor(role=Role.SERVICE, id=part)


MATCHER = system("matcher")
"""Dispatch's automatic matching chose the assignee."""
DISPATCH = system("dispatch")
"""Dispatch's deadlines and levels: an expiry, an automatic escalation, giving up."""
FEEDBACK = system("feedback")
"""Feedback's lapse sweeper: nobody rated in time."""
REQUESTS = system("requests")
"""This service: closing after a rating, folding a duplicate in."""
