"""What every feedback route shares: the time rules and id paths (the caller, a Principal,
is the domain's Rater as it is)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request

from civiloop_feedback.app.policy import Policy

IdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")]


def policy_of(request: Request) -> Policy:
    """The service's time rules (set at start from the settings)."""
    policy: Policy = request.app.state.policy
    return policy
