"""The topic catalogue: every Kafka topic civiloop uses, who owns it, and its dead-letter twin."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

DEFAULT_PARTITIONS = 12
DLQ_SUFFIX = ".dlq"

KEEP_HISTORY: Mapping[str, str] = MappingProxyType({
    "cleanup.policy": "delete", "retention.ms": "-1", "retention.bytes": "-1"})
"""An event log's Kafka configs: nothing is ever deleted by age or size, and never compacted.

Stats rebuilds its figures by replaying the topics, the topics are the loop's audit trail,
and a dead letter must wait until someone replays it; Kafka's default (7 days) would
silently drop all three. Compaction would keep only the last event per order id.
"""

REQUESTS = "requests.events.v1"
DISPATCH = "dispatch.events.v1"
VOLUNTEERS = "volunteers.events.v1"
FEEDBACK = "feedback.events.v1"
STATION_INTAKE = "stations.intake.v1"


@dataclass(frozen=True)
class Topic:
    """One topic of the catalogue: its name, owner, what it carries and how it is keyed."""

    name: str
    owner: str
    description: str
    keyed_by: str
    configs: Mapping[str, str] = field(default_factory=lambda: KEEP_HISTORY)
    """The topic's Kafka configs, set where it is created; its dead-letter twin has the same."""

    @property
    def dlq(self) -> str:
        """The name of this topic's dead-letter topic."""
        return dlq_of(self.name)


CATALOGUE: tuple[Topic, ...] = (
    Topic(REQUESTS, "requests",
          "Orders (群众点单), needs surveys and the units tree, as the requests service "
          "records them.",
          "order id, survey id, or unit code"),
    Topic(DISPATCH, "dispatch",
          "Dispatch decisions (部门派单): dispatched, redispatched, escalated, unassignable, "
          "withdrawn.",
          "order id"),
    Topic(VOLUNTEERS, "volunteers",
          "Volunteers, teams, organisations, honours; answers to dispatched orders (志愿者接单) "
          "and the service itself (hours, people served).",
          "order id, or volunteer / team / organisation / honour id"),
    Topic(FEEDBACK, "feedback", "Ratings (老百姓评单) and follow-ups.", "order id"),
    Topic(STATION_INTAKE, "station frontends",
          "What station frontends (WeChat groups, kiosks, apps) publish: order requests, "
          "ratings, survey answers.",
          "request id, or the order / survey id the message is about"),
)


def dlq_of(topic: str) -> str:
    """Return the dead-letter topic for ``topic``."""
    return topic + DLQ_SUFFIX


def topic_configs(name: str) -> dict[str, str]:
    """The Kafka configs of topic ``name`` (or its DLQ); an event log's for names not listed."""
    for topic in CATALOGUE:
        if name in (topic.name, topic.dlq):
            return dict(topic.configs)
    return dict(KEEP_HISTORY)


def all_topic_names() -> list[str]:
    """Every topic name in the catalogue, each followed by its dead-letter topic."""
    return [name for t in CATALOGUE for name in (t.name, t.dlq)]
