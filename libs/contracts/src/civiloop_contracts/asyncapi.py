"""The AsyncAPI 3.0 document of civiloop's topics, built from the catalogue and the models.

Every message's payload is the whole CloudEvent (structured content mode): the envelope
schema, with ``type`` pinned and ``data`` set to the event's own schema. The intake topic
also takes binary mode (``civiloop_contracts.codec``); its channel says so. No I/O here.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

from pydantic.json_schema import models_json_schema

from civiloop_contracts.codec import CONTENT_TYPE
from civiloop_contracts.envelope import Envelope
from civiloop_contracts.payload import Payload
from civiloop_contracts.schemas import envelope_schema
from civiloop_contracts.topics import CATALOGUE, DEFAULT_PARTITIONS, STATION_INTAKE, Topic

KAFKA_BINDING = "0.5.0"
_REF = "#/components/schemas/{model}"


def channel_id(topic: str) -> str:
    """An AsyncAPI channel id for a topic name: ``requests.events.v1`` → ``requests_events_v1``."""
    return topic.replace(".", "_")


def build_document(models: Sequence[type[Payload]], *, version: str) -> dict[str, Any]:
    """The AsyncAPI 3.0 document for ``models`` on the catalogue's topics and their DLQs."""
    pairs = [(Envelope, "validation"), *((m, "validation") for m in models)]
    _, top = models_json_schema(pairs, ref_template=_REF)  # type: ignore[arg-type]
    top["$defs"]["Envelope"]["required"] = envelope_schema()["required"]  # as on the wire
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for topic in CATALOGUE:
        names = [m.__name__ for m in models if m.topic == topic.name]
        for address, dlq in ((topic.name, False), (topic.dlq, True)):
            cid = channel_id(address)
            channels[cid] = _channel(topic, address, names, dlq=dlq)
            operations[f"send_{cid}"] = {
                "action": "send",
                "channel": {"$ref": f"#/channels/{cid}"},
                "summary": _sender(topic, dlq=dlq),
                "messages": [{"$ref": f"#/channels/{cid}/messages/{n}"} for n in names],
            }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "civiloop events",
            "version": version,
            "description": "The order → dispatch → serve → rate loop of the New Era "
                           "Civilization Practice network (新时代文明实践), as Kafka topics. "
                           "Each record value is a CloudEvent in structured JSON; the "
                           "record key is its partitionkey. See docs/events.md.",
        },
        "defaultContentType": CONTENT_TYPE,
        "servers": {"local": {
            "host": "127.0.0.1:9092", "protocol": "kafka",
            "description": "The local development broker (Kafka 3.9, KRaft, one node)."}},
        "channels": channels,
        "operations": operations,
        "components": {"schemas": top["$defs"],
                       "messages": {m.__name__: _message(m) for m in models}},
    }


BINARY_MODE = (" Frontends may also publish in binary content mode (the Kafka protocol "
               "binding): each attribute in a ce_<name> header, the record value is the data "
               "(JSON; content-type application/json or absent). See docs/events.md.")


def _channel(topic: Topic, address: str, names: list[str], *, dlq: bool) -> dict[str, Any]:
    description = topic.description + f" Owner: {topic.owner}. Keyed by {topic.keyed_by}."
    if topic.name == STATION_INTAKE:
        description += BINARY_MODE
    if dlq:
        description = (f"Dead letters of {topic.name}: the original record unchanged, with "
                       f"headers giving the reason, for inspection and replay.")
    return {
        "address": address,
        "title": address,
        "description": description,
        "messages": {n: {"$ref": f"#/components/messages/{n}"} for n in names},
        "bindings": {"kafka": {"topic": address, "partitions": DEFAULT_PARTITIONS,
                               "topicConfiguration": _topic_configuration(topic),
                               "bindingVersion": KAFKA_BINDING}},
    }


def _topic_configuration(topic: Topic) -> dict[str, Any]:
    """The topic's retention in the binding's terms (a readers' promise: history is kept)."""
    configs = topic.configs
    return {"cleanup.policy": configs["cleanup.policy"].split(","),
            "retention.ms": int(configs["retention.ms"]),
            "retention.bytes": int(configs["retention.bytes"])}


def _sender(topic: Topic, *, dlq: bool) -> str:
    if dlq:
        return f"A consumer of {topic.name} parks a message it cannot apply."
    return f"Published by {topic.owner}."


def _content_type(model: type[Payload]) -> dict[str, Any]:
    if model.topic != STATION_INTAKE:
        return {"type": "string", "const": CONTENT_TYPE}
    return {"type": "string", "examples": [CONTENT_TYPE, "application/json"],
            "description": "Structured mode: application/cloudevents+json. Binary mode: the "
                           "data's media type (application/json), or absent."}


def _message(model: type[Payload]) -> dict[str, Any]:
    name, major = model.event_type(), model.major()
    return {
        "name": model.__name__,
        "title": model.__name__,
        "summary": inspect.getdoc(model) or model.__name__,
        "contentType": CONTENT_TYPE,
        "headers": {"type": "object", "properties": {"content-type": _content_type(model)}},
        "payload": {"allOf": [
            {"$ref": _REF.format(model="Envelope")},
            {"type": "object", "required": ["type", "data"], "properties": {
                "type": {"const": name},
                "schemaversion": {"type": "string", "pattern": rf"^{major}\.\d+$",
                                  "examples": [model.schema_version]},
                "partitionkey": {"type": "string",
                                 "description": f"data.{model.key_field}"},
                "data": {"$ref": _REF.format(model=model.__name__)},
            }},
        ]},
        "bindings": {"kafka": {
            "key": {"type": "string", "description": f"The aggregate id: data.{model.key_field}"},
            "bindingVersion": KAFKA_BINDING}},
    }
