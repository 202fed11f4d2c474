"""A test-only event type, on a topic unique to this test run, for the platform's tests."""

from __future__ import annotations

import uuid

from pydantic import Field

from civiloop_contracts.payload import Payload

RUN = uuid.uuid4().hex[:8]
PROBE_TOPIC = f"platform-test.{RUN}.v1"


class ProbeHappened(Payload, topic=PROBE_TOPIC, key="probe_id"):
    """Something happened to probe ``probe_id``; ``n`` must be 0–1000."""

    probe_id: str
    n: int = Field(ge=0, le=1000)


class ProbeNoted(Payload, topic=PROBE_TOPIC, key="probe_id"):
    """Another type on the probe topic, which the probe tests' group does not handle."""

    probe_id: str
