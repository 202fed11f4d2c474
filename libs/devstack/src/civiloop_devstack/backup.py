"""Back up a service's MongoDB database and restore it, with PyMongo alone.

The layout is mongodump's: ``<folder>/<database>/<collection>.bson`` (the documents as
concatenated BSON, so types survive: dates, binary keys, 64-bit ints) and
``<collection>.metadata.json`` (its indexes), plus ``manifest.json`` with counts and a
SHA-256 per file. A database is read inside one transaction at snapshot read concern, so
its collections are copied as of one moment: an outbox row is never copied without the
change it was committed with. Works the same against SecantusDB and a real ``mongod``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import bson
from bson import json_util
from pymongo import MongoClient
from pymongo.errors import OperationFailure, PyMongoError
from pymongo.read_concern import ReadConcern

from civiloop_devstack.config import InfraError

BATCH = 1000
Doc = dict[str, Any]


def _client(url: str) -> MongoClient[Doc]:
    return MongoClient(url, serverSelectionTimeoutMS=10_000)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        for chunk in iter(lambda: data.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def back_up(url: str, databases: list[str], folder: Path) -> Doc:
    """Copy each of ``databases`` into ``folder``; the manifest written there."""
    if (folder / "manifest.json").exists():
        raise InfraError(f"{folder} already holds a backup: name a new folder")
    manifest: Doc = {"taken_at": datetime.now(UTC).isoformat(), "databases": {}}
    with _client(url) as client:
        # An empty copy of a misspelt name would, restored, empty the real database.
        if missing := sorted(set(databases) - set(_names(client))):
            raise InfraError(f"no database {', '.join(missing)} in that store: nothing copied")
        for name in databases:
            manifest["databases"][name] = _back_up_one(client, name, folder / name)
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def _names(client: MongoClient[Doc]) -> list[str]:
    """The store's databases, or an InfraError saying it cannot be reached."""
    try:
        return client.list_database_names()
    except PyMongoError as exc:
        raise InfraError(f"the store does not answer: {exc}") from exc


def _back_up_one(client: MongoClient[Doc], name: str, folder: Path) -> Doc:
    """Every collection of one database, read in one snapshot; per collection its count."""
    db = client[name]
    folder.mkdir(parents=True, exist_ok=True)
    # Listing is not allowed inside a transaction; the services create no index while
    # they run (only at start), so the indexes read now are those of the snapshot.
    for coll in sorted(db.list_collection_names()):
        meta = {"collectionName": coll, "indexes": [dict(ix) for ix in db[coll].list_indexes()]}
        # Extended JSON, as mongodump writes it: index options keep their types.
        (folder / f"{coll}.metadata.json").write_text(json_util.dumps(meta) + "\n")
    copied: Doc = {}
    try:
        with client.start_session() as session, session.start_transaction(
                read_concern=ReadConcern("snapshot")):
            for meta_file in sorted(folder.glob("*.metadata.json")):
                coll = meta_file.name.removesuffix(".metadata.json")
                copied[coll] = _copy(db[coll].find({}, session=session, batch_size=BATCH),
                                     folder / f"{coll}.bson")
    except OperationFailure as exc:  # e.g. the snapshot outlived the transaction lifetime
        raise InfraError(f"backup of {name} failed: {exc} (a database too large to read in "
                         "one transaction is copied with the service's writes stopped)") from exc
    return copied


def _copy(docs: Iterator[Doc], path: Path) -> Doc:
    """Write ``docs`` to ``path`` as concatenated BSON; their count and the file's SHA-256."""
    count = 0
    with path.open("wb") as out:
        for doc in docs:
            out.write(bson.encode(doc))
            count += 1
    return {"documents": count, "sha256": _sha256(path)}


def restore(url: str, folder: Path, database: str, into: str | None = None) -> dict[str, int]:
    """Replace database ``into`` (default: the same name) by its copy in ``folder``."""
    source = folder / database
    if not (folder / "manifest.json").is_file():
        raise InfraError(f"{folder} holds no manifest.json: not a folder `backup` wrote")
    manifest = json.loads((folder / "manifest.json").read_text())
    expected: Doc = manifest["databases"].get(database)
    if expected is None:
        raise InfraError(f"{folder} holds no backup of {database}")
    for coll, facts in expected.items():  # refuse a damaged copy before touching anything
        copy = source / f"{coll}.bson"
        if not copy.is_file() or _sha256(copy) != facts["sha256"]:
            raise InfraError(f"{source / coll}.bson does not match its manifest: not restored")
    restored: dict[str, int] = {}
    try:
        with _client(url) as client:
            db = client[into or database]
            for name in db.list_collection_names():
                db[name].drop()
            for coll in expected:
                restored[coll] = _restore_one(db[coll], source, coll)
    except PyMongoError as exc:
        raise InfraError(f"restore of {database} failed: {exc}") from exc
    return restored


def _restore_one(coll: Any, source: Path, name: str) -> int:
    """One collection: its indexes first (a unique one refuses a duplicate), then its documents."""
    meta = json_util.loads((source / f"{name}.metadata.json").read_text())
    coll.database.create_collection(name)
    for index in meta["indexes"]:
        if index["name"] == "_id_":
            continue
        keys = list(index.pop("key").items())
        index.pop("v", None)
        index.pop("ns", None)
        coll.create_index(keys, **index)
    count = 0
    for batch in _batches(source / f"{name}.bson"):
        coll.insert_many(batch, ordered=True)
        count += len(batch)
    return count


def _batches(path: Path) -> Iterator[list[Doc]]:
    """The documents of a .bson file, ``BATCH`` at a time."""
    batch: list[Doc] = []
    with path.open("rb") as data:
        for doc in bson.decode_file_iter(data):
            batch.append(doc)
            if len(batch) == BATCH:
                yield batch
                batch = []
    if batch:
        yield batch
