"""The auto-close timer: every replica sweeps; the atomic lapse makes each fire once."""

from __future__ import annotations

from civiloop_contracts.envelope import utcnow
from civiloop_feedback.app.lapse import sweep
from civiloop_feedback.app.policy import Policy
from civiloop_platform.logs import get_logger
from civiloop_platform.runtime import Runtime, Worker
from civiloop_platform.timing import sleep_or_stop

log = get_logger(__name__)


def lapse_sweeper(policy: Policy, every_s: float) -> Worker:
    """A worker that lapses unrated orders every ``every_s`` seconds until the service stops."""

    async def run(runtime: Runtime) -> None:
        while not runtime.stopping.is_set():
            try:
                lapsed = await sweep(runtime.unit_of_work, utcnow(), policy)
                if lapsed:
                    log.info("orders lapsed unrated", count=lapsed)
            except Exception as exc:  # MongoDB away: the next round picks the orders up
                log.warning("lapse sweep failed", error=repr(exc))
            await sleep_or_stop(runtime.stopping, every_s)

    return run
