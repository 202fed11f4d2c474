"""The topic catalogue's retention policy: every topic and dead letter keeps every event."""

from __future__ import annotations

from civiloop_contracts.topics import CATALOGUE, KEEP_HISTORY, all_topic_names, topic_configs


def test_every_topic_and_dead_letter_keeps_its_history() -> None:
    for name in all_topic_names():
        configs = topic_configs(name)
        assert configs["retention.ms"] == "-1", name
        assert configs["retention.bytes"] == "-1", name
        assert configs["cleanup.policy"] == "delete", f"{name}: compaction keeps one per key"


def test_a_topic_and_its_dead_letter_share_one_policy() -> None:
    for topic in CATALOGUE:
        assert topic_configs(topic.name) == topic_configs(topic.dlq) == dict(topic.configs)


def test_a_name_outside_the_catalogue_is_an_event_log_too() -> None:
    assert topic_configs("probe.events.v1") == dict(KEEP_HISTORY)


def test_the_policy_given_out_is_a_copy() -> None:
    topic_configs(CATALOGUE[0].name)["retention.ms"] = "1"
    assert CATALOGUE[0].configs["retention.ms"] == "-1"
