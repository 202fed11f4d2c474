"""What every feedback route shares: the caller as a Rater, the time rules, id paths."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request

from civiloop_feedback.app.policy import Policy
from civiloop_feedback.domain.rater import Rater
from civiloop_platform.auth import Principal

IdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")]

def rater_of(principal: Principal) -> Rater:
    """The caller of a request, as the domain sees people."""
    return Rater(**principal.model_dump())


def policy_of(request: Request) -> Policy:
    """The service's time rules (set at start from the settings)."""
    policy: Policy = request.app.state.policy
    return policy
