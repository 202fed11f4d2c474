"""What a chaos run is judged by, from the topics and the owning services' own lists:
effects applied twice, dead letters other than the poison, timelines out of causal order.

Each check returns one line per finding (empty: it holds), so a failure says what and where.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from civiloop_contracts.codec import decode
from civiloop_contracts.payload import ContractError
from civiloop_devstack.records import Record

ONCE_PER_ORDER = ("OrderPlaced", "OrderDispatched", "OrderAccepted", "ServiceCompleted",
                  "FeedbackGiven", "OrderClosed")
"""Facts an order has at most once in a round of service (the load reopens none): a second
event with another id is the effect applied twice (the same id again is only redelivery)."""
RANK = {"place": 0, "dispatch": 1, "decline": 1, "expire": 1, "escalate": 1, "accept": 2,
        "start_service": 3, "complete": 4, "rate": 5, "close": 6}
"""Where each step of an order's life comes: a step never follows one ranked higher."""
ONCE_IN_TIMELINE = ("place", "accept", "complete", "rate", "close")
Doc = dict[str, Any]


def twice_on_topics(records: Iterable[Record], orders: set[str] | None = None) -> list[str]:
    """Orders (of ``orders``, else all) with two distinct events of a once-per-order fact,
    two timeline lines of one place, or more redispatches than offers declined or withdrawn."""
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for record in records:
        try:
            envelope = decode(record.value, record.headers)
        except ContractError:
            continue  # the services publish none; poison is on the intake topic only
        kind, data = envelope.type.removeprefix("civiloop."), envelope.data
        if kind == "OrderStepRecorded":
            kind = f"timeline line {data.get('seq')}"
        seen[(kind, str(data.get("order_id")))].add(envelope.id)
    found = [f"{kind} of order {order}: {len(ids)} events" for (kind, order), ids
             in sorted(seen.items()) if len(ids) > 1 and (kind in ONCE_PER_ORDER
                                                          or kind.startswith("timeline"))]
    found += [f"order {order}: {len(ids)} redispatches for {n} offers declined or withdrawn"
              for (kind, order), ids in sorted(seen.items()) if kind == "OrderRedispatched"
              and len(ids) > (n := len(seen.get(("OrderDeclined", order), ()))
                              + len(seen.get(("OrderWithdrawn", order), ())))]
    return [f for f in found if orders is None or f.split(":")[0].split()[-1] in orders]


def twice_in_owners(timelines: dict[str, list[Doc]], hours: list[Doc],
                    ratings: list[Doc]) -> list[str]:
    """Steps taken twice in a timeline, hours counted twice, ratings given twice."""
    found = []
    for order, steps in timelines.items():
        counts = Counter(s["step"] for s in steps)
        found += [f"order {order}: {counts[step]} '{step}' lines in its timeline"
                  for step in ONCE_IN_TIMELINE if counts[step] > 1]
    entries = Counter((e["order_id"], e["volunteer_id"]) for e in hours
                      if e["order_id"] and e["status"] in ("final", "approved"))
    found += [f"order {order}: {n} hours entries for volunteer {who}"
              for (order, who), n in sorted(entries.items()) if n > 1]
    rounds = Counter((r["order_id"], r["round"]) for r in ratings)
    found += [f"order {order}: {n} ratings in round {r}"
              for (order, r), n in sorted(rounds.items()) if n > 1]
    return found


def out_of_order(timelines: dict[str, list[Doc]]) -> list[str]:
    """Timelines whose steps or times break causality (placed first, closed last, each step
    after the ones it needs, and no step dated before the step it answers)."""
    found = []
    for order, steps in timelines.items():
        names = [s["step"] for s in steps]
        ranks = [RANK.get(n, 0) for n in names]
        if not names or names[0] != "place":
            found.append(f"order {order}: the timeline does not start with its placing")
        if "close" in names and names[-1] != "close":
            found.append(f"order {order}: steps after the close: {names}")
        if any(b < a for a, b in itertools.pairwise(ranks)):
            found.append(f"order {order}: steps out of order: {names}")
        found += _times(order, steps)
    return found


def _times(order: str, steps: list[Doc]) -> list[str]:
    """The first time of each milestone must not precede the milestone before it."""
    firsts: dict[int, tuple[datetime, str]] = {}
    for s in steps:
        rank = RANK.get(s["step"])
        if rank is not None and rank not in firsts:
            firsts[rank] = (datetime.fromisoformat(s["at"]), s["step"])
    ranks = sorted(firsts)
    return [f"order {order}: '{firsts[b][1]}' at {firsts[b][0]:%H:%M:%S.%f} before "
            f"'{firsts[a][1]}' at {firsts[a][0]:%H:%M:%S.%f}"
            for a, b in itertools.pairwise(ranks) if firsts[b][0] < firsts[a][0]]


def _origin(record: Record) -> tuple[str, int, int]:
    """The topic, partition and offset a dead letter came from (its headers say)."""
    headers = {k: v.decode() for k, v in record.headers or ()}
    return (headers.get("dlq-original-topic", "?"), int(headers.get("dlq-original-partition",
            "-1")), int(headers.get("dlq-original-offset", "-1")))


def dead_letters_besides_poison(dead: list[Record], intake: list[Record],
                                poison_keys: set[str]) -> tuple[int, list[str]]:
    """How many records were dead-lettered (each counted once, whichever group did it),
    and one line for each that is not poison and each poison record that is not there."""
    poisoned = {(r.topic, r.partition, r.offset): (r.key or b"").decode() for r in intake
                if (r.key or b"").decode() in poison_keys}
    lettered: dict[tuple[str, int, int], str] = {}
    for record in dead:
        reason = dict(record.headers or ()).get("dlq-reason", b"").decode()
        lettered.setdefault(_origin(record), reason)
    found = [f"dead letter of {topic}[{part}]@{offset}: not poison ({why})"
             for (topic, part, offset), why in sorted(lettered.items())
             if (topic, part, offset) not in poisoned]
    found += [f"poison {key} at {topic}[{part}]@{offset}: not dead-lettered"
              for (topic, part, offset), key in sorted(poisoned.items())
              if (topic, part, offset) not in lettered]
    found += [f"poison {key}: not on the intake topic" for key in
              sorted(poison_keys - set(poisoned.values()))]
    return len(lettered), found
