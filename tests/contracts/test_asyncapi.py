"""The AsyncAPI document: current, complete, and valid for the official AsyncAPI parser."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from civiloop_contracts import CATALOGUE, REGISTRY, all_topic_names
from civiloop_contracts.asyncapi import channel_id
from civiloop_contracts.schemagen import ASYNCAPI_FILE, planned_files

REPO = Path(__file__).resolve().parents[2]
VALIDATOR = REPO / "tools" / "asyncapi" / "validate.mjs"


def _validate(path: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    assert node, "node is not installed: the AsyncAPI validator needs Node.js 18+"
    if not (VALIDATOR.parent / "node_modules" / "@asyncapi" / "parser").is_dir():
        pytest.fail("tools/asyncapi/node_modules is missing: run `make install`")
    return subprocess.run([node, str(VALIDATOR), str(path)], capture_output=True, text=True,
                          timeout=120, check=False)


def test_committed_document_is_up_to_date() -> None:
    planned = planned_files(ASYNCAPI_FILE.parent)[ASYNCAPI_FILE]
    assert ASYNCAPI_FILE.read_text(encoding="utf-8") == planned, (
        "asyncapi.yaml is stale: run `make schemas` and commit the result")


def test_document_has_every_topic_dlq_and_event() -> None:
    doc = yaml.safe_load(ASYNCAPI_FILE.read_text(encoding="utf-8"))
    addresses = {c["address"] for c in doc["channels"].values()}
    assert addresses == set(all_topic_names())
    assert set(doc["components"]["messages"]) == {m.__name__ for m in REGISTRY.published().values()}
    for topic in CATALOGUE:
        listed = set(doc["channels"][channel_id(topic.name)]["messages"])
        assert listed == {m.__name__ for m in REGISTRY.published().values() if m.topic == topic.name}


def test_official_parser_accepts_the_document() -> None:
    result = _validate(ASYNCAPI_FILE)
    assert result.returncode == 0, result.stderr


def test_official_parser_rejects_a_broken_copy(tmp_path: Path) -> None:
    doc = yaml.safe_load(ASYNCAPI_FILE.read_text(encoding="utf-8"))
    del doc["info"]["version"]
    doc["operations"]["send_requests_events_v1"]["action"] = "publish"  # AsyncAPI 2 wording
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    result = _validate(broken)
    assert result.returncode == 1
    assert "info" in result.stderr
    assert "action" in result.stderr


def test_every_channel_says_its_history_is_kept() -> None:
    doc = yaml.safe_load(ASYNCAPI_FILE.read_text(encoding="utf-8"))
    for channel in doc["channels"].values():
        config = channel["bindings"]["kafka"]["topicConfiguration"]
        assert config == {"cleanup.policy": ["delete"], "retention.ms": -1,
                          "retention.bytes": -1}, channel["address"]
