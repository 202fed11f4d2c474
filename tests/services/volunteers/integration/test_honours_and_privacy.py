"""Honours and privacy on real Kafka and MongoDB: the good-deeds board, and no phone or ID
number in any event on any topic."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.topics import VOLUNTEERS, all_topic_names
from civiloop_platform.kafka.admin import ensure_topics
from tests.services.volunteers.builders import (
    ADMIN,
    OPERATOR,
    dispatched,
    phone,
    token,
    unit,
    volunteer_body,
)
from tests.services.volunteers.integration.conftest import Service
from tests.support import eventually

pytestmark = pytest.mark.integration


async def read_everything(bootstrap: str, *, expect_ours: int) -> list[Any]:
    """Every record on every topic, once this service's ``expect_ours`` events have arrived."""
    consumer = AIOKafkaConsumer(*all_topic_names(), bootstrap_servers=bootstrap, group_id=None,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    records: list[Any] = []
    try:
        deadline = asyncio.get_running_loop().time() + 60
        while asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=1000)
            records += [r for rs in batch.values() for r in rs]
            if not batch and sum(r.topic == VOLUNTEERS for r in records) >= expect_ours:
                return records
        pytest.fail(f"fewer than {expect_ours} events on {VOLUNTEERS} within 60 s")
    finally:
        await consumer.stop()


async def test_an_honour_is_awarded_shown_on_the_board_and_revoked(service: Service) -> None:
    honour = {"title": "good_person", "level": "district", "year": 2025, "holder_name": "刘秀兰",
              "unit": unit().model_dump(), "story": "十年如一日照顾孤寡老人"}
    refused = await service.http.post("/api/v1/volunteers/honours", json=honour,
                                      headers=OPERATOR)
    assert refused.status_code == 403
    awarded = await service.http.post("/api/v1/volunteers/honours", json=honour, headers=ADMIN)
    assert awarded.status_code == 201
    honour_id = awarded.json()["honour_id"]
    board = (await service.http.get("/api/v1/volunteers/honours/board")).json()
    [shown] = [h for h in board if h["honour_id"] == honour_id]
    assert shown == {"honour_id": honour_id, "name": "刘秀兰", "title": "good_person",
                     "title_name": "身边好人", "level": "district", "year": 2025,
                     "station": "wanhe-sunshine", "story": "十年如一日照顾孤寡老人"}
    revoked = await service.http.post(f"/api/v1/volunteers/honours/{honour_id}/revoke",
                                      json={"reason": "核实有误"}, headers=ADMIN)
    assert revoked.json()["revoked_reason"] == "核实有误"
    board = (await service.http.get("/api/v1/volunteers/honours/board")).json()
    assert honour_id not in [h["honour_id"] for h in board]
    twice = await service.http.post(f"/api/v1/volunteers/honours/{honour_id}/revoke",
                                    json={"reason": "again"}, headers=ADMIN)
    assert twice.status_code == 409
    rows = [r async for r in service.database.outbox.find({"key": honour_id.encode()})]
    assert len(rows) == 2
    assert "刘秀兰".encode() not in b"".join(r["value"] for r in rows)


async def test_no_phone_or_id_number_in_any_event_on_any_topic(service: Service) -> None:
    leader, member = [await service.register(OPERATOR, volunteer_body()) for _ in range(2)]
    await service.http.patch(f"/api/v1/volunteers/{member}", headers=token("volunteer", member),
                             json={"phone": (new_phone := phone()), "skills": ["sign_language"]})
    service.phones.add(new_phone)
    team = (await service.http.post("/api/v1/volunteers/teams", headers=OPERATOR, json={
        "name": "文体志愿服务队", "specialty": "culture_sport", "platform": "culture",
        "unit": unit().model_dump(), "leader_id": leader, "member_ids": [member]})).json()
    offer = dispatched(order := f"ord-{uuid.uuid4().hex[:10]}", teams=[team["team_id"]])
    await service.send(offer)
    await service.offered(offer.assignment_id)
    await service.http.post(f"/api/v1/volunteers/assignments/{offer.assignment_id}/accept",
                            json={}, headers=token("team_leader", leader))
    start = utcnow() - timedelta(hours=2)
    base, as_leader = f"/api/v1/volunteers/orders/{order}", token("team_leader", leader)
    await service.http.post(f"{base}/check-in", headers=as_leader, json={"at": start.isoformat()})
    await service.http.post(f"{base}/check-out", headers=as_leader,
                            json={"at": (start + timedelta(hours=1)).isoformat()})
    done = await service.http.post(f"{base}/complete", headers=as_leader, json={
        "people_served": 60, "summary": "广场舞展演", "hours": [
            {"volunteer_id": member, "hours": 1}]})
    assert done.status_code == 200, done.text

    async def all_sent() -> bool:
        return await service.database.outbox.count_documents({"pending": True}) == 0
    await eventually(all_sent)
    sent = await service.database.outbox.count_documents({})
    await ensure_topics(service.bootstrap, 3)  # every topic of the catalogue, as `make topics`
    records = await read_everything(service.bootstrap, expect_ours=sent)
    published = b"\n".join(r.value for r in records)
    secrets = service.phones | service.id_numbers
    assert len(secrets) >= 5
    leaked = [s for s in secrets if s.encode() in published]
    assert leaked == []
