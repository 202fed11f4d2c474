"""The matching view in MongoDB: one document per volunteer or team, indexed for the matcher.

Each document carries ``match_keys`` (kind|place|skill, for every unit it serves at every
level) and ``spot``, a random number redrawn whenever the candidate is offered work. The
index is (match_keys, spot). The matcher reads a window of spots from a random start and
widens it (in proportion to what the first window held) until it has ``limit`` candidates
with room, or has read them all: a decision reads about ``limit`` documents in one or two
queries whatever the size of the registry (a million volunteers at the centre level
included), and over many decisions the window rotates through everyone.
"""

from __future__ import annotations

import random
from typing import Any

from pymongo import ASCENDING, ReplaceOne, ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection

from civiloop_contracts.values import UnitLevel
from civiloop_dispatch.domain.candidates import Candidate
from civiloop_dispatch.domain.need import Need
from civiloop_dispatch.domain.policy import Policy

CANDIDATES = "candidates"
MATCH_INDEX = [("match_keys", ASCENDING), ("spot", ASCENDING)]
# The first window, as a share of the spot range, per level; doubled until enough are found.
# Wider levels have more fit candidates, so a narrower window already holds enough.
FIRST_WINDOW = {UnitLevel.STATION: 1 / 16, UnitLevel.INSTITUTE: 1 / 128,
                UnitLevel.CENTRE: 1 / 1024}
_DERIVED = ("_id", "match_keys", "spare")


def candidate_document(candidate: Candidate, policy: Policy) -> dict[str, Any]:
    """The stored form of a candidate, with the fields the matcher's index reads."""
    spare = candidate.cap(policy.cap_for(candidate.kind)) - candidate.load
    return {"_id": candidate.key, **candidate.model_dump(mode="python"),
            "match_keys": candidate.match_keys(), "spare": spare}


def candidate_of(document: dict[str, Any]) -> Candidate:
    """The candidate a stored document holds."""
    return Candidate.model_validate({k: v for k, v in document.items() if k not in _DERIVED})


class MongoCandidates:
    """The matching view read and written inside one transaction's session."""

    def __init__(self, collection: AsyncCollection[Any], session: AsyncClientSession | None,
                 policy: Policy) -> None:
        self.collection, self.session, self.policy = collection, session, policy
        # Candidates this transaction read or wrote: within it nobody else changes them (a
        # concurrent write is a conflict that retries the work on a fresh instance).
        self._known: dict[str, Candidate] = {}
        self._held: dict[str, Candidate] = {}  # written at ``flush``, before any other query


    async def get(self, key: str) -> Candidate | None:
        """The candidate with this key, or None."""
        if key in self._known:
            return self._known[key]
        doc = await self.collection.find_one({"_id": key}, session=self.session)
        return None if doc is None else self._remember(doc)

    async def put(self, candidate: Candidate) -> None:
        """Insert or replace the candidate (held back until ``flush``, in this transaction)."""
        self._known[candidate.key] = self._held[candidate.key] = candidate

    async def flush(self) -> None:
        """Write the candidates held back in one round trip (a poll of 100 registrations)."""
        held, self._held = self._held, {}
        if held:
            await self.collection.bulk_write(
                [ReplaceOne({"_id": key}, candidate_document(c, self.policy), upsert=True)
                 for key, c in held.items()], session=self.session)

    async def change(self, key: str, *, load: int = 0, declines: int = 0) -> Candidate | None:
        """Add ``load`` (never below zero) and ``declines`` in one write; the candidate after.

        A load that would go below zero, or a stored ``spare`` the policy's cap no longer
        gives, is done the long way: read, then replace.
        """
        query: dict[str, Any] = {"_id": key}
        if load < 0:
            query["load"] = {"$gte": -load}
        doc = None if key in self._known else await self.collection.find_one_and_update(
            query, {"$inc": {"load": load, "spare": -load, "declines": declines}},
            return_document=ReturnDocument.AFTER, session=self.session)
        if doc is not None:
            candidate = self._remember(doc)
            if doc["spare"] == candidate_document(candidate, self.policy)["spare"]:
                return candidate
        else:
            found = await self.get(key)
            if found is None:
                return None
            candidate = found.model_copy(update={"load": max(0, found.load + load),
                                                 "declines": found.declines + declines})
        await self.put(candidate)
        return candidate

    def _remember(self, doc: dict[str, Any]) -> Candidate:
        candidate = self._known[doc["_id"]] = candidate_of(doc)
        return candidate

    async def find(self, need: Need, level: UnitLevel, *, exclude: list[str],
                   limit: int) -> list[Candidate]:
        """At least ``limit`` fit candidates with room (all of them, if fewer exist)."""
        await self.flush()  # the matcher reads the stored view
        keys, start, width = need.match_keys(level), random.random(), FIRST_WINDOW[level]
        skip = set(exclude)
        while True:
            found: dict[str, Candidate] = {}
            for low, high in _spans(start, width):
                # Equality then range on the index's two fields: read only the window, for
                # every key of the need in one query.
                query = {"match_keys": {"$in": keys}, "spot": {"$gte": low, "$lt": high},
                         "spare": {"$gt": 0}}
                async for doc in self.collection.find(query, session=self.session):
                    if doc["_id"] not in skip:
                        found[doc["_id"]] = candidate_of(doc)
            if len(found) >= limit or width >= 1:
                return list(found.values())
            width = next_width(width, len(found), limit)


def next_width(width: float, found: int, limit: int) -> float:
    """The window that should hold ``limit`` candidates, judging by what ``width`` held.

    Candidates are spread evenly over the spot range, so the window grows in proportion
    (with a margin), at least fourfold: a small registry is read whole on the second query.
    """
    wanted = width * 2 * limit / found if found else width * 16
    return min(1.0, max(wanted, width * 4))


def _spans(start: float, width: float) -> list[tuple[float, float]]:
    """The window [start, start + width) of the spot range [0, 1), wrapping round."""
    if width >= 1:
        return [(0.0, 1.0)]
    end = start + width
    return [(start, end)] if end <= 1 else [(start, 1.0), (0.0, end - 1)]


async def ensure_candidate_indexes(collection: AsyncCollection[Any]) -> None:
    """The matcher's index (idempotent)."""
    await collection.create_index(MATCH_INDEX, name="match")
