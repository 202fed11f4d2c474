"""Routing one order: try its level, then escalate 站→所→中心, then declare it unassignable."""

from __future__ import annotations

import random
from datetime import datetime

from civiloop_contracts.events.dispatch import EscalationCause, RedispatchCause
from civiloop_contracts.payload import Payload
from civiloop_dispatch.app.ports import UnitOfWork
from civiloop_dispatch.domain.case import Case
from civiloop_dispatch.domain.need import LEVELS_UP
from civiloop_dispatch.domain.scoring import Scored, rank

_ESCALATION_CAUSE = {RedispatchCause.EXPIRED: EscalationCause.EXPIRED,
                     RedispatchCause.DECLINED: EscalationCause.DECLINED_REPEATEDLY}


async def ranked_candidates(case: Case, uow: UnitOfWork, now: datetime) -> list[Scored]:
    """Candidates for the case at its level, best first, leaving out those tried already."""
    policy = uow.policy
    found = await uow.candidates.find(case.need, case.level, exclude=case.tried,
                                      limit=policy.candidate_limit)
    return rank(found, case.need, now, default_cap=policy.cap_for(case.need.kind),
                utc_offset_h=policy.utc_offset_h, exclude=set(case.tried))


async def route(case: Case, uow: UnitOfWork, now: datetime,
                cause: RedispatchCause | None = None) -> list[Payload]:
    """Dispatch the case to the best candidates it can have, escalating as the rules say.

    A level gets ``tries_per_level`` offers; with none left, or nobody fit, the order moves
    up; at the centre with nobody fit it is unassignable and waits for a person.
    """
    policy, events = uow.policy, []
    while True:
        if case.tries_at_level < policy.tries_per_level:
            ranked = await ranked_candidates(case, uow, now)
            if ranked:
                mode = policy.mode_for(case.need)
                chosen = ranked[:policy.offer_size(mode)]
                events.append(case.dispatch(chosen, mode, now, policy.accept_minutes(case.need),
                                            cause))
                await _mark_offered(chosen, uow, now)
                return events
            why = EscalationCause.NO_CANDIDATE
        else:
            why = _ESCALATION_CAUSE.get(cause, EscalationCause.NO_CANDIDATE) if cause \
                else EscalationCause.NO_CANDIDATE
        up = LEVELS_UP.get(case.level)
        if up is None:
            events.append(case.give_up(now))
            return events
        events.append(case.escalate(up, why, now))


async def _mark_offered(chosen: list[Scored], uow: UnitOfWork, now: datetime) -> None:
    """Remember when each was last given work, so the next order prefers someone else."""
    for scored in chosen:
        candidate = scored.candidate.model_copy(
            update={"last_assigned_at": now, "spot": random.random()})
        await uow.candidates.put(candidate)
