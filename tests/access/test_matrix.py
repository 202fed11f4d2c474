"""The access matrix: every route × every role × own unit / other unit, on the running stack.

Expected statuses come from the platform's policy table (civiloop_platform.auth.policy):
401 without a token; 403 for a role the policy does not name, for a unit-bound role whose
token names no unit, and for another unit's (or person's) record; for an allowed caller a
2xx, or for a change a 4xx that is not about access (404, 409, 422). A listing answers an
allowed caller with station A's records in it, and another unit's caller without them
(or 403 when it asked for station A by name).

Refusals run first, then allowed reads, then allowed changes: a change may move the
fixture on (an order cancelled, hours approved), which may turn a later change into a 409,
never into a 403.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from enum import Enum
from typing import Any

import httpx
import pytest

from civiloop_contracts.values import Role
from civiloop_platform.auth.policy import POLICY, Reach
from tests.access.callers import OWN, UNBOUND, Caller, callers
from tests.access.probes import PROBES, Probe
from tests.access.routes import routes
from tests.access.stack import Stack, running_stack
from tests.access.world import Codes, World, build_world

pytestmark = pytest.mark.integration
NOBODY = Caller(Role.RESIDENT, "none", "nobody")
"""Fills a probe sent without a token (its role is never sent)."""


class Outcome(Enum):
    """What the matrix expects of one call."""

    REFUSED = "403"
    ALLOWED = "allowed"
    HIDDEN = "403, or allowed without station A's records"


@dataclass
class District:
    """The running stack and the world made on it."""

    stack: Stack
    world: World
    built_s: float


@pytest.fixture(scope="module")
async def district(infra: Any) -> AsyncIterator[District]:
    """The five services with station A's records, shared by the whole matrix."""
    started = time.monotonic()
    codes = Codes()
    async with running_stack(infra, codes.C) as stack:
        world = await build_world(stack, codes)
        yield District(stack, world, time.monotonic() - started)


def rule_of(probe: Probe, stack: Stack) -> str:
    """The policy a probe tests: its own, or the one its route names."""
    if probe.rule:
        return probe.rule
    api, _ = routes(probe.service, stack.apps[probe.service])
    return next(r.policies[0] for r in api if (r.method, r.path) == (probe.method,
                                                                      probe.template))


def expected(rule_name: str, caller: Caller) -> Outcome:
    """The policy table's answer for ``caller`` (station A's data, which is own or other)."""
    rule = POLICY[rule_name]
    if caller.kind == UNBOUND or caller.role not in rule.roles:
        return Outcome.REFUSED
    if rule.reach is Reach.ANY or caller.kind == OWN:
        return Outcome.ALLOWED
    return Outcome.HIDDEN if rule.reach is Reach.LIST else Outcome.REFUSED


LIVE_OPEN = 206
"""Stands for a live stream that stayed open: the caller was let in (no refusal came)."""
LIVE_PATIENCE_S = 5.0


async def send(stack: Stack, world: World, probe: Probe, caller: Caller | None) -> httpx.Response:
    """Send ``probe`` as ``caller`` (None: without a token)."""
    call = probe.call(world, caller or NOBODY)
    headers = caller.headers() if caller else {}
    if call.content_type:
        headers["Content-Type"] = call.content_type
    sent = stack.clients[probe.service].request(
        call.method, call.path, params=call.params, json=call.json, content=call.content,
        headers=headers)
    if not probe.live:
        return await sent
    # In-process ASGI delivers a response only when it ends: a stream that is still open
    # after a while was accepted; a refusal (401/403) ends at once.
    try:
        return await asyncio.wait_for(sent, LIVE_PATIENCE_S)
    except TimeoutError:
        return httpx.Response(LIVE_OPEN, text="(the live stream stayed open)")


def verdict(outcome: Outcome, probe: Probe, world: World, reply: httpx.Response) -> str | None:
    """None when ``reply`` is what ``outcome`` expects; else what was wrong."""
    code = reply.status_code
    if outcome is Outcome.REFUSED:
        return None if code == 403 else f"expected 403, got {code}"
    if probe.live:  # which changes reach which caller: tests/e2e/test_live.py
        return None if code == LIVE_OPEN or (outcome is Outcome.HIDDEN and code == 403) \
            else f"expected the live stream to open, got {code}"
    body = reply.json() if probe.sees and code < 300 else None
    if outcome is Outcome.HIDDEN:
        if code == 403 or (code < 300 and probe.sees and not probe.sees(world, body)):
            return None
        return f"expected 403 or a listing without station A's records, got {code}"
    if code in (401, 403) or code >= 500 or (probe.method == "GET" and code >= 300):
        return f"expected {'2xx' if probe.method == 'GET' else 'no access refusal'}, got {code}"
    if probe.sees and not probe.sees(world, body):
        return "allowed, but station A's records are not in the listing"
    return None


Planned = tuple[Probe, str, Caller, Outcome]


async def run_phase(stack: Stack, world: World, runs: list[Planned], at_once: int) -> list[str]:
    """Send every planned call, ``at_once`` at a time; what was not as expected."""
    gate, wrong = asyncio.Semaphore(at_once), []

    async def run(probe: Probe, rule: str, caller: Caller, outcome: Outcome) -> None:
        async with gate:
            reply = await send(stack, world, probe, caller)
        problem = verdict(outcome, probe, world, reply)
        if problem:
            wrong.append(f"{probe} as {caller} ({rule} → {outcome.value}): {problem}: "
                         f"{reply.text[:200]}")
    await asyncio.gather(*(run(*planned) for planned in runs))
    return wrong


async def without_a_token(stack: Stack, world: World, cases: list[tuple[Probe, str]]
                          ) -> list[str]:
    """401 from every route but the public ones, which answer."""
    wrong = []
    for probe, rule in cases:
        public = POLICY[rule].reach is Reach.PUBLIC
        reply = await send(stack, world, probe, None)
        if (reply.status_code >= 400) if public else (reply.status_code != 401):
            wrong.append(f"{probe} without a token: got {reply.status_code}")
    return wrong


async def test_every_route_answers_every_role_as_the_policy_says(district: District) -> None:
    stack, world = district.stack, district.world
    cases = [(probe, rule_of(probe, stack)) for probe in PROBES]
    timing: dict[str, float] = {"built": district.built_s}
    started = time.monotonic()
    wrong = await without_a_token(stack, world, cases)
    timing["no token"] = time.monotonic() - started
    planned: list[Planned] = [
        (probe, rule, caller, expected(rule, caller)) for probe, rule in cases
        if POLICY[rule].reach is not Reach.PUBLIC for caller in callers(world)]
    allowed = [p for p in planned if p[3] is Outcome.ALLOWED]
    phases = {  # refusals and reads change nothing, so they go eight at a time
        "refused": ([p for p in planned if p[3] is not Outcome.ALLOWED], 8),
        "allowed reads": ([p for p in allowed if p[0].method == "GET"], 8),
        "allowed changes": ([p for p in allowed if p[0].method != "GET"], 1),
    }
    for phase, (runs, at_once) in phases.items():
        started = time.monotonic()
        wrong += await run_phase(stack, world, runs, at_once)
        timing[phase] = time.monotonic() - started
    report = ", ".join(f"{k} {v:.1f}s" for k, v in timing.items())
    print(f"access matrix: {len(cases)} probes, {len(cases) + len(planned)} calls; {report}")
    assert wrong == [], "\n".join(wrong)
