"""Structured JSON logs; every line inside an event or request carries its correlation id."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import structlog

from civiloop_contracts.envelope import Envelope
from civiloop_platform import tracing


def configure_logging(service: str, level: str = "INFO") -> None:
    """Send structlog and standard-library logs to stdout as one JSON object per line."""
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info,
                    structlog.processors.JSONRenderer()],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(sys.stdout),
        cache_logger_on_first_use=True,
    )
    # Libraries (aiokafka, uvicorn, pymongo) log through the standard library: same format.
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.JSONRenderer()],
        foreign_pre_chain=[*shared, structlog.stdlib.ExtraAdder()],
    ))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(service=service)


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    """A logger for ``name`` that writes through the configured JSON pipeline."""
    logger: structlog.stdlib.BoundLogger = structlog.get_logger(name)
    return logger


@contextmanager
def event_context(envelope: Envelope) -> Iterator[None]:
    """Within this block, log lines carry the event's id, type and correlation id, and (with
    tracing on) the span of handling the event is current."""
    with structlog.contextvars.bound_contextvars(
        correlation_id=envelope.correlationid, event_id=envelope.id, event_type=envelope.type,
    ), tracing.handling(envelope):
        yield


@contextmanager
def correlation_context(correlation_id: str) -> Iterator[None]:
    """Within this block, log lines carry ``correlation_id``."""
    with structlog.contextvars.bound_contextvars(correlation_id=correlation_id):
        yield


def in_current_story(envelope: Envelope) -> Envelope:
    """``envelope`` in the story of the request or event being handled, if it was made in none.

    An event made without a correlation id (its own id) inside a request or a handler belongs
    to that story: it takes the story's correlation id, so its logs and trace follow it.
    """
    story = structlog.contextvars.get_contextvars().get("correlation_id")
    if (not isinstance(story, str) or envelope.correlationid != envelope.id
            or envelope.causationid is not None or story == envelope.id):
        return envelope
    return envelope.model_copy(update={"correlationid": story})
