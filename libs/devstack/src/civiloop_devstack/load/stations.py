"""Stations: each publishes its residents' orders, and kiosk ratings, on the intake topic."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from aiokafka.errors import KafkaError
from tenacity import (
    AsyncRetrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential,
    wait_fixed,
)

from civiloop_contracts.codec import encode
from civiloop_contracts.events.intake import Channel, RatingSubmitted
from civiloop_contracts.payload import Payload, make_event
from civiloop_contracts.topics import STATION_INTAKE
from civiloop_devstack.load.plan import LoadPlan, Order
from civiloop_devstack.load.tally import Tally
from civiloop_platform.kafka.producer import EventProducer, Outgoing

BATCH_MAX = 200


def record(payload: Payload, station: str) -> Outgoing:
    """The intake record a station frontend sends for ``payload``."""
    encoded = encode(make_event(payload, source=f"/stations/{station}/load"))
    return Outgoing(STATION_INTAKE, encoded.key, encoded.value, encoded.headers)


async def send(producer: EventProducer, records: Sequence[Outgoing],
               patience_s: float = 0.0) -> None:
    """Send ``records``, retried as they are: the broker and the inbox drop what came twice.

    Five tries a second apart; with ``patience_s``, tries for that long (a broker restarting),
    as a station frontend that keeps what it could not send yet would.
    """
    stop, wait = (stop_after_delay(patience_s), wait_exponential(max=5)) if patience_s else (
        stop_after_attempt(5), wait_fixed(1))
    async for attempt in AsyncRetrying(
            stop=stop, wait=wait, reraise=True,
            retry=retry_if_exception_type((TimeoutError, KafkaError))):
        with attempt:
            await producer.send_all(records)


async def publish_orders(producer: EventProducer, plan: LoadPlan, orders: list[Order],
                         tally: Tally, patience_s: float = 0.0) -> None:
    """Publish ``orders`` at the plan's rate (all stations together), in small batches."""
    clock = asyncio.get_running_loop()
    start, sent = clock.time(), 0
    while sent < len(orders):
        due = min(len(orders), sent + BATCH_MAX, int((clock.time() - start) * plan.rate) + 1)
        await send(producer, [record(o.request, o.station) for o in orders[sent:due]],
                   patience_s)
        tally.published += due - sent
        sent = due
        await asyncio.sleep(max(0.0, start + sent / plan.rate - clock.time()))


async def rate_at_kiosk(producer: EventProducer, order: Order, order_id: str,
                        patience_s: float = 0.0) -> None:
    """The resident rates at the station's kiosk: a RatingSubmitted on the intake topic."""
    rating = RatingSubmitted(order_id=order_id, stars=order.stars, resident_ref=order.resident,
                             channel=Channel.KIOSK, comment="在站点评价机上评价")
    await send(producer, [record(rating, order.station)], patience_s)
