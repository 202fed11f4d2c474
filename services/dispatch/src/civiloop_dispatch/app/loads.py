"""Load in the matching view: what a candidate has accepted and not yet finished."""

from __future__ import annotations

from civiloop_dispatch.app.ports import UnitOfWork


async def add_load(uow: UnitOfWork, keys: list[str], delta: int) -> None:
    """Change the open-order count of each candidate (never below zero)."""
    for key in keys:
        candidate = await uow.candidates.get(key)
        if candidate is not None:
            await uow.candidates.put(
                candidate.model_copy(update={"load": max(0, candidate.load + delta)}))


async def release(uow: UnitOfWork, keys: list[str]) -> None:
    """An accepted order ended without completion (cancelled, closed): free its load."""
    await add_load(uow, keys, -1)
