"""Injecting the plan's faults at their points of the run, and noting when each happened."""

from __future__ import annotations

import asyncio
import itertools
import signal
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from civiloop_devstack import services
from civiloop_devstack.chaos.plan import ChaosPlan, Fault, Kind
from civiloop_devstack.chaos.poison import Poison
from civiloop_devstack.chaos.stack import ChaosStack
from civiloop_devstack.load.stations import send
from civiloop_devstack.load.tally import Tally
from civiloop_devstack.procs import alive
from civiloop_platform.kafka.producer import EventProducer

BACK_WITHIN_S = 300.0
CLOSED_EVERY_S = 2.0
SERVING_EVERY_S = 0.02
SERVING_WITHIN_S = 120.0


def now() -> datetime:
    """The wall clock, as requests stamps timelines."""
    return datetime.now(UTC)


def wall(monotonic: float) -> datetime:
    """The wall-clock time of a ``time.monotonic()`` reading."""
    return now() - timedelta(seconds=time.monotonic() - monotonic)


@dataclass
class Injected:
    """A fault as it happened: injected, ended by the harness, and the part answering again."""

    kind: Kind
    target: str
    at: datetime
    ended: datetime | None = None
    back: datetime | None = None
    detail: str = ""


@dataclass
class Injector:
    """Waits for each fault's point of the run (orders closed), then injects it."""

    stack: ChaosStack
    plan: ChaosPlan
    poison: list[Poison]
    producer: EventProducer
    closed: Callable[[], Awaitable[int]]
    """How many of the run's orders requests has closed by now."""
    say: Callable[[str], None]

    def __post_init__(self) -> None:
        self.injected: list[Injected] = []

    async def run(self, tally: Tally) -> None:
        """Every fault of the plan in turn; faults due at one point are injected together."""
        ordered = sorted(self.plan.faults, key=lambda f: f.at)
        for at, due in itertools.groupby(ordered, key=lambda f: f.at):
            await self._until_closed(tally, at)
            await self._until_serving(tally)
            done = await asyncio.gather(*(self.inject(f) for f in due))
            self.injected += done

    async def _until_closed(self, tally: Tally, share: float) -> None:
        """Return once ``share`` of the orders are closed; raise if the run stops short.

        Closed, not placed: on a machine slower than the load, the orders queue, and faults
        timed by placing would all strike before the loop had got going."""
        load = self.plan.load
        deadline = time.monotonic() + 3 * load.orders / load.rate + BACK_WITHIN_S
        while (closed := await self.closed()) < share * load.orders:
            tally.closed = max(tally.closed, closed)  # the progress line shows it meanwhile
            if time.monotonic() > deadline:
                raise RuntimeError(f"chaos: {closed} orders closed, never {share:.0%} of "
                                   f"{load.orders}")
            await asyncio.sleep(CLOSED_EVERY_S)

    async def _until_serving(self, tally: Tally) -> None:
        """Return once an order is being served (accepted, not yet rated), or after a while.

        Such an order is placed and not closed: the fault strikes it in flight. On a fast
        machine an order can go from placed to closed within a second, and a fault timed
        by closings alone found one order in flight, or could find none."""
        deadline = time.monotonic() + SERVING_WITHIN_S
        while tally.accepted <= tally.rated:
            if time.monotonic() > deadline:
                self.say(f"chaos: no order in service for {SERVING_WITHIN_S:g} s: injecting")
                return  # the report then counts what the fault struck, and the run is judged
            await asyncio.sleep(SERVING_EVERY_S)

    async def inject(self, fault: Fault) -> Injected:
        """Inject one fault and wait until what it broke answers again (or is meant gone)."""
        self.say(f"chaos: {fault.kind} {fault.target}")
        act = {Kind.KILL: self._kill, Kind.BROKER: self._broker, Kind.STALL: self._stall,
               Kind.POISON: self._poison, Kind.SCALE_OUT: self._scale_out,
               Kind.SCALE_IN: self._scale_in}[fault.kind]
        return await act(fault)

    async def _kill(self, fault: Fault) -> Injected:
        svc = self.stack.running[fault.target]
        seen = len(self.stack.keeper.history)
        svc.proc.send_signal(signal.SIGKILL)
        done = Injected(fault.kind, fault.target, now(), detail=f"pid {svc.proc.pid}")
        deadline = time.monotonic() + BACK_WITHIN_S
        while time.monotonic() < deadline:
            mine = [r for r in self.stack.keeper.history[seen:] if r.service == svc.title]
            if mine and (healthy_at := mine[-1].healthy_at) is not None:
                done.ended = wall(mine[-1].restarted_at or healthy_at)
                done.back = wall(healthy_at)
                break
            await asyncio.sleep(0.2)
        return done

    async def _broker(self, fault: Fault) -> Injected:
        pid = self.stack.pid("kafka")
        self.stack.signal("kafka", signal.SIGKILL)
        done = Injected(fault.kind, fault.target, now(), detail=f"pid {pid}, down "
                        f"{self.plan.broker_down_s:g} s")
        deadline = time.monotonic() + 10
        while alive(pid):
            if time.monotonic() > deadline:
                raise RuntimeError(f"chaos: the broker (pid {pid}) lives on after SIGKILL")
            await asyncio.sleep(0.1)
        await asyncio.sleep(self.plan.broker_down_s)
        done.ended = now()
        await self.stack.restart_broker()
        done.back = now()
        return done

    async def _stall(self, fault: Fault) -> Injected:
        self.stack.signal("mongo", signal.SIGSTOP)
        done = Injected(fault.kind, fault.target, now(), detail=f"SIGSTOP for "
                        f"{self.plan.stall_s:g} s")
        try:
            await asyncio.sleep(self.plan.stall_s)
        finally:
            self.stack.signal("mongo", signal.SIGCONT)
        done.ended = done.back = now()
        return done

    async def _poison(self, fault: Fault) -> Injected:
        at = now()
        await send(self.producer, [p.record for p in self.poison], BACK_WITHIN_S)
        kinds = sorted({p.kind for p in self.poison})
        return Injected(fault.kind, fault.target, at, now(), now(),
                        f"{len(self.poison)} records: {', '.join(kinds)}")

    async def _scale_out(self, fault: Fault) -> Injected:
        at = now()
        svc = self.stack.start(fault.target, f"{fault.target}-2")
        ready = await asyncio.to_thread(services.wait_ready, [svc], BACK_WITHIN_S)
        return Injected(fault.kind, fault.target, at, at, now() if ready else None,
                        f"{svc.title} on port {svc.port}")

    async def _scale_in(self, fault: Fault) -> Injected:
        svc = self.stack.running[f"{fault.target}-2"]
        self.stack.keeper.retire(svc)
        svc.proc.send_signal(signal.SIGKILL)
        at = now()
        return Injected(fault.kind, fault.target, at, at, None,
                        f"{svc.title} (pid {svc.proc.pid}) killed, not restarted")
