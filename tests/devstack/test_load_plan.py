"""The load generator's plan and account, without any server."""

from __future__ import annotations

import statistics
from collections import Counter

import httpx
import pytest

from civiloop_devstack.load.api import Api, Refused, Unanswered
from civiloop_devstack.load.console import summary
from civiloop_devstack.load.plan import SERVICES, LoadPlan
from civiloop_devstack.load.report import Percentiles, Report


def test_orders_go_round_the_stations_five_to_an_institute() -> None:
    plan = LoadPlan(stations=12, orders=48, tag="abc123")
    orders = [plan.order(n) for n in range(plan.orders)]
    assert plan.institutes == ["ldabc123-i1", "ldabc123-i2", "ldabc123-i3"]
    assert Counter(o.station for o in orders) == {f"ldabc123-s{s:02d}": 4 for s in range(1, 13)}
    assert {o.request.unit.institute for o in orders if o.station == "ldabc123-s06"} == {
        "ldabc123-i2"}
    assert len({o.request.request_id for o in orders}) == len({o.resident for o in orders}) == 48
    assert Counter(o.request.category for o in orders) == {c: 12 for c, _, _ in SERVICES}


def test_the_same_seed_gives_the_same_judgements() -> None:
    first, second = (LoadPlan(orders=50, tag="same", seed=7) for _ in range(2))
    assert [first.order(n).stars for n in range(50)] == [second.order(n).stars for n in range(50)]
    assert [first.order(n).at_kiosk for n in range(50)] == [
        second.order(n).at_kiosk for n in range(50)]


def test_made_up_people_carry_a_valid_id_number() -> None:
    person = LoadPlan().person()
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    body, check = person["id_number"][:17], person["id_number"][17]
    assert "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11] == check
    assert len(person["phone"]) == 11


@pytest.mark.parametrize("bad", [{"stations": 0}, {"orders": 0}, {"rate": 0},
                                 {"volunteers_per_station": 0}])
def test_a_plan_refuses_nothing_to_do(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must be"):
        LoadPlan(**bad)  # type: ignore[arg-type]


def test_percentiles_follow_the_inclusive_method() -> None:
    seconds = [float(n) for n in range(1, 101)]
    p = Percentiles.of(seconds)
    assert p is not None
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    assert (p.p50, p.p95, p.p99, p.max, p.count) == (cuts[49], cuts[94], cuts[98], 100.0, 100)
    assert Percentiles.of([1.0]) is None


def test_lost_is_what_neither_requests_nor_the_dead_letters_hold() -> None:
    report = Report(published=10, found=7, dead_lettered={"r1": "rejected: category"},
                    statuses=Counter({"closed": 7}), outcomes=Counter({"rated": 7}))
    assert report.lost == 2
    lines = summary(LoadPlan(orders=10, tag="t"), report)
    assert "lost 2" in lines[1]
    assert lines[-1] == "dead letter r1: rejected: category"


def test_the_summary_counts_timelines_and_unanswered_calls_by_kind() -> None:
    report = Report(published=3, found=3, dead_lettered={}, statuses=Counter({"closed": 3}),
                    outcomes=Counter({"rated": 3}),
                    reached=Counter({"placed": 3, "completed": 3, "rated": 2, "closed": 3}),
                    unanswered=Counter({"GET volunteers ReadTimeout": 2,
                                        "POST feedback ConnectError": 1}))
    lines = summary(LoadPlan(orders=3, tag="t"), report)
    assert "timelines: placed 3   completed 3   rated 2   closed 3" in lines
    assert lines[-1] == ("calls that went unanswered and were tried again: 3 "
                         "(GET volunteers ReadTimeout 2, POST feedback ConnectError 1)")


def test_an_unanswered_call_is_counted_by_method_service_and_cause() -> None:
    exc = Unanswered("GET", "volunteers", "/api/v1/volunteers/offers/mine",
                     httpx.ReadTimeout("timed out"))
    assert exc.kind == "GET volunteers ReadTimeout"
    assert "offers/mine" in str(exc)


def _api(replies: list[httpx.Response | Exception]) -> Api:
    """An Api whose one service answers with ``replies`` in turn."""
    def answer(request: httpx.Request) -> httpx.Response:
        reply = replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply
    client = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    return Api({"volunteers": "http://volunteers"}, client)


async def test_a_step_whose_unanswered_try_went_through_is_done_and_counted() -> None:
    api = _api([httpx.ReadTimeout("timed out"),
                httpx.Response(409, text="accepted already")])
    await api.step("volunteers", "POST", "/accept", {})
    assert api.unanswered == {"POST volunteers ReadTimeout": 1}


async def test_a_step_refused_at_the_first_try_is_refused() -> None:
    api = _api([httpx.Response(409, text="accepted already by someone else")])
    with pytest.raises(Refused):
        await api.step("volunteers", "POST", "/accept", {})
    assert not api.unanswered
