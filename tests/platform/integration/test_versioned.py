"""The one versioned store every service's repositories are, on the real store: a save over a
version that moved is Stale, an id stored twice is Taken, a replayed add changes nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import BaseModel

from civiloop_platform.store.database import ServiceDatabase
from civiloop_platform.store.unit_of_work import MongoUnitOfWork
from civiloop_platform.store.versioned import Stale, Taken, VersionedStore

pytestmark = pytest.mark.integration


class Note(BaseModel):
    """A tiny aggregate."""

    note_id: str
    text: str
    day: date | None = None


class Notes(VersionedStore[Note]):
    model, id_field, dump_mode = Note, "note_id", "json"


async def in_transaction(database: ServiceDatabase, work: Any) -> Any:
    """``work(notes)`` in one transaction of a plain unit of work."""
    async def run(uow: MongoUnitOfWork) -> Any:
        assert uow.session is not None
        return await work(Notes(database.db["notes"], uow.session))
    return await MongoUnitOfWork(database).run(run)


async def test_a_save_over_a_version_that_moved_is_stale(database: ServiceDatabase) -> None:
    # Outside a transaction: inside one, the store meets the other writer as a write conflict
    # first (the driver retries the transaction), so this is the check behind it.
    await in_transaction(database, lambda notes: notes.add(Note(note_id="n1", text="a")))
    async with database.client.start_session() as session:
        notes = Notes(database.db["notes"], session)
        note = await notes.get("n1")
        assert note is not None
        await database.db["notes"].update_one({"_id": "n1"}, {"$inc": {"version": 1}})
        with pytest.raises(Stale, match="n1: version 1 is no longer current"):
            await notes.save(note.model_copy(update={"text": "b"}))
    assert (await database.db["notes"].find_one({"_id": "n1"}) or {})["text"] == "a"


async def test_an_id_stored_twice_is_taken_and_a_replay_changes_nothing(
        database: ServiceDatabase) -> None:
    await in_transaction(database, lambda notes: notes.add(Note(note_id="n2", text="a")))
    with pytest.raises(Taken):
        await in_transaction(database, lambda notes: notes.add(Note(note_id="n2", text="b")))
    added = await in_transaction(
        database, lambda notes: notes.add_if_absent(Note(note_id="n2", text="c")))
    assert added is False
    assert (await database.db["notes"].find_one({"_id": "n2"}) or {})["text"] == "a"


async def test_saves_bump_the_version_and_reads_page_in_id_order(
        database: ServiceDatabase) -> None:
    async def write(notes: Notes) -> None:
        await notes.add_all([Note(note_id=f"p{i}", text="x", day=date(2026, 12, i + 1))
                             for i in range(3)])
        await notes.save(Note(note_id="p9", text="never read: added"))

    await in_transaction(database, write)

    async def change(notes: Notes) -> tuple[list[Note], int]:
        [note] = await notes.find({"_id": "p1"})
        await notes.save(note.model_copy(update={"text": "y"}))
        return await notes.page({"text": {"$in": ["x", "y"]}}, 1, 1)

    page, total = await in_transaction(database, change)
    assert ([n.note_id for n in page], total) == (["p1"], 3)
    stored = await database.db["notes"].find_one({"_id": "p1"}) or {}
    assert (stored["version"], stored["text"], stored["day"]) == (2, "y", "2026-12-02")


async def test_read_only_work_runs_outside_a_transaction_and_may_not_publish(
        database: ServiceDatabase) -> None:
    await in_transaction(database, lambda notes: notes.add(Note(note_id="n3", text="a")))

    async def look(uow: MongoUnitOfWork) -> Note | None:
        assert uow.session is not None
        assert not uow.session.in_transaction
        return await Notes(database.db["notes"], uow.session).get("n3")
    assert (await MongoUnitOfWork(database).read(look)) == Note(note_id="n3", text="a")

    async def publishes(uow: MongoUnitOfWork) -> None:
        uow.events.append(object())  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match="use run"):
        await MongoUnitOfWork(database).read(publishes)


async def test_a_store_reads_an_id_once_and_answers_again_from_memory(
        database: ServiceDatabase) -> None:
    await in_transaction(database, lambda notes: notes.add(Note(note_id="n4", text="a")))
    async with database.client.start_session() as session:
        notes = Notes(database.db["notes"], session)
        first = await notes.get("n4")
        assert first is not None
        first.text = "changed in memory, not saved"
        await database.db["notes"].update_one({"_id": "n4"}, {"$set": {"text": "b"}})
        assert await notes.get("n4") == Note(note_id="n4", text="a")  # no second read
        again = await notes.get("n4")
        assert again is not None
        await database.db["notes"].update_one({"_id": "n4"}, {"$inc": {"version": 1}})
        with pytest.raises(Stale):  # the version check is still the store's
            await notes.save(again.model_copy(update={"text": "c"}))
        assert await notes.get("n4") == Note(note_id="n4", text="b")  # forgotten: read again


async def test_a_saved_aggregate_is_answered_as_the_store_would_return_it(
        database: ServiceDatabase) -> None:
    async def work(notes: Notes) -> tuple[Note | None, Note | None]:
        await notes.add(Note(note_id="n5", text="a"))
        note = await notes.get("n5")
        assert note is not None
        await notes.save(note.model_copy(update={"text": "b"}))
        return note, await notes.get("n5")
    added, saved = await in_transaction(database, work)
    assert added == Note(note_id="n5", text="a")
    assert saved == Note(note_id="n5", text="b")
    stored = await database.db["notes"].find_one({"_id": "n5"})
    assert (stored or {})["version"] == 2


async def test_put_writes_its_fields_over_the_stored_document_or_stores_it_whole(
        database: ServiceDatabase) -> None:
    await in_transaction(database, lambda notes: notes.put(
        Note(note_id="n6", text="a", day=date(2026, 12, 3)), ["text"]))
    assert await database.db["notes"].find_one({"_id": "n6"}) == {
        "_id": "n6", "note_id": "n6", "text": "a", "day": "2026-12-03", "version": 1}

    async def read_then_put(notes: Notes) -> None:
        before = await notes.get("n6")
        assert before is not None
        await notes.put(Note(note_id="n6", text="b"), ["text"])  # day is left as stored
        with pytest.raises(Stale):  # the copy read before the put is out of date
            await notes.save(before)

    async def put_then_read(notes: Notes) -> Note | None:
        await notes.put(Note(note_id="n6", text="b"), ["text"])
        return await notes.get("n6")
    await in_transaction(database, read_then_put)
    after = await in_transaction(database, put_then_read)
    assert after == Note(note_id="n6", text="b", day=date(2026, 12, 3))  # day as stored
    stored = await database.db["notes"].find_one({"_id": "n6"})
    assert (stored or {})["version"] == 3  # each put moved it once
