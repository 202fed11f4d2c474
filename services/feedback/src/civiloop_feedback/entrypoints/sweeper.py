"""The feedback service's timers: every replica sweeps; atomic writes make each fire once.

Auto-close lapses served orders left unrated; the expiry dead-letters intake ratings whose
order stayed unknown for the policy's ``order_wait``.
"""

from __future__ import annotations

from civiloop_contracts.envelope import Envelope, utcnow
from civiloop_contracts.topics import STATION_INTAKE
from civiloop_feedback.app.intake import expire_unknown
from civiloop_feedback.app.lapse import sweep
from civiloop_feedback.app.policy import Policy
from civiloop_platform.kafka.dlq import dead_letter_event
from civiloop_platform.logs import get_logger
from civiloop_platform.runtime import Runtime, Worker
from civiloop_platform.timing import sleep_or_stop

log = get_logger(__name__)


def lapse_sweeper(policy: Policy, every_s: float, intake_group: str) -> Worker:
    """A worker that lapses unrated orders and expires ratings for unknown orders every
    ``every_s`` seconds until the service stops."""

    async def run(runtime: Runtime) -> None:
        async def dead_letter(envelope: Envelope, reason: str) -> None:
            await runtime.producer.send_all([dead_letter_event(
                STATION_INTAKE, envelope, reason=reason, group=intake_group)])

        while not runtime.stopping.is_set():
            try:
                now = utcnow()
                lapsed = await sweep(runtime.unit_of_work, now, policy)
                expired = await expire_unknown(runtime.unit_of_work, now, policy, dead_letter)
                if lapsed or expired:
                    log.info("feedback timers fired", lapsed=lapsed, expired=expired)
            except Exception as exc:  # MongoDB or Kafka away: the next round picks them up
                log.warning("feedback sweep failed", error=repr(exc))
            await sleep_or_stop(runtime.stopping, every_s)

    return run
