"""The base of every event payload, and the registry that maps CloudEvents types to models."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError

from civiloop_contracts.envelope import (
    SPECVERSION,
    TYPE_PREFIX,
    Envelope,
    new_event_id,
    utcnow,
)


class ContractError(ValueError):
    """An event that does not meet its contract; ``reason`` says which field and why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Payload(BaseModel):
    """The data of one event type. Subclasses declare ``topic``, ``version`` and ``key``.

    Unknown fields are ignored, so a consumer still reads events that a newer minor
    version of the producer has added fields to.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    topic: ClassVar[str]
    schema_version: ClassVar[str] = "1.0"
    key_field: ClassVar[str]

    def __init_subclass__(cls, *, topic: str = "", version: str = "1.0", key: str = "",
                          **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if topic:
            cls.topic, cls.schema_version, cls.key_field = topic, version, key
            REGISTRY.register(cls)

    @classmethod
    def event_type(cls) -> str:
        """The CloudEvents ``type`` of this payload, e.g. ``civiloop.OrderPlaced``."""
        return TYPE_PREFIX + cls.__name__

    @classmethod
    def major(cls) -> int:
        """The major part of this payload's schema version."""
        return int(cls.schema_version.split(".", 1)[0])

    def partition_key(self) -> str:
        """The aggregate id this event is about: the Kafka key."""
        return str(getattr(self, self.key_field))


Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


class Registry:
    """Every payload model by CloudEvents type, and the upcasters between major versions."""

    def __init__(self) -> None:
        self.models: dict[str, type[Payload]] = {}
        self.upcasters: dict[tuple[str, int], Upcaster] = {}

    def register(self, model: type[Payload]) -> None:
        """Add ``model``; a type registered twice is a programming error."""
        name = model.event_type()
        if name in self.models:
            raise RuntimeError(f"event type {name} registered twice")
        self.models[name] = model

    def published(self) -> dict[str, type[Payload]]:
        """The contract's own event types; test doubles registered elsewhere are left out."""
        return {name: model for name, model in self.models.items()
                if model.__module__.startswith("civiloop_contracts.")}

    def upcaster(self, model: type[Payload], from_major: int) -> Callable[[Upcaster], Upcaster]:
        """Decorate a function that turns ``model``'s data at ``from_major`` into the next major."""

        def add(fn: Upcaster) -> Upcaster:
            self.upcasters[(model.event_type(), from_major)] = fn
            return fn

        return add

    def model_for(self, event_type: str) -> type[Payload]:
        """The payload model of ``event_type``, or a ContractError naming the type."""
        try:
            return self.models[event_type]
        except KeyError:
            raise ContractError(f"type: unknown event type {event_type!r}") from None

    def parse(self, envelope: Envelope) -> Payload:
        """Validate ``envelope.data`` against its model, upcasting an older major first."""
        model = self.model_for(envelope.type)
        data, major = dict(envelope.data), envelope.major
        if major > model.major():
            raise ContractError(
                f"schemaversion: {envelope.schemaversion} is newer than this consumer's "
                f"{model.schema_version} for {envelope.type}")
        while major < model.major():
            step = self.upcasters.get((envelope.type, major))
            if step is None:
                raise ContractError(f"schemaversion: no upcaster for {envelope.type} v{major}")
            try:
                data, major = step(data), major + 1
            except Exception as exc:  # an old event the upcaster cannot read is a bad event
                raise ContractError(f"schemaversion: upcasting {envelope.type} v{major} failed: "
                                    f"{exc!r}") from None
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise ContractError(_describe(exc, "data")) from None


REGISTRY = Registry()


def _describe(exc: ValidationError, prefix: str) -> str:
    """One line naming each failing field, e.g. ``data.stars: Input should be ...``."""
    parts = []
    for err in exc.errors():
        path = ".".join(str(p) for p in (prefix, *err["loc"]) if p != "")
        parts.append(f"{path}: {err['msg']}")
    return "; ".join(parts)


def make_event(payload: Payload, *, source: str, correlation_id: str | None = None,
               causation_id: str | None = None, time: datetime | None = None,
               event_id: str | None = None, subject: str | None = None) -> Envelope:
    """Wrap ``payload`` in an envelope keyed by its aggregate id."""
    event_id = event_id or new_event_id()
    now = utcnow()
    return Envelope(
        specversion=SPECVERSION, id=event_id, source=source, type=payload.event_type(), subject=subject,
        time=time or now, recordedtime=now, schemaversion=payload.schema_version,
        correlationid=correlation_id or event_id, causationid=causation_id,
        partitionkey=payload.partition_key(), data=payload.model_dump(mode="json"),
    )


def caused_by(payload: Payload, cause: Envelope, *, source: str,
              time: datetime | None = None) -> Envelope:
    """Wrap ``payload`` as a consequence of ``cause``: same correlation, causation = its id.

    ``time`` is when it happened, if not now (an order a station queued while offline).
    """
    return make_event(payload, source=source, correlation_id=cause.correlationid,
                      causation_id=cause.id, time=time)
