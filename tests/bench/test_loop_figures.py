"""The loop benchmark's arithmetic (bench/loop/figures.py): no servers, no timings."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from bench.loop.figures import (
    Mix,
    Ops,
    closing_rate,
    keeps_up,
    limit_orders_per_s,
    marginal,
    next_rates,
    per,
    ratio,
)
from bench.loop.profile import top_frames

T0 = datetime(2026, 12, 3, tzinfo=UTC)


def _ops(insert: int, query: int, commits: int, dispatch: int) -> Ops:
    return Ops(Counter(insert=insert, query=query, command=commits),
               Counter(commitTransaction=commits, insert=insert),
               Counter(civiloop_dispatch=dispatch))


def test_the_cost_of_an_order_is_the_larger_run_less_the_smaller_per_extra_order() -> None:
    small, large = _ops(100, 300, 50, 40), _ops(400, 900, 110, 100)
    extra = marginal(small, large, 10, 40)
    assert extra is not None
    assert per(extra.kinds, 30) == {"command": 2.0, "insert": 10.0, "query": 20.0}
    assert per(extra.databases, 30) == {"civiloop_dispatch": 2.0}
    assert extra.total == 300 + 600 + 60
    assert marginal(small, large, 40, 40) is None


def test_the_readers_own_calls_are_taken_out_of_a_count() -> None:
    own = Ops(Counter(command=2), Counter(serverStatus=1, top=1))
    counted = Ops(Counter(command=12, query=5), Counter(serverStatus=3, top=3, find=5))
    left = counted.less(own, 2)
    assert (left.kinds["command"], left.kinds["query"]) == (8, 5)
    assert (left.commands["serverStatus"], left.commands["find"]) == (1, 5)


def test_the_mix_puts_two_writes_in_each_transaction_and_keeps_its_proportions() -> None:
    per_order = Ops(Counter(insert=40, update=40, query=90),
                    Counter(commitTransaction=30, findAndModify=2))
    mix = Mix.of(per_order, 1)
    assert mix == Mix(transactions=30, writes=22, reads=90)
    schedule = mix.schedule(142)
    assert Counter(schedule) == {"txn": 30, "write": 22, "read": 90}


def test_a_limit_in_orders_is_calls_per_second_over_calls_per_order() -> None:
    assert limit_orders_per_s(1000, 50) == 20
    assert limit_orders_per_s(1000, 0) is None
    assert ratio(5, 20) == 0.25
    assert ratio(None, 20) is None


def _closings(latencies: list[float], every_s: float = 1.0) -> list[tuple[datetime, datetime]]:
    return [(T0 + timedelta(seconds=i * every_s),
             T0 + timedelta(seconds=i * every_s + lat)) for i, lat in enumerate(latencies)]


def test_a_step_keeps_up_while_latency_stays_level_and_not_when_a_queue_grows() -> None:
    level = _closings([4.0, 5.0, 4.5, 6.0] * 10)
    queue = _closings([4.0 + i * 0.5 for i in range(40)])  # 0.5 s more per order placed
    assert keeps_up(1.0, 40, level)
    assert not keeps_up(1.0, 40, queue)
    assert not keeps_up(1.0, 41, level)  # one order never closed
    assert not keeps_up(2.0, 40, level)  # placed twice as fast as they closed


def test_the_closing_rate_counts_from_the_first_closing_to_the_last() -> None:
    assert closing_rate(_closings([5.0] * 11, every_s=0.5)) == 2.0
    assert closing_rate(_closings([5.0])) is None


def test_the_knee_search_multiplies_the_rate_up_to_the_top() -> None:
    assert next_rates(1.0, 1.5, 5.0) == [1.0, 1.5, 2.25, 3.38]


def test_profile_frames_are_ranked_by_share_leaving_out_the_plumbing() -> None:
    collapsed = ("main (app/m.py:1);loop (asyncio/base.py:2);work (app/w.py:3) 6\n"
                 "main (app/m.py:1);loop (asyncio/base.py:2);idle (app/i.py:4) 4\n")
    assert top_frames(collapsed) == [("app/w:work", 0.6), ("app/i:idle", 0.4)]
