"""The intake topic read by both of its consumers at once: each bad record is parked once.

requests (orders, survey answers) and feedback (ratings) each read ``stations.intake.v1``
in their own consumer group. requests owns the topic's dead letters; feedback parks only
the ratings it refuses. Every record here shares one key, so one partition carries them in
order, and the last two tell when each group has gone past the rest.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from cloudevents.core.bindings import kafka as ce_kafka
from cloudevents.core.v1.event import CloudEvent

from civiloop_contracts.codec import encode
from civiloop_contracts.envelope import utcnow
from civiloop_contracts.events.intake import Channel, RatingSubmitted
from civiloop_contracts.payload import make_event
from civiloop_contracts.topics import STATION_INTAKE, dlq_of
from civiloop_platform.kafka.dlq import REASON_HEADER
from civiloop_requests.app.placing import derived_order_id
from tests.services.feedback.integration.conftest import Feedback
from tests.services.requests.integration.service import RunningService, running_requests
from tests.services.requests.integration.test_intake import requested
from tests.services.requests.integration.test_intake_cloudevents import frontend
from tests.support import eventually, read_all

pytestmark = pytest.mark.integration

SOURCE = "/stations/wanhe-yangguang/app"


@pytest.fixture(scope="module")
async def requests_service(infra: Any, feedback: Feedback) -> AsyncIterator[RunningService]:
    """The requests service beside feedback, on the same broker."""
    async with running_requests(infra) as running:
        yield running


def _sdk_request(request_id: str, **attributes: Any) -> Any:
    event = CloudEvent(attributes={"type": "civiloop.OrderRequested", "source": SOURCE,
                                   "partitionkey": request_id, **attributes},
                       data=requested(request_id).model_dump(mode="json"))
    return ce_kafka.to_binary_event(event)


async def test_each_bad_intake_record_is_dead_lettered_once_by_its_owner(
        feedback: Feedback, requests_service: RunningService) -> None:
    key = f"req-{uuid.uuid4().hex[:8]}"
    no_id, good = _sdk_request(key), encode(make_event(requested(key), source=SOURCE))
    unknown = json.loads(ce_kafka.to_structured_event(CloudEvent(attributes={
        "type": "civiloop.OrderTeleported", "source": SOURCE}, data={"x": 1})).value)
    # Given an hour ago: an order unknown that long is refused at once (a fresh one would wait).
    rating = encode(make_event(RatingSubmitted(order_id=f"ord-{key}", stars=4,
                                               channel=Channel.APP), source=SOURCE,
                               time=utcnow() - timedelta(hours=1)))
    records = [
        (b"{not an event", [("content-type", b"application/cloudevents+json")]),
        (no_id.value, [(k, v) for k, v in no_id.headers.items() if k != "ce_id"]),
        (json.dumps(unknown).encode(), [("content-type", b"application/cloudevents+json")]),
        (good.value, good.headers),  # requests' mark: placed
        (rating.value, rating.headers),  # feedback's mark: a rating of an unknown order
    ]
    async with frontend(feedback.bootstrap) as producer:
        for value, headers in records:
            await producer.send_and_wait(STATION_INTAKE, value=value, key=key.encode(),
                                         headers=headers)
    reasons: list[tuple[str, str]] = []

    async def both_marks_passed() -> bool:
        dead = await read_all(feedback.bootstrap, dlq_of(STATION_INTAKE), expect=1_000_000,
                              within_s=2)
        reasons[:] = sorted((dict(r.headers)["dlq-consumer-group"].decode(),
                             dict(r.headers)[REASON_HEADER].decode())
                            for r in dead if r.key == key.encode())
        placed = await requests_service.runtime.database.db["orders"].count_documents(
            {"_id": derived_order_id(SOURCE, key)})
        return placed == 1 and any("RatingSubmitted for" in why for _, why in reasons)
    await eventually(both_marks_passed)

    by_requests = [why for group, why in reasons if group.startswith("requests-intake")]
    by_feedback = [why for group, why in reasons if group.startswith("feedback-intake")]
    assert len(reasons) == 4, reasons
    assert len(by_requests) == 3, reasons
    assert any(why.startswith("contract: value: not JSON") for why in by_requests)
    assert "contract: id: required by CloudEvents 1.0" in by_requests
    assert any("civiloop.OrderTeleported" in why for why in by_requests)
    assert len(by_feedback) == 1
    assert by_feedback[0].startswith(f"rejected: RatingSubmitted for ord-{key}")
