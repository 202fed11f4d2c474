"""The CloudEvents 1.0 envelope every civiloop event travels in, with civiloop's extensions."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

SPECVERSION = "1.0"
TYPE_PREFIX = "civiloop."
_SCHEMA_VERSION = re.compile(r"^\d+\.\d+$")


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def new_event_id() -> str:
    """A fresh event id (a UUID): the deduplication key everywhere."""
    return str(uuid.uuid4())


class Envelope(BaseModel):
    """A CloudEvent in structured JSON form: context attributes, extensions and the data.

    ``partitionkey`` is the aggregate id (an order, a volunteer): the Kafka key, so all of
    one aggregate's events stay in order on one partition. ``recordedtime`` is when the
    producer recorded the event; ``time`` is when it happened (an offline station kiosk may
    record hours later). ``schemaversion`` is ``major.minor`` of the data's schema.
    """

    # Unknown attributes (a newer producer's extension, e.g. tracestate) are ignored, not
    # refused: refusing would dead-letter every event of a producer one version ahead.
    model_config = ConfigDict(extra="ignore", frozen=True)

    # CloudEvents 1.0 requires specversion, id, source and type: no defaults here, so an
    # event without them is refused rather than given a made-up id (a resend would then
    # count twice) or taken for 1.0 without saying so.
    specversion: Literal["1.0"]
    id: str = Field(min_length=1, max_length=128)
    source: str = Field(min_length=1, max_length=256)
    type: str = Field(min_length=1, max_length=128)
    subject: str | None = Field(default=None, max_length=256)
    time: AwareDatetime = Field(default_factory=utcnow,
                                description="When it happened; absent: when it was read.")
    datacontenttype: str = "application/json"
    dataschema: str | None = None
    schemaversion: str = Field(default="1.0", description="major.minor of data's schema.")
    correlationid: str = Field(min_length=1, max_length=128, description=(
        "The id of the first event of the story; absent on the wire: the event's own id."))
    causationid: str | None = Field(default=None, max_length=128)
    recordedtime: AwareDatetime = Field(default_factory=utcnow, description=(
        "When the producer recorded it; absent: when it was read."))
    partitionkey: str = Field(min_length=1, max_length=256, description=(
        "The aggregate id, also the Kafka record key; absent on the wire: the record key, "
        "else data's key field."))
    # CloudEvents' Distributed Tracing extension: the W3C trace context of the span that made
    # the event (set when tracing is on). Not checked here: a malformed one is ignored by the
    # consumer's tracing, never a reason to dead-letter the event.
    traceparent: str | None = Field(default=None, max_length=512, description=(
        "W3C trace context of the span that made the event (distributed-tracing extension)."))
    data: dict[str, Any]

    @field_validator("schemaversion")
    @classmethod
    def _major_minor(cls, value: str) -> str:
        if not _SCHEMA_VERSION.match(value):
            raise ValueError("schemaversion must look like '1.0' (major.minor)")
        return value

    @property
    def major(self) -> int:
        """The major part of ``schemaversion``."""
        return int(self.schemaversion.split(".", 1)[0])

    def to_json(self) -> bytes:
        """Serialise in CloudEvents structured JSON (absent optionals left out)."""
        return self.model_dump_json(exclude_none=True).encode()
