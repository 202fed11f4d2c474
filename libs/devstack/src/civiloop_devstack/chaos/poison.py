"""Poison: records on the intake topic that no consumer can take, each keyed so that its
dead letter can be found again. Each kind breaks the contract in its own place."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from civiloop_contracts.codec import CONTENT_TYPE, encode
from civiloop_contracts.events.intake import Channel, RatingSubmitted
from civiloop_contracts.payload import make_event
from civiloop_contracts.topics import STATION_INTAKE
from civiloop_devstack.load.plan import LoadPlan
from civiloop_platform.kafka.producer import Outgoing

JSON = [("content-type", CONTENT_TYPE.encode())]


@dataclass(frozen=True)
class Poison:
    """One bad record: its key (how its dead letter is found) and what is wrong with it."""

    key: str
    kind: str
    record: Outgoing


def _envelope(plan: LoadPlan, n: int) -> dict[str, object]:
    """A good order request of the run, as the JSON a station frontend would send."""
    body: dict[str, object] = json.loads(
        encode(make_event(plan.order(n).request, source="/stations/chaos")).value)
    return body


def _rating(stars: int) -> dict[str, object]:
    """A kiosk rating as JSON, with ``stars`` put in after validation."""
    good = RatingSubmitted(order_id="chaos-no-such-order", stars=5, resident_ref="chaos",
                           channel=Channel.KIOSK)
    body: dict[str, Any] = json.loads(encode(make_event(good, source="/stations/chaos")).value)
    body["data"]["stars"] = stars
    return body


def _breaks(plan: LoadPlan, n: int) -> dict[str, tuple[bytes, list[tuple[str, bytes]]]]:
    """Each kind of poison: the record value and headers."""
    no_unit = _envelope(plan, n)
    del no_unit["data"]["unit"]  # type: ignore[attr-defined]
    stranger = _envelope(plan, n) | {"type": "civiloop.OrderTeleported"}
    return {
        "garbage": (b"\x00\xff\xfe not an event at all", JSON),
        "not_an_envelope": (json.dumps({"hello": "station"}).encode(), JSON),
        "unknown_type": (json.dumps(stranger).encode(), JSON),
        "order_without_unit": (json.dumps(no_unit).encode(), JSON),
        "rating_of_nine_stars": (json.dumps(_rating(9)).encode(), JSON),
    }


def poison(plan: LoadPlan, each: int) -> list[Poison]:
    """``each`` records of every kind, keyed ``ch<tag>-poison-<kind>-<i>``."""
    made = []
    for i in range(each):
        # A request id of the run's own range, so a broken order cannot pass for a good one.
        for kind, (value, headers) in _breaks(plan, plan.orders + i).items():
            key = f"ch{plan.tag}-poison-{kind}-{i}"
            made.append(Poison(key, kind, Outgoing(STATION_INTAKE, key.encode(), value,
                                                   list(headers))))
    return made
