"""Serving and the hours record on real Kafka and MongoDB: check-in/out, completion, backfill,
approval, star levels and the volunteer's own record."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from civiloop_contracts.codec import decode
from civiloop_contracts.envelope import utcnow
from civiloop_contracts.events.intake import Channel
from civiloop_contracts.events.requests import OrderPlaced
from civiloop_contracts.events.service import ServiceCompleted, ServiceHoursApproved
from civiloop_contracts.events.volunteers import VolunteerUpdated
from civiloop_contracts.values import Platform, TimeWindow
from tests.services.volunteers.builders import OPERATOR, dispatched, token, unit, volunteer_body
from tests.services.volunteers.integration.conftest import Service

pytestmark = pytest.mark.integration


async def test_hours_come_from_check_in_out_and_backfills_wait_for_approval(
        service: Service) -> None:
    checker, helper = [await service.register(OPERATOR, volunteer_body()) for _ in range(2)]
    order, start = f"ord-{uuid.uuid4().hex[:10]}", utcnow() - timedelta(hours=4)
    placed = OrderPlaced(order_id=order, unit=unit(), platform=Platform.SCIENCE,
                         category="free_clinic", need="义诊", place="万和阳光社区广场",
                         window=TimeWindow(start=start, end=start + timedelta(hours=3)),
                         channel=Channel.WECHAT, audience_size=40, group_activity=True)
    offer = dispatched(order, volunteers=[checker, helper])
    await service.send(placed, offer)
    await service.offered(offer.assignment_id)
    for volunteer in (checker, helper):  # directive: each named volunteer answers
        accepted = await service.http.post(
            f"/api/v1/volunteers/assignments/{offer.assignment_id}/accept", json={},
            headers=token("volunteer", volunteer))
        assert accepted.status_code == 200, accepted.text
    await service.backdate_accepts(offer.assignment_id, start)  # accepted before the window
    as_checker = token("volunteer", checker)
    base = f"/api/v1/volunteers/orders/{order}"
    arrived = await service.http.post(f"{base}/check-in", headers=as_checker,
                                      json={"at": (start + timedelta(minutes=30)).isoformat()})
    assert arrived.status_code == 200, arrived.text
    left = await service.http.post(f"{base}/check-out", headers=as_checker,
                                   json={"at": (start + timedelta(hours=3)).isoformat()})
    assert left.json()["attendance"][checker]["checked_out_at"] is not None

    too_long = await service.http.post(f"{base}/complete", headers=as_checker, json={
        "people_served": 40, "summary": "义诊40人", "hours": [
            {"volunteer_id": helper, "hours": 4.5}]})
    assert too_long.status_code == 422
    assert too_long.json()["detail"][0]["loc"] == ["body", "hours"]
    assert "exceed the order's window of 3 h plus the 1 h margin" in \
        too_long.json()["detail"][0]["msg"]
    done = await service.http.post(f"{base}/complete", headers=as_checker, json={
        "people_served": 40, "summary": "义诊40人", "hours": [
            {"volunteer_id": helper, "hours": 2}]})
    assert done.status_code == 200, done.text

    mine = (await service.http.get(f"/api/v1/volunteers/{checker}/hours",
                                   headers=as_checker)).json()
    assert [(e["hours"], e["status"]) for e in mine["entries"]] == [(2.5, "final")]
    assert (mine["counted_hours"], mine["star_level"]) == (2.5, 1)
    theirs = (await service.http.get(f"/api/v1/volunteers/{helper}/hours",
                                     headers=token("volunteer", helper))).json()
    [pending] = theirs["entries"]
    assert (pending["status"], theirs["counted_hours"], theirs["star_level"]) == ("pending", 0, 0)

    own = await service.http.post(f"/api/v1/volunteers/hours/{pending['entry_id']}/approve",
                                  json={}, headers=token("team_leader", helper))
    assert own.status_code == 403
    approved = await service.http.post(f"/api/v1/volunteers/hours/{pending['entry_id']}/approve",
                                       json={}, headers=OPERATOR)
    assert approved.json()["status"] == "approved"
    after = (await service.http.get(f"/api/v1/volunteers/{helper}/hours",
                                    headers=OPERATOR)).json()
    assert (after["counted_hours"], after["star_level"]) == (2, 1)

    events = [decode(r["value"]) async for r in service.database.outbox.find(
        {"key": {"$in": [order.encode(), checker.encode(), helper.encode()]}},
        sort=[("created_at", 1), ("seq", 1)])]
    [completed] = [e for e in events if e.type == ServiceCompleted.event_type()]
    assert {(h["volunteer_id"], h["hours"]) for h in completed.data["hours"]} == {
        (checker, 2.5), (helper, 2.0)}
    approvals = [e.data["hours"] for e in events if e.type == ServiceHoursApproved.event_type()]
    assert approvals == [[{"volunteer_id": checker, "hours": 2.5}],
                         [{"volunteer_id": helper, "hours": 2.0}]]
    stars = [(e.data["volunteer_id"], e.data["star_level"]) for e in events
             if e.type == VolunteerUpdated.event_type() and e.data.get("star_level")]
    assert stars == [(checker, 1), (helper, 1)]


async def test_a_backfill_over_the_activity_is_refused_and_a_rejection_stays(
        service: Service) -> None:
    volunteer = await service.register(OPERATOR, volunteer_body())
    start = utcnow() - timedelta(days=2)
    activity = {"activity_id": f"act-{uuid.uuid4().hex[:8]}", "name": "重阳节敬老活动",
                "start": start.isoformat(), "end": (start + timedelta(hours=2)).isoformat()}
    url, as_me = f"/api/v1/volunteers/{volunteer}/hours", token("volunteer", volunteer)
    over = await service.http.post(url, headers=as_me, json={
        "activity": activity, "hours": 2.5, "content": "陪老人聊天"})
    assert over.status_code == 422
    assert "2.5 h exceed the activity's length of 2 h" in over.json()["detail"][0]["msg"]
    entry = (await service.http.post(url, headers=as_me, json={
        "activity": activity, "hours": 2, "content": "陪老人聊天"})).json()
    assert entry["status"] == "pending"
    no_reason = await service.http.post(f"/api/v1/volunteers/hours/{entry['entry_id']}/reject",
                                        json={}, headers=OPERATOR)
    assert no_reason.status_code == 422
    rejected = await service.http.post(f"/api/v1/volunteers/hours/{entry['entry_id']}/reject",
                                       json={"note": "活动签到表无此人"}, headers=OPERATOR)
    assert rejected.json()["status"] == "rejected"
    ledger = (await service.http.get(url, headers=as_me)).json()
    assert [(e["status"], e["decision_note"]) for e in ledger["entries"]] == [
        ("rejected", "活动签到表无此人")]
    assert ledger["counted_hours"] == 0


async def test_a_volunteer_downloads_their_own_record_and_nobody_else_s(service: Service) -> None:
    body = volunteer_body(name="陈静")
    volunteer = await service.register(OPERATOR, body)
    other = await service.register(OPERATOR, volunteer_body())
    start = utcnow() - timedelta(days=1)
    await service.http.post(f"/api/v1/volunteers/{volunteer}/hours",
                            headers=token("volunteer", volunteer), json={
        "activity": {"name": "文明实践宣讲", "start": start.isoformat(),
                     "end": (start + timedelta(hours=2)).isoformat()},
        "hours": 1.5, "content": "宣讲垃圾分类"})
    reply = await service.http.get(f"/api/v1/volunteers/{volunteer}/record.csv",
                                   headers=token("volunteer", volunteer))
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/csv")
    text = reply.content.decode("utf-8-sig")
    for block in ("平台记录", "一、身份信息", "二、服务时长与内容", "三、记录人", "四、编号与日期"):
        assert block in text
    assert "陈静" in text
    assert "宣讲垃圾分类" in text
    assert "待审核" in text
    assert body["id_number"] not in text
    assert f"VR-{volunteer}-" in text
    refused = await service.http.get(f"/api/v1/volunteers/{volunteer}/record.csv",
                                     headers=token("volunteer", other))
    assert refused.status_code == 403


