"""The matching view in MongoDB: one document per volunteer or team, indexed for the matcher.

Each document carries ``match_keys`` (kind|place|skill, for every unit it serves at every
level) and ``spare`` (cap minus load), so the matcher reads only fit candidates with room,
in index order, whatever the size of the registry.
"""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection

from civiloop_contracts.values import UnitLevel
from civiloop_dispatch.domain.candidates import Candidate
from civiloop_dispatch.domain.need import Need
from civiloop_dispatch.domain.policy import Policy

CANDIDATES = "candidates"
MATCH_INDEX = [("match_keys", ASCENDING), ("spare", DESCENDING), ("last_assigned_at", ASCENDING)]
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

    async def get(self, key: str) -> Candidate | None:
        """The candidate with this key, or None."""
        doc = await self.collection.find_one({"_id": key}, session=self.session)
        return None if doc is None else candidate_of(doc)

    async def put(self, candidate: Candidate) -> None:
        """Insert or replace the candidate."""
        await self.collection.replace_one({"_id": candidate.key},
                                          candidate_document(candidate, self.policy),
                                          upsert=True, session=self.session)

    async def find(self, need: Need, level: UnitLevel, *, exclude: list[str],
                   limit: int) -> list[Candidate]:
        """Fit candidates with spare capacity, roomiest and longest-idle first."""
        query: dict[str, Any] = {"match_keys": {"$in": need.match_keys(level)},
                                 "spare": {"$gt": 0}}
        if exclude:
            query["_id"] = {"$nin": exclude}
        cursor = self.collection.find(query, session=self.session).sort(
            [(name, direction) for name, direction in MATCH_INDEX[1:]]).limit(limit)
        return [candidate_of(doc) async for doc in cursor]


async def ensure_candidate_indexes(collection: AsyncCollection[Any]) -> None:
    """The matcher's index (idempotent)."""
    await collection.create_index(MATCH_INDEX, name="match")
