"""The volunteers service's repositories: each collection with the queries the use cases name."""

from __future__ import annotations

from typing import Any, Literal, TypeVar

from pydantic import BaseModel
from pymongo import ASCENDING, DESCENDING, UpdateOne

from civiloop_platform.store.database import ServiceDatabase
from civiloop_platform.store.versioned import VERSION, VersionedStore
from civiloop_volunteers.domain.appraisal import Nomination, Stage
from civiloop_volunteers.domain.honours import Honour
from civiloop_volunteers.domain.ledger import COUNTED, HoursEntry
from civiloop_volunteers.domain.offers import Offer
from civiloop_volunteers.domain.orders import OrderView
from civiloop_volunteers.domain.organisations import Membership, Organisation
from civiloop_volunteers.domain.service import Service
from civiloop_volunteers.domain.teams import Team
from civiloop_volunteers.domain.volunteer import Volunteer

M = TypeVar("M", bound=BaseModel)


class Documents(VersionedStore[M]):
    """The platform's versioned store, in JSON form: dates and times are stored as ISO text."""

    dump_mode: Literal["python", "json"] = "json"


class Volunteers(Documents[Volunteer]):
    """Registered volunteers; unique on ID document and on volunteer number."""

    model, id_field = Volunteer, "volunteer_id"
    stored_only = ("id_key",)

    def extra(self, aggregate: Volunteer) -> dict[str, Any]:
        """The ID document's key, for the unique index."""
        return {"id_key": aggregate.id_key}

    def document(self, aggregate: Volunteer, version: int) -> dict[str, Any]:
        """The stored form; without a volunteer number, no such field."""
        document = super().document(aggregate, version)
        if aggregate.volunteer_number is None:
            document.pop("volunteer_number")  # the unique index is sparse: absent, not null
        return document

    async def same_person(self, id_key: str, volunteer_number: str | None) -> list[Volunteer]:
        """Volunteers registered with this ID document or this volunteer number."""
        either: list[dict[str, Any]] = [{"id_key": id_key}]
        if volunteer_number is not None:
            either.append({"volunteer_number": volunteer_number})
        return await self.find({"$or": either})

    async def same_people(self, id_keys: list[str], numbers: list[str]) -> list[Volunteer]:
        """Volunteers registered with any of these ID documents or volunteer numbers.

        Two ``$in`` reads, each on its unique index (an ``$or`` of them may scan the store).
        """
        found = {v.volunteer_id: v for v in await self.find({"id_key": {"$in": id_keys}})}
        if numbers:
            found.update((v.volunteer_id, v) for v in await self.by_numbers(numbers))
        return list(found.values())

    async def by_numbers(self, numbers: list[str]) -> list[Volunteer]:
        """Volunteers with these volunteer numbers."""
        return await self.find({"volunteer_number": {"$in": numbers}})


class Teams(Documents[Team]):
    """Volunteer teams."""

    model, id_field = Team, "team_id"

    async def of_member(self, volunteer_id: str) -> list[Team]:
        """The teams a volunteer belongs to."""
        return await self.find({"member_ids": volunteer_id}, sort=[("team_id", ASCENDING)])

    async def led_by(self, volunteer_id: str) -> list[Team]:
        """The teams a volunteer leads."""
        return await self.find({"leader_id": volunteer_id})


class Organisations(Documents[Organisation]):
    """Registered volunteer organisations."""

    model, id_field = Organisation, "organisation_id"


class Memberships(Documents[Membership]):
    """Who belongs to which organisation."""

    model, id_field = Membership, "membership_id"

    async def count_of(self, organisation_id: str) -> int:
        """How many members the organisation has."""
        return await self.collection.count_documents({"organisation_id": organisation_id},
                                                     session=self.session)

    async def add_all_if_absent(self, memberships: list[Membership]) -> None:
        """Store those memberships not stored yet, in one round trip (a call of 1,000)."""
        if memberships:
            await self.collection.bulk_write(
                [UpdateOne({"_id": self.key(m)}, {"$setOnInsert": self.document(m, 1)},
                           upsert=True) for m in memberships], session=self.session)

    async def remove(self, membership_ids: list[str]) -> None:
        """Delete these memberships (those not stored are ignored)."""
        await self.collection.delete_many({"_id": {"$in": membership_ids}}, session=self.session)
        self.forget(*membership_ids)

    async def member_ids(self, organisation_id: str) -> list[str]:
        """The volunteer ids of the organisation's members."""
        cursor = self.collection.find({"organisation_id": organisation_id},
                                      {"volunteer_id": 1}, session=self.session)
        return [document["volunteer_id"] async for document in cursor]


class Offers(Documents[Offer]):
    """Dispatch's assignments as offered to teams and volunteers."""

    model, id_field = Offer, "assignment_id"

    async def of_order(self, order_id: str) -> list[Offer]:
        """Every assignment of an order."""
        return await self.find({"order_id": order_id})

    async def open_for(self, party_ids: list[str], limit: int = 100) -> list[Offer]:
        """Recent offers naming any of these volunteers or teams, latest deadline first."""
        # Two queries, each on its own index: an $or of both is a collection scan on some
        # servers, and this is what every volunteer's app polls.
        found: dict[str, Offer] = {}
        for field in ("volunteer_ids", "team_ids"):
            for offer in await self.find({field: {"$in": party_ids}},
                                         sort=[("accept_deadline", DESCENDING)], limit=limit):
                found[offer.assignment_id] = offer
        return sorted(found.values(), key=lambda o: o.accept_deadline, reverse=True)[:limit]


