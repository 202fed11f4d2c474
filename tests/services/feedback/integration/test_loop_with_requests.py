"""The closing of the loop with the real requests service beside feedback, on Kafka and MongoDB.

A resident orders through requests, dispatch and volunteers report (sent by the test), the
resident rates badly through feedback, the station reopens after its follow-up: requests
publishes OrderReopened, the event that sends the order back to dispatch, and feedback
starts a new service round to be rated.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.events.dispatch import AssignMode, OrderDispatched
from civiloop_contracts.events.requests import OrderReopened
from civiloop_contracts.events.service import OrderAccepted
from civiloop_contracts.topics import REQUESTS
from civiloop_contracts.values import UnitLevel, UnitRef
from civiloop_platform.runtime import Runtime
from civiloop_platform.web import create_app
from civiloop_requests.bootstrap import DESCRIPTION, build_spec
from civiloop_requests.config import Settings
from civiloop_requests.entrypoints.api import ROUTERS
from civiloop_requests.entrypoints.refusals import REFUSALS
from tests.services.feedback.builders import service_completed
from tests.services.feedback.integration.conftest import Feedback, on_topic, token
from tests.services.requests.integration.service import TREE, define_units
from tests.support import drop_when_done, eventually

pytestmark = pytest.mark.integration

UNIT = {"centre": "kunqu", "institute": "kunhe", "station": "wanhe-yangguang"}


@pytest.fixture(scope="module")
async def requests_http(infra: Any, feedback: Feedback) -> AsyncIterator[httpx.AsyncClient]:
    """The requests service on its own database and consumer groups, beside feedback."""
    run = uuid.uuid4().hex[:8]
    settings = Settings(kafka_bootstrap=infra.kafka_bootstrap, mongo_url=infra.mongo_url,
                        mongo_db=f"civiloop_test_requests_{run}", civiloop_env="test",
                        instance_id=f"rq-{run}", outbox_poll_s=0.1)
    spec = build_spec(settings)
    spec.subscriptions = [dataclasses.replace(s, group=f"{s.group}-{run}")
                          for s in spec.subscriptions]
    app = create_app(spec, routers=ROUTERS, title="civiloop requests", description=DESCRIPTION,
                     refusals=REFUSALS)
    runtime: Runtime = app.state.runtime
    await runtime.start()
    try:
        await eventually(lambda: _ready(runtime))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://requests") as http:
            await define_units(http, TREE)
            yield http
    finally:
        await runtime.stop()
        drop_when_done(settings.database)


async def _ready(runtime: Runtime) -> bool:
    return all((await runtime.readiness()).values())


async def test_a_reopen_after_a_bad_rating_sends_the_order_back_to_dispatch(
        feedback: Feedback, requests_http: httpx.AsyncClient) -> None:
    resident = token("resident", f"res-{uuid.uuid4().hex[:8]}")
    operator = token("station_operator", "op-1", station=UNIT["station"])
    placed = await requests_http.post("/api/v1/requests/orders", headers=resident, json={
        "unit": UNIT, "category": "home_health_check", "need": "老人腿脚不便，需要上门量血压",
        "place": "万和阳光社区3号楼", "answers": {"mobility_needs": True},
        "window": {"start": "2026-12-05T14:00:00+08:00", "end": "2026-12-05T16:00:00+08:00"}})
    assert placed.status_code == 201, placed.text
    order_id = placed.json()["order_id"]
    await feedback.wait_for_order(order_id, served=False)

    # Dispatch and the volunteers report (their services are not part of this test).
    now = utcnow()
    await feedback.send(OrderDispatched(
        order_id=order_id, assignment_id="as-1", mode=AssignMode.DIRECTIVE,
        level=UnitLevel.STATION, dispatching_unit=UnitRef(**UNIT), volunteer_ids=["vol-1"],
        accept_deadline=now + timedelta(hours=2), score=0.9, attempt=1), time=now)
    await feedback.send(OrderAccepted(order_id=order_id, assignment_id="as-1",
                                      accepted_by="vol-1", volunteer_ids=["vol-1"]),
                        time=now + timedelta(minutes=1))
    await feedback.send(service_completed(order_id), time=now + timedelta(minutes=2))
    await eventually(lambda: _status(requests_http, order_id, "completed"))
    await feedback.wait_for_order(order_id)

    # 老百姓评单: one star; requests closes the order as rated, feedback opens a follow-up.
    rated = await feedback.http.post(f"/api/v1/feedback/orders/{order_id}/rating",
                                     headers=resident, json={"stars": 1, "comment": "没量血压"})
    assert rated.status_code == 201, rated.text
    await eventually(lambda: _status(requests_http, order_id, "closed"))
    waiting = (await feedback.http.get("/api/v1/feedback/follow-ups?status=open",
                                       headers=operator)).json()
    [follow_up] = [f for f in waiting if f["order_id"] == order_id]

    # 回访: the station reopens; requests reopens the order for dispatch.
    resolved = await feedback.http.post(
        f"/api/v1/feedback/follow-ups/{follow_up['follow_up_id']}/resolve", headers=operator,
        json={"resolution": "reopen", "note": "再派医生上门"})
    assert resolved.status_code == 200, resolved.text
    events = await on_topic(feedback.bootstrap, REQUESTS, order_id, [OrderReopened.event_type()])
    [reopened] = [e for e in events if e.type == OrderReopened.event_type()]
    assert reopened.data == {"order_id": order_id, "follow_up_id": follow_up["follow_up_id"],
                             "reason": "再派医生上门", "reopen_count": 1}
    orders = feedback.database.db["orders"]

    async def second_round() -> bool:
        return await orders.count_documents({"_id": order_id, "round": 2}) == 1

    await eventually(second_round)  # feedback waits for the new service to be rated


async def _status(http: httpx.AsyncClient, order_id: str, status: str) -> bool:
    reply = await http.get(f"/api/v1/requests/orders/{order_id}",
                           headers=token("district_admin", "admin-1"))
    return reply.status_code == 200 and reply.json()["status"] == status
