"""Unit tests: the keeper restarts a dead service after a capped backoff, and says so."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from civiloop_devstack import services
from civiloop_devstack.keeper import Backoff, Keeper
from civiloop_devstack.services import Service

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def svc(tmp_path: Path) -> Iterator[Service]:
    """A long sleeper standing in for a service; stopped after the test."""
    log = tmp_path / "sleeper.log"
    started = Service("dispatch", 1, services.launch(SLEEPER, None, log), log, SLEEPER)
    yield started
    services.stop([started], timeout_s=5)


def kill(svc: Service) -> None:
    svc.proc.send_signal(signal.SIGKILL)
    svc.proc.wait(timeout=5)


def keeper_of(svc: Service, clock: Clock, said: list[str], answers: list[bool]) -> Keeper:
    keeper = Keeper(say=said.append, backoff=Backoff(first_s=1, cap_s=4, stable_s=30),
                    healthy=lambda _: answers[0], clock=clock)
    keeper.watch([svc])
    return keeper


def test_a_killed_service_is_restarted_after_the_backoff_and_its_return_is_timed(
        svc: Service) -> None:
    clock, said, answers = Clock(), list[str](), [False]
    keeper = keeper_of(svc, clock, said, answers)
    first = svc.proc.pid
    kill(svc)
    keeper.tick()
    assert said == [f"dispatch exited with status -9: restarting it in 1 s (death 1 in a row; "
                    f"log {svc.log})"]
    clock.now += 0.5
    keeper.tick()
    assert svc.proc.poll() is not None  # not yet: the backoff is one second
    clock.now += 0.5
    keeper.tick()
    assert svc.proc.poll() is None
    assert svc.proc.pid != first
    assert said[-1] == f"dispatch restarted (pid {svc.proc.pid})"
    clock.now += 2.0
    keeper.tick()  # running, but not answering yet
    answers[0] = True
    clock.now += 0.5
    keeper.tick()
    assert said[-1] == "dispatch answers again, 3.5 s after it died"
    [restart] = keeper.history
    assert (restart.status, restart.restarted_at, restart.healthy_after_s) == (-9, 1001.0, 3.5)


def test_deaths_in_a_row_wait_longer_up_to_the_cap_and_a_settled_service_is_forgiven(
        svc: Service) -> None:
    clock, said, answers = Clock(), list[str](), [False]
    keeper = keeper_of(svc, clock, said, answers)
    waits = []
    for _ in range(4):  # dies again each time before it answers
        kill(svc)
        keeper.tick()
        waits.append(said[-1].split("restarting it in ")[1].split(" s")[0])
        clock.now += 10
        keeper.tick()
    assert waits == ["1", "2", "4", "4"]
    answers[0] = True
    keeper.tick()
    clock.now += 31  # up long enough: the next death starts the backoff afresh
    keeper.tick()
    kill(svc)
    keeper.tick()
    assert "restarting it in 1 s (death 1 in a row" in said[-1]


def test_a_retired_service_stays_dead(svc: Service) -> None:
    clock, said, answers = Clock(), list[str](), [True]
    keeper = keeper_of(svc, clock, said, answers)
    keeper.retire(svc)
    kill(svc)
    for _ in range(3):
        clock.now += 5
        keeper.tick()
    assert svc.proc.poll() is not None
    assert said == []
    assert keeper.history == []


def test_backoff_doubles_from_the_first_wait_and_stops_at_the_cap() -> None:
    backoff = Backoff(first_s=1, cap_s=30)
    assert [backoff.delay(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]