class Orders(Documents[OrderView]):
    """What assignees may know of orders."""

    model, id_field = OrderView, "order_id"

    async def many(self, order_ids: list[str]) -> dict[str, OrderView]:
        """The known orders among ``order_ids``, by id (one query)."""
        return {o.order_id: o for o in await self.find({"_id": {"$in": order_ids}})}

    async def close(self, order_id: str, reason: str) -> None:
        """Mark a known order closed with ``reason`` unless it is already: one write, no read."""
        # The version moves as a save's would: a reader about to save finds it Stale.
        await self.collection.update_one({"_id": order_id, "closed": None},
                                         {"$set": {"closed": reason}, "$inc": {VERSION: 1}},
                                         session=self.session)
        self.forget(order_id)


class Services(Documents[Service]):
    """Accepted assignments being served."""

    model, id_field = Service, "assignment_id"

    async def of_order(self, order_id: str) -> list[Service]:
        """Every service of an order (one per accepted assignment; a reassigned order has more)."""
        return await self.find({"order_id": order_id}, limit=100)


class Ledger(Documents[HoursEntry]):
    """The service hours record."""

    model, id_field = HoursEntry, "entry_id"

    async def of_volunteer(self, volunteer_id: str) -> list[HoursEntry]:
        """Every entry of a volunteer, oldest first."""
        return await self.find({"volunteer_id": volunteer_id},
                               sort=[("served_on", ASCENDING), ("recorded_at", ASCENDING)])

    async def pending(self, query: dict[str, Any]) -> list[HoursEntry]:
        """Entries waiting for a decision, narrowed by ``query``."""
        return await self.find({**query, "status": "pending"}, limit=500)

    async def totals(self, group_by: str | None, match: dict[str, Any]) -> list[dict[str, Any]]:
        """Counted hours and entries per ``group_by`` field (or overall), where ``match``."""
        pipeline: list[dict[str, Any]] = [
            {"$match": {**match, "status": {"$in": [s.value for s in COUNTED]}}},
            {"$group": {"_id": f"${group_by}" if group_by else None,
                        "hours": {"$sum": "$hours"}, "entries": {"$sum": 1},
                        "volunteers": {"$addToSet": "$volunteer_id"}}},
            {"$sort": {"_id": 1}}]
        cursor = await self.collection.aggregate(pipeline, session=self.session)
        return [{"key": row["_id"], "hours": round(row["hours"], 2), "entries": row["entries"],
                 "volunteers": len(row["volunteers"])} async for row in cursor]


class Honours(Documents[Honour]):
    """Honours, current and revoked."""

    model, id_field = Honour, "honour_id"

    async def current(self) -> list[Honour]:
        """Honours on the board, newest year first."""
        return await self.find({"revoked_at": None},
                               sort=[("year", DESCENDING), ("honour_id", ASCENDING)])


class Nominations(Documents[Nomination]):
    """Nominations for honours, at every stage."""

    model, id_field = Nomination, "nomination_id"

    async def in_notice(self) -> list[Nomination]:
        """Nominations in their public notice (公示), the soonest ending first."""
        return await self.find({"stage": Stage.IN_NOTICE.value},
                               sort=[("notice_until", ASCENDING)], limit=500)


async def ensure_indexes(database: ServiceDatabase) -> None:
    """Create the service's indexes (idempotent); the unique ones guard the registry."""
    db = database.db
    await db["volunteers"].create_index("id_key", unique=True, name="one_person")
    await db["volunteers"].create_index("volunteer_number", unique=True, sparse=True,
                                        name="one_number")
    await db["volunteers"].create_index([("unit.station", ASCENDING)], name="station")
    await db["volunteers"].create_index([("unit.institute", ASCENDING)], name="institute")
    # A unit's page in id order straight from the index (measured: a station's first page
    # of 50 at 17k volunteers, 338 ms with the sort after the fetch, 27 ms with these).
    for field in ("unit.station", "unit.institute"):
        await db["volunteers"].create_index([(field, ASCENDING), ("_id", ASCENDING)],
                                            name=f"{field.split('.')[1]}_id")
    # Search by name prefix (a range on the name, no text index) and filters of the lists.
    for collection in ("volunteers", "teams", "organisations"):
        await db[collection].create_index("name", name="name")
    for field in ("platforms", "specialties", "status"):  # the roster's filters
        await db["volunteers"].create_index(field, name=field)
    await db["teams"].create_index("organisation_id", name="organisation")
    await db["organisations"].create_index("number", name="number", sparse=True)
    for field in ("unit.station", "unit.institute"):
        await db["organisations"].create_index(field, name=field.replace(".", "_"))
    await db["organisation_members"].create_index(
        [("organisation_id", ASCENDING), ("volunteer_id", ASCENDING)], name="organisation")
    await db["organisation_members"].create_index("volunteer_id", name="volunteer")
    for field in ("unit.station", "unit.institute"):  # the unit lists (list_routes)
        await db["services"].create_index(field, name=field.replace(".", "_"))
    await db["teams"].create_index("member_ids", name="members")
    await db["teams"].create_index("leader_id", name="leader")
    await db["teams"].create_index([("unit.station", ASCENDING)], name="station")
    await db["offers"].create_index("order_id", name="order")
    await db["offers"].create_index("volunteer_ids", name="volunteers")
    await db["offers"].create_index("team_ids", name="teams")
    await db["services"].create_index([("order_id", ASCENDING), ("completed_at", ASCENDING)],
                                      name="order_open")
    for field in ("volunteer_id", "team_id", "unit.station", "unit.institute", "status"):
        await db["hours"].create_index(field, name=field.replace(".", "_"))
    await db["nominations"].create_index([("stage", ASCENDING), ("notice_until", ASCENDING)],
                                         name="stage")
    await db["import_rows"].create_index([("import_id", ASCENDING), ("row", ASCENDING)],
                                         name="import_row")
