"""Every service at two replicas (two processes on one database and one consumer group,
each with its own INSTANCE_ID): the station load goes around the loop with the people's
calls spread over both, every order is closed once, nothing is applied twice, and stats
(asked at either replica) equals the recount from the owners."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from civiloop_contracts.topics import CATALOGUE, STATION_INTAKE
from civiloop_devstack.chaos import checks
from civiloop_devstack.chaos.run import owners
from civiloop_devstack.load.plan import LoadPlan
from civiloop_devstack.load.run import Target, run_load
from civiloop_devstack.records import read_all
from civiloop_devstack.services import NAMES
from tests.e2e.agree import settled_disagreements
from tests.e2e.conftest import LOGS
from tests.e2e.stack import Stack, running_stack

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def pairs(infra: Any) -> Iterator[Stack]:
    """The five services, two replicas of each."""
    with running_stack(infra.kafka_bootstrap, infra.mongo_url, LOGS, replicas=2) as running:
        yield running


def handled(url: str) -> float:
    """Events this replica's consumers applied, from its own /metrics."""
    text = httpx.get(f"{url}/metrics", timeout=30).text
    return sum(sample.value for family in text_string_to_metric_families(text)
               if family.name == "civiloop_events_handled" for sample in family.samples
               if sample.name.endswith("_total"))


@pytest.mark.timeout(900)
def test_two_replicas_of_every_service_close_every_order_once(pairs: Stack, infra: Any) -> None:
    # Requests, volunteers and stats answered by their second replica, the rest by the first:
    # an answer that needed one replica's memory would show.
    urls = {name: pairs.replicas[name][1 if name in ("requests", "volunteers", "stats") else 0]
            for name in NAMES}
    plan = LoadPlan(stations=10, orders=80, rate=2)
    report = asyncio.run(run_load(plan, Target(urls, infra.kafka_bootstrap), stall_s=120))
    assert (report.published, report.lost, report.dead_lettered) == (plan.orders, 0, {})
    assert dict(report.statuses) == {"closed": plan.orders}
    # Both replicas of each service took part: each applied events of its own partitions.
    idle = [url for name in NAMES for url in pairs.replicas[name] if handled(url) == 0]
    assert idle == []
    # Nothing applied twice, on the topics or in the owners' lists; timelines in order.
    events = asyncio.run(read_all(infra.kafka_bootstrap, [t.name for t in CATALOGUE
                                                          if t.name != STATION_INTAKE]))
    assert checks.twice_on_topics(events, set(report.timelines)) == []
    hours, ratings = asyncio.run(owners(urls))
    # Every order served left its volunteer's hours entry and its resident's rating.
    assert len({e["order_id"] for e in hours if e["order_id"]}) == plan.orders
    assert len({r["order_id"] for r in ratings}) == plan.orders
    assert checks.twice_in_owners(report.timelines, hours, ratings) == []
    assert checks.out_of_order(report.timelines) == []
    # Stats equals the recount, asked at either replica.
    for stats in pairs.replicas["stats"]:
        found = settled_disagreements(urls | {"stats": stats})
        assert not found, "\n".join(found)
