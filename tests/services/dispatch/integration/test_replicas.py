"""Two dispatch replicas on one database and the same topics; one is killed (SIGKILL) while
deadlines fire and orders arrive. Every order is dispatched once, every deadline fired once."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from civiloop_contracts.codec import decode
from civiloop_contracts.envelope import utcnow
from civiloop_devstack.testinfra import free_ports
from civiloop_platform.kafka.producer import EventProducer
from civiloop_platform.store.mongo import make_client
from tests.services.dispatch.builders import District, order, volunteer
from tests.services.dispatch.integration.conftest import create_topics, settings_for
from tests.services.dispatch.integration.harness import record
from tests.support import drop_when_done, eventually, started_producer

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[4]
LOGS = REPO / ".local" / "test-output" / "dispatch-replicas"
SURVIVE_S = 240  # a bound on recovery, far above the ~90 s it takes, not a measurement


def _env(settings: Any, name: str, port: int) -> dict[str, str]:
    return {**os.environ, "KAFKA_BOOTSTRAP": settings.kafka_bootstrap,
            "MONGO_URL": settings.mongo_url.get_secret_value(), "MONGO_DB": settings.mongo_db,
            "CONSUMER_GROUP": settings.consumer_group, "CIVILOOP_ENV": "test",
            "INSTANCE_ID": name, "HTTP_PORT": str(port), "DEADLINE_POLL_S": "0.2",
            "DEADLINE_LEASE_S": "3", "LEASE_TTL_S": "3", "OUTBOX_POLL_S": "0.1",
            "LOG_LEVEL": "WARNING"}


@contextmanager
def replicas(settings: Any, names: list[str]) -> Iterator[dict[str, tuple[subprocess.Popen[bytes], int]]]:
    """Each replica as its own process (``python -m civiloop_dispatch``); all stopped after.

    Their logs (warnings and up) go to .local/test-output/dispatch-replicas/<name>.log, so a
    failed run can be read afterwards."""
    ports = free_ports(len(names))
    LOGS.mkdir(parents=True, exist_ok=True)
    procs = {}
    for name, port in zip(names, ports, strict=True):
        with (LOGS / f"{name}.log").open("wb") as log:  # the child keeps its own handle
            procs[name] = (subprocess.Popen(
                [sys.executable, "-m", "civiloop_dispatch"], cwd=REPO,
                env=_env(settings, name, port), stdout=log, stderr=subprocess.STDOUT), port)
    try:
        yield procs
    finally:
        for proc, _ in procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc, _ in procs.values():
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)


def _ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as reply:
            return bool(reply.status == 200)
    except OSError:
        return False


async def _send(producer: EventProducer, *payloads: Any) -> None:
    await producer.send_all([record(p) for p in payloads])


@pytest.mark.timeout(2 * SURVIVE_S + 180)
async def test_two_replicas_one_killed_dispatch_and_fire_each_deadline_exactly_once(
        infra: Any) -> None:
    await create_topics(infra.kafka_bootstrap)
    settings = settings_for(infra)
    client = make_client(infra.mongo_url)
    db = client[settings.database]
    d = District.new()
    first_wave = [d.id(f"o{i:02d}") for i in range(12)]
    second_wave = [d.id(f"p{i:02d}") for i in range(8)]

    async def types_of(order_id: str) -> list[str]:
        rows = db["outbox"].find({"key": order_id.encode()}).sort([("created_at", 1), ("seq", 1)])
        return [decode(r["value"]).type.removeprefix("civiloop.") async for r in rows]

    async def all_have(order_ids: list[str], expected: list[str]) -> bool:
        return all([await types_of(o) == expected for o in order_ids])

    try:
        with replicas(settings, ["replica-a", "replica-b"]) as procs:
            async def both_ready() -> bool:
                return all(_ready(port) for _, port in procs.values())

            await eventually(both_ready, within_s=90)
            async with started_producer(infra.kafka_bootstrap, "dispatch-replica-tests") as p:
                await _send(p, *(volunteer(d.id(f"v{i}"), d.station(), max_load=20)
                                 for i in range(6)))

                mine = [f"volunteer:{d.id(f'v{i}')}" for i in range(6)]

                async def registered() -> bool:
                    # Other tests' events on the shared topics reach this group too.
                    return await db["candidates"].count_documents({"_id": {"$in": mine}}) == 6

                await eventually(registered)
                await _send(p, *(order(o, d.station()) for o in first_wave))
                await eventually(lambda: all_have(first_wave, ["OrderDispatched"]))

                # A replica that claimed two deadlines and died before firing them.
                now = utcnow()
                wave = {"order_id": {"$in": first_wave}}
                await db["timers"].update_many(wave, {"$set": {"due_at": now - timedelta(seconds=1)}})
                ghost = [t["_id"] async for t in db["timers"].find(wave).limit(2)]
                await db["timers"].update_many(
                    {"_id": {"$in": ghost}},
                    {"$set": {"owner": "ghost", "lease_until": now + timedelta(seconds=2)}})
                await _send(p, *(order(o, d.station()) for o in second_wave))
                await asyncio.sleep(0.3)  # deadlines are firing and orders arriving: now die
                procs["replica-a"][0].send_signal(signal.SIGKILL)

                fired = ["OrderDispatched", "OrderWithdrawn", "OrderRedispatched"]
                # The survivor waits out Kafka's session timeout (30 s) for the dead one's
                # partitions, and the database's transaction lifetime (60 s, as mongod's
                # default) for the locks of the transaction it was killed in.
                await eventually(lambda: all_have(first_wave, fired), within_s=SURVIVE_S)
                await eventually(lambda: all_have(second_wave, ["OrderDispatched"]),
                                 within_s=SURVIVE_S)
                await asyncio.sleep(2.0)  # anything fired twice would have shown by now
                assert await all_have(first_wave, fired)
                assert await all_have(second_wave, ["OrderDispatched"])
                timers = [t async for t in db["timers"].find({"order_id": {"$in": first_wave}})]
                by_state = sorted(t["state"] for t in timers)
                assert by_state == ["fired"] * 12 + ["pending"] * 12
                assert all(t["fired_by"] != "ghost" for t in timers if t["state"] == "fired")
                fired_ids = [f"deadline:{t['_id']}" for t in timers if t["state"] == "fired"]
                assert await db["inbox"].count_documents({"_id": {"$in": fired_ids}}) == 12
    finally:
        drop_when_done(settings.database)
        await client.close()
