"""Announcing stored timelines again: every line of every order, as OrderStepRecorded.

For orders recorded before requests announced its timeline lines (stats counts the order's
life from them). Each order's lines go to the outbox in one transaction and out through
the running service's relay; announcing twice is harmless (stats records a line once).
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterable, Awaitable, Callable
from typing import TypeVar

from civiloop_contracts.payload import make_event
from civiloop_requests.app.placing import SOURCE
from civiloop_requests.app.ports import UnitOfWork

T = TypeVar("T")
Run = Callable[[Callable[[UnitOfWork], Awaitable[T]]], Awaitable[T]]


async def announce_timeline(uow: UnitOfWork, order_id: str) -> int:
    """Queue an OrderStepRecorded for each line of the order's timeline; how many."""
    order = await uow.orders.get(order_id)
    if order is None:
        return 0
    lines = order.steps_since(0)
    for step, at in lines:
        uow.publish(make_event(step, source=SOURCE, time=at))
    return len(lines)


async def announce_timelines(order_ids: AsyncIterable[str], run: Run[int]) -> tuple[int, int]:
    """Announce the timeline of each order, one transaction each; (orders, lines)."""
    orders = lines = 0
    async for order_id in order_ids:
        lines += await run(functools.partial(announce_timeline, order_id=order_id))
        orders += 1
    return orders, lines
