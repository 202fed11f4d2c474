"""A whole load run: build the district, send the orders, let people answer, then account."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import httpx

from civiloop_devstack.load.api import Api
from civiloop_devstack.load.district import dispatch_knows, register_units, register_volunteers
from civiloop_devstack.load.live import streams_client
from civiloop_devstack.load.people import Residents, Volunteers, pause
from civiloop_devstack.load.plan import LoadPlan
from civiloop_devstack.load.report import Report, account, closed_count
from civiloop_devstack.load.stations import publish_orders, rate_at_kiosk
from civiloop_devstack.load.tally import Tally
from civiloop_platform.kafka.producer import EventProducer

LOOK_S = 5.0  # how often the run asks requests how many orders it has closed
HTTP_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Target:
    """Where the system under load answers: each service's base URL, and Kafka."""

    urls: dict[str, str]
    kafka_bootstrap: str


async def until_closed(api: Api, plan: LoadPlan, tally: Tally, stall_s: float,
                       show: Callable[[Tally], None]) -> None:
    """Return once every order is closed, or nothing has moved for ``stall_s`` seconds."""
    clock = asyncio.get_running_loop()
    last: tuple[int, ...] = ()
    moved = clock.time()
    while tally.closed < plan.orders:
        await asyncio.sleep(LOOK_S)
        tally.closed = await closed_count(api, plan)
        show(tally)
        now = (tally.published, tally.offers, tally.completed, tally.rated, tally.closed)
        if now != last:
            last, moved = now, clock.time()
        elif clock.time() - moved > stall_s:
            return


Alongside = Callable[[Tally], Coroutine[Any, Any, None]]
"""Work run beside the stations and people, from the first order on (the chaos harness's
faults); it sees the tally, and the run waits for it to end."""


async def _nothing() -> None:
    return None


async def run_load(plan: LoadPlan, target: Target, *, stall_s: float = 60.0,
                   show: Callable[[Tally], None] = lambda _: None,
                   say: Callable[[str], None] = lambda _: None,
                   patience_s: float = 0.0, alongside: Alongside | None = None,
                   settled: Callable[[], Awaitable[None]] = _nothing) -> Report:
    """Run ``plan`` against ``target`` and account for every order it published.

    ``patience_s``: how long people keep trying a service that does not answer or answers
    5xx (see ``Api.patience_s``); ``alongside`` runs beside them (see ``Alongside``).
    ``settled`` is awaited once the orders are closed (or stalled), before the accounting
    reads them back: a benchmark counts the system's work up to there.
    """
    limits = httpx.Limits(max_connections=32, max_keepalive_connections=32)
    async with (httpx.AsyncClient(timeout=HTTP_TIMEOUT_S, limits=limits) as client,
                streams_client() as streams):
        api = Api(target.urls, client, patience_s=patience_s)
        await register_units(api, plan)
        volunteers = await register_volunteers(api, plan)
        await dispatch_knows(api, plan)
        say(f"load: {len(volunteers)} volunteers at {plan.stations} stations of "
            f"{len(plan.institutes)} institute(s); dispatch knows them all")
        producer = EventProducer(target.kafka_bootstrap, f"civiloop-load-{plan.tag}",
                                 send_timeout_s=15, stop_timeout_s=10)
        await producer.start()
        try:
            tally = await _loop(api, streams, plan, producer, volunteers, stall_s, show,
                                alongside)
        finally:
            await producer.stop()
        await settled()
        report = await account(api, plan, target.kafka_bootstrap, tally.published)
        report.unanswered = api.unanswered
        return report


async def _loop(api: Api, streams: httpx.AsyncClient, plan: LoadPlan,
                producer: EventProducer, volunteers: list[str], stall_s: float,
                show: Callable[[Tally], None], alongside: Alongside | None) -> Tally:
    """Stations publish while volunteers serve and residents rate, until all is closed."""
    tally, stop, served = Tally(), asyncio.Event(), asyncio.Queue[str]()
    orders = [plan.order(n) for n in range(plan.orders)]
    people = Volunteers(api, plan, tally, served, streams)
    residents = Residents(api, {o.request.request_id: o for o in orders}, tally,
                          lambda order, order_id: rate_at_kiosk(producer, order, order_id,
                                                                api.patience_s))

    async def stations() -> None:
        await publish_orders(producer, plan, orders, tally, api.patience_s)
        await until_closed(api, plan, tally, stall_s, show)
        stop.set()
    async with asyncio.TaskGroup() as group:  # one failing person stops the run, loudly
        group.create_task(stations())
        group.create_task(people.run(volunteers, stop))
        group.create_task(residents.run(served, stop))
        group.create_task(_progress(tally, stop, show))
        if alongside is not None:
            group.create_task(alongside(tally))
    return tally


async def _progress(tally: Tally, stop: asyncio.Event, show: Callable[[Tally], None]) -> None:
    """Refresh the progress display twice a second."""
    while not stop.is_set():
        show(tally)
        await pause(stop, 0.5)
