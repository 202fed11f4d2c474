"""The deadline loop every replica runs: claim a due timer, fire it once, repeat.

Between timers it sleeps until the earliest one is due, so an idle dispatch does not read
the store every second: a commit in this process (which may have set a sooner timer)
wakes it, and ``poll_s`` bounds the sleep for timers other replicas set.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from civiloop_contracts.envelope import utcnow
from civiloop_dispatch.adapters.repositories import TIMERS
from civiloop_dispatch.adapters.timers import MongoTimers
from civiloop_dispatch.app.deadlines import on_deadline
from civiloop_platform.logs import get_logger
from civiloop_platform.runtime import Runtime
from civiloop_platform.store.unit_of_work import AlreadyApplied
from civiloop_platform.timing import wake_or_stop

log = get_logger(__name__)
FIRE_ATTEMPTS = 3
MAX_CLAIMS = 10  # a timer whose firing failed this often is set aside for a person


def deadline_loop(poll_s: float, lease_s: float
                  ) -> Callable[[Runtime], Coroutine[Any, Any, None]]:
    """The loop, as a background task of the runtime."""

    async def run(runtime: Runtime) -> None:
        timers, wake = MongoTimers(runtime.database.db[TIMERS]), runtime.database.listen()
        while not runtime.stopping.is_set():
            wake.clear()  # before reading: a commit after this wakes us again
            try:
                wait = await _until_due(timers, poll_s)
                if wait == 0 and await fire_one(runtime, timers, lease_s):
                    continue
                wait = wait or min(poll_s, 1.0)  # due, but another replica holds it
            except Exception as exc:  # MongoDB away or a bug: the claim lapses, nothing lost
                log.warning("deadline round failed", error=repr(exc))
                wait = poll_s
            await wake_or_stop(runtime.stopping, wake, wait)

    return run


async def _until_due(timers: MongoTimers, poll_s: float) -> float:
    """Seconds until the earliest pending timer is due (0 if it is), at most ``poll_s``."""
    due = await timers.next_due()
    if due is None:
        return poll_s
    return min(max((due - utcnow()).total_seconds(), 0.0), poll_s)


async def fire_one(runtime: Runtime, timers: MongoTimers, lease_s: float) -> bool:
    """Claim and fire one due timer; False when none was due."""
    claimed = await timers.claim_due(runtime.owner, utcnow(), lease_s)
    if claimed is None:
        return False
    timer_id, order_id = claimed["_id"], claimed["order_id"]
    if claimed.get("claims", 0) > MAX_CLAIMS:
        await MongoTimers(timers.collection).mark(timer_id, runtime.owner, utcnow(), "failed")
        log.error("deadline timer keeps failing; set aside", timer=timer_id, order_id=order_id)
        return True
    for attempt in range(1, FIRE_ATTEMPTS + 1):
        try:
            await runtime.unit_of_work().run(
                lambda uow: on_deadline(uow, timer_id, order_id, runtime.owner),
                dedup_key=f"deadline:{timer_id}")
            return True
        except AlreadyApplied:
            return True  # fired before; this claim was a late one
        except Exception:  # a concurrent change to the case: read it afresh and retry
            if attempt == FIRE_ATTEMPTS:
                raise
    return True
