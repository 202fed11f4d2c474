"""Load in the matching view: what a candidate has accepted and not yet finished."""

from __future__ import annotations

from civiloop_dispatch.app.ports import UnitOfWork


async def add_load(uow: UnitOfWork, keys: list[str], delta: int) -> None:
    """Change the open-order count of each candidate (never below zero)."""
    for key in keys:
        await uow.candidates.change(key, load=delta)


async def release(uow: UnitOfWork, keys: list[str]) -> None:
    """An accepted order ended without completion (cancelled, closed): free its load."""
    await add_load(uow, keys, -1)
