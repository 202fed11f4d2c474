"""The feedback service on real Kafka and MongoDB: orders arrive as events, people rate over HTTP.

Each test uses fresh order ids; the service, its database and consumer groups are shared by
the module (see conftest.py).
"""

from __future__ import annotations

import uuid

import pytest

from civiloop_contracts.events.feedback import (
    FeedbackChanged,
    FeedbackGiven,
    FollowUpOpened,
    FollowUpResolved,
)
from civiloop_contracts.topics import FEEDBACK
from tests.services.feedback.builders import order_placed, service_completed
from tests.services.feedback.integration.conftest import Feedback, on_topic, token

pytestmark = pytest.mark.integration

RESIDENT = token("resident", "res-1")
OTHER_RESIDENT = token("resident", "res-2")
OPERATOR = token("station_operator", "op-1", station="wanhe-sunshine")


def new_order_id() -> str:
    return f"ord-{uuid.uuid4().hex[:12]}"


async def served_order(feedback: Feedback, order_id: str) -> None:
    """Placed by res-1 at wanhe-sunshine, served by vol-1 of team-med; known to the service."""
    await feedback.send(order_placed(order_id))
    await feedback.send(service_completed(order_id))
    await feedback.wait_for_order(order_id)


async def test_a_rating_after_completion_is_recorded_and_published(feedback: Feedback) -> None:
    order_id = new_order_id()
    await served_order(feedback, order_id)
    reply = await feedback.http.post(
        f"/api/v1/feedback/orders/{order_id}/rating", headers=RESIDENT,
        json={"stars": 5, "tags": ["on_time", "professional"], "comment": "医生很耐心"})
    assert reply.status_code == 201, reply.text
    assert reply.json()["current"]["stars"] == 5
    [given] = await on_topic(feedback.bootstrap, FEEDBACK, order_id, [FeedbackGiven.event_type()])
    assert given.data["stars"] == 5
    assert given.data["tags"] == ["on_time", "professional"]
    assert given.data["volunteer_ids"] == ["vol-1"]
    assert given.data["unit"]["station"] == "wanhe-sunshine"
    assert given.source == "civiloop/feedback"


async def test_refused_before_completion_for_another_resident_twice_and_unknown(
        feedback: Feedback) -> None:
    order_id = new_order_id()
    url = f"/api/v1/feedback/orders/{order_id}/rating"
    unknown = await feedback.http.post(url, headers=RESIDENT, json={"stars": 4})
    assert (unknown.status_code, order_id in unknown.json()["detail"]) == (404, True)
    await feedback.send(order_placed(order_id))
    await feedback.wait_for_order(order_id, served=False)
    early = await feedback.http.post(url, headers=RESIDENT, json={"stars": 4})
    assert early.status_code == 409
    assert "not completed" in early.json()["detail"]
    await feedback.send(service_completed(order_id))
    await feedback.wait_for_order(order_id)
    theirs = await feedback.http.post(url, headers=OTHER_RESIDENT, json={"stars": 1})
    assert theirs.status_code == 403
    assert "not placed by this resident" in theirs.json()["detail"]
    volunteer = await feedback.http.post(url, headers=token("volunteer", "vol-1"),
                                         json={"stars": 5})
    assert volunteer.status_code == 403
    assert (await feedback.http.post(url, headers=RESIDENT, json={"stars": 4})).status_code == 201
    twice = await feedback.http.post(url, headers=RESIDENT, json={"stars": 3})
    assert twice.status_code == 409
    assert "rated already" in twice.json()["detail"]
    bad = await feedback.http.post(url, headers=RESIDENT, json={"stars": 6})
    assert bad.status_code == 422
    assert "stars" in bad.text
    assert [e.type for e in await feedback.outbox(order_id)] == [FeedbackGiven.event_type()]


async def test_a_change_within_the_window_is_kept_as_history(feedback: Feedback) -> None:
    order_id = new_order_id()
    await served_order(feedback, order_id)
    url = f"/api/v1/feedback/orders/{order_id}/rating"
    await feedback.http.post(url, headers=RESIDENT, json={"stars": 5, "comment": "很好"})
    changed = await feedback.http.put(url, headers=RESIDENT,
                                      json={"stars": 3, "comment": "血压计没拿回来"})
    assert changed.status_code == 200, changed.text
    shown = (await feedback.http.get(url, headers=RESIDENT)).json()
    assert [(r["revision"], r["judgement"]["stars"], r["judgement"]["comment"])
            for r in shown["revisions"]] == [(1, 5, "很好"), (2, 3, "血压计没拿回来")]
    assert shown["current"]["stars"] == 3
    events = await on_topic(feedback.bootstrap, FEEDBACK, order_id,
                            [FeedbackGiven.event_type(), FeedbackChanged.event_type()])
    [change] = [e for e in events if e.type == FeedbackChanged.event_type()]
    assert (change.data["previous_stars"], change.data["stars"], change.data["revision"]) == (
        5, 3, 2)
    not_theirs = await feedback.http.put(url, headers=OTHER_RESIDENT, json={"stars": 1})
    assert not_theirs.status_code == 403


