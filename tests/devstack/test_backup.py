"""Integration: a database copied with `backup` comes back the same, types and indexes
included, and a damaged copy is refused before anything is touched."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from bson import Binary, Int64
from pymongo import ASCENDING, MongoClient

from civiloop_devstack.backup import back_up, restore
from civiloop_devstack.config import InfraError

pytestmark = pytest.mark.integration
Doc = dict[str, Any]


@pytest.fixture
def client(infra: Any) -> Iterator[MongoClient[Doc]]:
    connected: MongoClient[Doc] = MongoClient(infra.mongo_url, tz_aware=True)
    with connected:
        yield connected


def indexes(client: MongoClient[Doc], db: str, coll: str) -> list[Doc]:
    return sorted(({k: v for k, v in ix.items() if k not in ("v", "ns")}
                   for ix in client[db][coll].list_indexes()), key=lambda ix: ix["name"])


def test_a_database_comes_back_document_for_document_with_its_indexes(
        client: MongoClient[Doc], infra: Any, tmp_path: Path) -> None:
    source, target = (f"backup_test_{uuid.uuid4().hex[:8]}" for _ in range(2))
    docs = [{"_id": f"o{i}", "at": datetime(2026, 12, 3, 10, tzinfo=UTC) + timedelta(seconds=i),
             "key": Binary(f"k{i}".encode()), "big": Int64(2**40 + i),
             "nested": {"steps": [{"step": "place", "seq": 0}]}} for i in range(2500)]
    client[source]["orders"].insert_many(docs)
    client[source]["outbox"].insert_one({"_id": "e1", "pending": True, "value": b"\x00\xff"})
    client[source]["orders"].create_index([("big", ASCENDING)], unique=True, name="big_once")
    client[source]["outbox"].create_index([("pending", ASCENDING)], name="pending_only",
                                          partialFilterExpression={"pending": True})
    client[target]["stale"].insert_one({"_id": "gone after the restore"})
    try:
        manifest = back_up(infra.mongo_url, [source], tmp_path)
        assert manifest["databases"][source]["orders"]["documents"] == 2500
        restored = restore(infra.mongo_url, tmp_path, source, into=target)
        assert restored == {"orders": 2500, "outbox": 1}
        assert client[target].list_collection_names().count("stale") == 0
        for coll in ("orders", "outbox"):
            assert list(client[target][coll].find().sort("_id")) == list(
                client[source][coll].find().sort("_id"))
            assert indexes(client, target, coll) == indexes(client, source, coll)
        with pytest.raises(InfraError, match="already holds a backup"):
            back_up(infra.mongo_url, [source], tmp_path)
    finally:
        client.drop_database(source)
        client.drop_database(target)


def test_a_damaged_copy_is_refused_and_the_database_left_alone(
        client: MongoClient[Doc], infra: Any, tmp_path: Path) -> None:
    name = f"backup_test_{uuid.uuid4().hex[:8]}"
    client[name]["orders"].insert_many([{"_id": i} for i in range(10)])
    try:
        back_up(infra.mongo_url, [name], tmp_path)
        copy = tmp_path / name / "orders.bson"
        copy.write_bytes(copy.read_bytes()[:-7])
        client[name]["orders"].insert_one({"_id": "kept"})
        with pytest.raises(InfraError, match="does not match its manifest"):
            restore(infra.mongo_url, tmp_path, name)
        assert client[name]["orders"].count_documents({}) == 11
    finally:
        client.drop_database(name)


def test_a_database_that_is_not_there_is_not_copied_as_an_empty_one(
        client: MongoClient[Doc], infra: Any, tmp_path: Path) -> None:
    name = f"backup_test_{uuid.uuid4().hex[:8]}"
    with pytest.raises(InfraError, match=f"no database {name}"):
        back_up(infra.mongo_url, [name], tmp_path)
    assert not (tmp_path / "manifest.json").exists()
    with pytest.raises(InfraError, match="not a folder `backup` wrote"):
        restore(infra.mongo_url, tmp_path, name)
