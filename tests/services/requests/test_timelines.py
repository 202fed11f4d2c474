"""Announcing stored timelines again (``python -m civiloop_requests announce-timelines``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from civiloop_contracts.events.requests import OrderStepRecorded
from civiloop_requests.app.timelines import announce_timelines
from tests.services.requests.builders import at, placed
from tests.services.requests.test_loop_handlers import (
    FakeRequestsUnitOfWork,
    accepted,
    dispatched,
    feed,
)


async def _ids(*order_ids: str) -> AsyncIterator[str]:
    for order_id in order_ids:
        yield order_id


async def test_every_stored_line_is_announced_again_with_its_place_and_time() -> None:
    uow = FakeRequestsUnitOfWork(placed())
    await feed(uow, dispatched(), 1)
    await feed(uow, accepted(), 2)
    live = [e for e in uow.committed if e.type == OrderStepRecorded.event_type()]
    uow.committed.clear()

    counts = await announce_timelines(_ids("ord-1", "ord-gone"), uow.run)
    assert counts == (2, 3)  # the unknown order is counted and has no lines
    again = [(e.data["seq"], e.data["step"], e.data["status"], e.time) for e in uow.committed]
    assert again == [(0, "place", "placed", at(0)), (1, "dispatch", "dispatched", at(1)),
                     (2, "accept", "accepted", at(2))]
    # The same lines as the loop announced live (stats records each once, whatever comes).
    assert again[1:] == [(e.data["seq"], e.data["step"], e.data["status"], e.time) for e in live]