async def test_a_volunteer_sees_their_ratings_but_never_the_resident(feedback: Feedback) -> None:
    order_id = new_order_id()
    await served_order(feedback, order_id)
    url = f"/api/v1/feedback/orders/{order_id}/rating"
    await feedback.http.post(url, headers=RESIDENT, json={"stars": 2, "comment": "来晚了"})
    mine = await feedback.http.get(url, headers=token("volunteer", "vol-1"))
    assert mine.status_code == 200
    assert mine.json()["current"]["comment"] == "来晚了"
    assert "resident_id" not in mine.json() or mine.json()["resident_id"] is None
    assert "res-1" not in mine.text
    listed = await feedback.http.get("/api/v1/feedback/ratings",
                                     headers=token("volunteer", "vol-1"))
    assert order_id in listed.text
    assert "res-1" not in listed.text
    stranger = await feedback.http.get(url, headers=token("volunteer", "vol-9"))
    assert stranger.status_code == 403
    assert (await feedback.http.get(url, headers=OPERATOR)).json()["resident_id"] == "res-1"
    elsewhere = token("station_operator", "op-9", station="other-station")
    assert (await feedback.http.get(url, headers=elsewhere)).status_code == 403
    own = await feedback.http.get("/api/v1/feedback/ratings", headers=OTHER_RESIDENT)
    assert order_id not in own.text


async def test_a_low_rating_opens_a_follow_up_and_a_reopen_goes_back_to_dispatch(
        feedback: Feedback) -> None:
    order_id = new_order_id()
    await served_order(feedback, order_id)
    await feedback.http.post(f"/api/v1/feedback/orders/{order_id}/rating", headers=RESIDENT,
                             json={"stars": 1, "comment": "医生没来"})
    waiting = (await feedback.http.get("/api/v1/feedback/follow-ups?status=open",
                                       headers=OPERATOR)).json()
    [follow_up] = [f for f in waiting if f["order_id"] == order_id]
    fu = follow_up["follow_up_id"]
    assert (follow_up["cause"], follow_up["stars"]) == ("low_rating", 1)
    base = f"/api/v1/feedback/follow-ups/{fu}"
    elsewhere = token("station_operator", "op-9", station="other-station")
    assert (await feedback.http.post(f"{base}/assign", headers=elsewhere,
                                     json={"assignee": "op-9"})).status_code == 403
    assert (await feedback.http.post(f"{base}/assign", headers=OPERATOR,
                                     json={"assignee": "op-2"})).status_code == 200
    assert (await feedback.http.post(f"{base}/notes", headers=OPERATOR,
                                     json={"text": "电话回访：医生走错了社区"})).status_code == 200
    no_reason = await feedback.http.post(f"{base}/resolve", headers=OPERATOR,
                                         json={"resolution": "reopen"})
    assert no_reason.status_code == 422
    resolved = await feedback.http.post(f"{base}/resolve", headers=OPERATOR,
                                        json={"resolution": "reopen", "note": "再派医生上门"})
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["status"] == "resolved"
    events = await on_topic(feedback.bootstrap, FEEDBACK, order_id,
                            [FollowUpOpened.event_type(), FollowUpResolved.event_type()])
    [done] = [e for e in events if e.type == FollowUpResolved.event_type()]
    # What requests needs to publish OrderReopened (which sends the order back to dispatch),
    # and who to name on the order's timeline.
    assert done.data == {"order_id": order_id, "follow_up_id": fu, "resolution": "reopen",
                         "note": "再派医生上门", "resolved_by": "op-1"}
    again = await feedback.http.post(f"{base}/resolve", headers=OPERATOR,
                                     json={"resolution": "dismissed"})
    assert again.status_code == 409


async def test_a_reopened_order_is_rated_again_after_its_new_service(feedback: Feedback) -> None:
    from civiloop_contracts.events.requests import OrderReopened
    order_id = new_order_id()
    await served_order(feedback, order_id)
    url = f"/api/v1/feedback/orders/{order_id}/rating"
    await feedback.http.post(url, headers=RESIDENT, json={"stars": 1})
    await feedback.send(OrderReopened(order_id=order_id, follow_up_id="fu-x", reason="再派",
                                      reopen_count=1))
    await feedback.send(service_completed(order_id, volunteers=("vol-7",)))
    await eventually_round(feedback, order_id, 2)
    second = await feedback.http.post(url, headers=RESIDENT, json={"stars": 5})
    assert second.status_code == 201, second.text
    assert (second.json()["round"], second.json()["volunteer_ids"]) == (2, ["vol-7"])


async def eventually_round(feedback: Feedback, order_id: str, round_: int) -> None:
    from tests.support import eventually
    orders = feedback.database.db["orders"]

    async def served_in_round() -> bool:
        return await orders.count_documents(
            {"_id": order_id, "round": round_, "service": {"$ne": None}}) == 1

    await eventually(served_in_round)
