"""Keeping services up: one that dies is started again after a capped backoff, and logged.

What an orchestrator does for a container with a restart policy (compose's
``restart: unless-stopped``, a Kubernetes pod's ``restartPolicy: Always``): wait, start it
again, wait longer if it keeps dying (1, 2, 4 … s, at most 30 s), and forget the earlier
deaths once it has run for a while. Each death is kept as a ``Restart`` with the times that
matter to someone waiting: how long it was down, and when it answered ``/healthz`` again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from civiloop_devstack import services
from civiloop_devstack.config import InfraError
from civiloop_devstack.services import Service


@dataclass(frozen=True)
class Backoff:
    """The wait before restarting a service that died ``streak`` times without settling."""

    first_s: float = 1.0
    cap_s: float = 30.0
    stable_s: float = 30.0
    """A service up this long since its last start is forgiven its earlier deaths."""

    def delay(self, streak: int) -> float:
        """``first_s`` doubled per death in a row, never above ``cap_s``."""
        return min(self.cap_s, self.first_s * 2.0 ** max(streak - 1, 0))


@dataclass
class Restart:
    """One death of a service and its way back (times from ``time.monotonic``)."""

    service: str
    status: int
    died_at: float
    restarted_at: float | None = None
    healthy_at: float | None = None

    @property
    def healthy_after_s(self) -> float | None:
        """Seconds from the death being seen to the service answering /healthz again."""
        return None if self.healthy_at is None else self.healthy_at - self.died_at


@dataclass
class _Watched:
    svc: Service
    started_at: float
    streak: int = 0
    current: Restart | None = None
    due_at: float = 0.0


def _answers(svc: Service) -> bool:
    return services.healthy(svc.url)


@dataclass
class Keeper:
    """Watches services; restarts each that dies; ``retire`` one to let it stay dead."""

    say: Callable[[str], None]
    backoff: Backoff = field(default_factory=Backoff)
    healthy: Callable[[Service], bool] = _answers
    clock: Callable[[], float] = time.monotonic
    history: list[Restart] = field(default_factory=list)
    """Every death handled so far, in order, including the one in progress."""
    _watched: dict[int, _Watched] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def watch(self, svcs: Iterable[Service]) -> None:
        """Start keeping ``svcs`` up (they are running now)."""
        with self._lock:
            for svc in svcs:
                self._watched[id(svc)] = _Watched(svc, self.clock())

    def retire(self, svc: Service) -> None:
        """Stop keeping ``svc`` up: its next death is meant (a replica taken away)."""
        with self._lock:
            self._watched.pop(id(svc), None)

    def tick(self) -> None:
        """Look at every service once: note deaths, restart those due, see who answers."""
        with self._lock:
            for watched in list(self._watched.values()):
                self._look(watched, self.clock())

    def _look(self, w: _Watched, now: float) -> None:
        code = w.svc.proc.poll()
        if w.current is None or w.current.restarted_at is not None:
            if code is not None:
                self._died(w, code, now)
            elif w.current is not None and self.healthy(w.svc):
                w.current.healthy_at = now
                self.say(f"{w.svc.title} answers again, {w.current.healthy_after_s:.1f} s "
                         f"after it died")
                w.current = None
            elif w.current is None and now - w.started_at >= self.backoff.stable_s:
                w.streak = 0
        elif now >= w.due_at:
            self._restart(w, now)

    def _died(self, w: _Watched, code: int, now: float) -> None:
        w.streak += 1
        w.current = Restart(w.svc.title, code, now)
        self.history.append(w.current)
        delay = self.backoff.delay(w.streak)
        w.due_at = now + delay
        self.say(f"{w.svc.title} exited with status {code}: restarting it in {delay:g} s "
                 f"(death {w.streak} in a row; log {w.svc.log})")

    def _restart(self, w: _Watched, now: float) -> None:
        try:
            services.relaunch(w.svc)
        except (InfraError, OSError) as exc:  # try again after the next wait
            w.streak += 1
            w.due_at = now + self.backoff.delay(w.streak)
            self.say(f"{w.svc.title} could not be restarted: {exc}")
            return
        assert w.current is not None
        w.current.restarted_at = w.started_at = now
        self.say(f"{w.svc.title} restarted (pid {w.svc.proc.pid})")

    def run(self, stop: threading.Event, every_s: float = 0.5) -> None:
        """Tick every ``every_s`` until ``stop`` is set (for a thread of its own)."""
        while not stop.wait(every_s):
            self.tick()
