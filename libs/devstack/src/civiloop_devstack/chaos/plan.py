"""What a chaos run does: the load it puts on the loop, and which fault comes when."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from civiloop_devstack.load.plan import LoadPlan

CONSUMERS = ("requests", "volunteers", "feedback", "stats")
"""The services that get a second replica mid-run (dispatch's pair is tested on its own)."""


class Kind(StrEnum):
    """The kinds of fault the harness injects."""

    KILL = "kill"
    """SIGKILL of a service; the keeper starts it again."""
    BROKER = "broker"
    """SIGKILL of the Kafka broker, started again after ``broker_down_s``."""
    STALL = "stall"
    """SIGSTOP of the store (SecantusDB) for ``stall_s``, then SIGCONT."""
    POISON = "poison"
    """Bad records on the intake topic among the good ones."""
    SCALE_OUT = "scale_out"
    """A second replica of a service joins its consumer groups (a rebalance)."""
    SCALE_IN = "scale_in"
    """SIGKILL of that second replica, not restarted: the first takes its partitions back."""


@dataclass(frozen=True)
class Fault:
    """One fault of the schedule: when (the share of the orders closed), what, on what."""

    at: float
    kind: Kind
    target: str = ""


def _kills(at: float, *names: str) -> list[Fault]:
    return [Fault(at, Kind.KILL, name) for name in names]


FULL: tuple[Fault, ...] = (
    *_kills(0.08, "requests"), *_kills(0.14, "dispatch"), *_kills(0.20, "volunteers"),
    Fault(0.27, Kind.BROKER, "kafka"),
    *_kills(0.34, "feedback"),
    Fault(0.40, Kind.POISON, "stations.intake.v1"),
    Fault(0.46, Kind.STALL, "mongo"),
    *(Fault(0.53, Kind.SCALE_OUT, name) for name in CONSUMERS),
    *_kills(0.60, "dispatch"), *_kills(0.66, "stats"),
    *(Fault(0.73, Kind.SCALE_IN, name) for name in CONSUMERS),
    *_kills(0.82, "dispatch"),
)
"""`make chaos`: each service killed once (dispatch three times), the broker, the store,
poison, and a second replica of each consumer service started and later killed."""

SHORT: tuple[Fault, ...] = (
    *_kills(0.08, "dispatch"),
    Fault(0.22, Kind.BROKER, "kafka"),
    Fault(0.36, Kind.POISON, "stations.intake.v1"),
    Fault(0.42, Kind.STALL, "mongo"),
    *(Fault(0.58, Kind.SCALE_OUT, name) for name in CONSUMERS),
    *(Fault(0.76, Kind.SCALE_IN, name) for name in CONSUMERS),
)
"""CI's short run: every kind of fault once (the kill on dispatch)."""


@dataclass
class ChaosPlan:
    """A load plan, its faults, and how long each fault lasts."""

    load: LoadPlan = field(default_factory=lambda: LoadPlan(stations=20, orders=5000, rate=2))
    faults: tuple[Fault, ...] = FULL
    broker_down_s: float = 10.0
    stall_s: float = 20.0
    poison_each: int = 3
    """Records of each poison kind sent (see ``poison.py``)."""
    partitions: int = 12

    def __post_init__(self) -> None:
        if any(not 0 <= f.at < 1 for f in self.faults):
            raise ValueError("a fault's place in the run is a share of the orders: 0 <= at < 1")
        outs = {f.target for f in self.faults if f.kind is Kind.SCALE_OUT}
        ins = [f for f in self.faults if f.kind is Kind.SCALE_IN]
        if any(f.target not in outs or f.at <= min(o.at for o in self.faults
                                                    if o.kind is Kind.SCALE_OUT
                                                    and o.target == f.target) for f in ins):
            raise ValueError("a second replica must be started before it is killed")
