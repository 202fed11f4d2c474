"""Reading the read models back as facts, for one unit of the tree."""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from civiloop_contracts.values import UnitLevel
from civiloop_stats.domain.facts import (
    ActivityFacts,
    Change,
    Completion,
    FollowUpFacts,
    HonourFacts,
    HoursFacts,
    OrderFacts,
    OrganisationFacts,
    Place,
    Snapshot,
    SurveyAnswerFacts,
    SurveyChoiceFacts,
    TeamFacts,
    VolunteerFacts,
)
from civiloop_stats.domain.lifecycle import REACHED, Line, life

Doc = dict[str, Any]


def _place(doc: Doc | None) -> Place | None:
    return None if not doc else Place(doc["centre"], doc.get("institute"), doc.get("station"))


def _changes(items: list[Doc] | None, convert: Any = lambda v: v) -> tuple[Change[Any], ...]:
    return tuple(Change(i["at"], convert(i["value"])) for i in items or [])


def _stars(d: Doc) -> int | None:
    """The rating's stars: those of its highest revision when it was changed."""
    changes = d.get("star_changes") or []
    if changes:
        return int(max(changes, key=lambda c: c["revision"])["value"])
    stars = d.get("stars")
    return None if stars is None else int(stars)


def order_facts(d: Doc) -> OrderFacts:
    """An order document as facts: its milestones from requests' timeline lines."""
    told = life(Line(s["seq"], s["step"], s["status"], s["at"], s.get("outcome"))
                for s in d.get("steps", []))
    placed = [t for t in (d.get("placed_at"), told.placed_at) if t is not None]
    return OrderFacts(
        order_id=d["_id"], place=_place(d.get("place")), platform=d.get("platform"),
        category=d.get("category"), group_activity=bool(d.get("group_activity")),
        placed_at=min(placed, default=None),
        **{f"{m}_at": told.reached.get(m) for m in REACHED},
        stars=_stars(d),
        completions=tuple(Completion(c["at"], c["people"]) for c in d.get("completions", [])),
        closes=told.closes, reopens=told.reopens)


def _volunteer(d: Doc) -> VolunteerFacts:
    return VolunteerFacts(d["_id"], d.get("registered_at"), _changes(d.get("places"), _place),
                          _changes(d.get("statuses")), _changes(d.get("stars")))


def _honour(d: Doc) -> HonourFacts:
    return HonourFacts(d["_id"], d["title"], d["level"], d["year"], d["holder_name"],
                       _place(d["place"]) or Place(""), d["awarded_at"], d.get("revoked_at"))


class SnapshotReader:
    """Loads the facts of one unit (and everything under it) from one generation."""

    def __init__(self, db: AsyncDatabase[Any], prefix: str = "") -> None:
        self.db, self.prefix = db, prefix

    async def _find(self, name: str, query: Doc) -> list[Doc]:
        return [d async for d in self.db[self.prefix + name].find(query)]

    async def load(self, level: UnitLevel, code: str) -> Snapshot:
        """Every fact of the unit ``code`` at ``level``, whenever it happened."""
        where = {f"place.{level.value}": code}
        orders = {d["_id"]: order_facts(d) for d in await self._find("orders", where)
                  if d.get("place")}
        volunteers = [_volunteer(d) for d in await self._find(
            "volunteers", {f"places.value.{level.value}": code})]
        ids: Doc = {"$or": [{"order_id": {"$in": list(orders)}},
                            {"volunteer_id": {"$in": [v.volunteer_id for v in volunteers]}}]}
        hours = [HoursFacts(d["order_id"], d["volunteer_id"], _changes(d["approvals"]))
                 for d in await self._find("hours", {} if level is UnitLevel.CENTRE else ids)]
        hour_orders = {h.order_id for h in hours} - set(orders)
        for d in await self._find("orders", {"_id": {"$in": list(hour_orders)}}):
            orders.setdefault(d["_id"], order_facts(d))  # hours count in the volunteer's unit
        # Helpers from other units too: hours fall back to the order's unit only for a
        # volunteer stats never heard of, not for one who is merely registered elsewhere.
        helpers = {h.volunteer_id for h in hours} - {v.volunteer_id for v in volunteers}
        volunteers += [_volunteer(d) for d in await self._find(
            "volunteers", {"_id": {"$in": sorted(helpers)}})]
        snapshot = Snapshot(orders=orders, volunteers=volunteers, hours=hours)
        snapshot.teams = [TeamFacts(d["_id"], _place(d["place"]) or Place(""), d["platform"],
                                    d["registered_at"], _changes(d.get("actives")))
                          for d in await self._find("teams", where) if d.get("registered_at")]
        snapshot.organisations = [
            OrganisationFacts(d["_id"], _place(d["place"]) or Place(""), d["registered_at"],
                              d.get("dissolved_at"))
            for d in await self._find("organisations", where) if d.get("registered_at")]
        snapshot.honours = [_honour(d) for d in await self._find("honours", where)
                            if d.get("awarded_at")]
        snapshot.follow_ups = [
            FollowUpFacts(d["_id"], d["order_id"], d.get("opened_at"), d.get("resolved_at"))
            for d in await self._find("follow_ups", {"order_id": {"$in": list(orders)}})]
        await self._surveys(snapshot, where)
        snapshot.activities = [
            ActivityFacts(d["_id"], _place(d["place"]) or Place(""), d["platform"],
                          d["category"], d["held_at"], int(d["served"]))
            for d in await self._find("activities", where) if d.get("held_at")]
        return snapshot

    async def _surveys(self, snapshot: Snapshot, where: Doc) -> None:
        for d in await self._find("surveys", where):
            for choice_id, c in d.get("choices", {}).items():
                snapshot.choices[(d["_id"], choice_id)] = SurveyChoiceFacts(
                    c["label"], c.get("platform"), c.get("category"))
        snapshot.answers = [
            SurveyAnswerFacts(d["_id"], d["survey_id"], _place(d["place"]) or Place(""),
                              d["at"], tuple(d["choice_ids"]))
            for d in await self._find("survey_answers", where)]
