"""The dispatch service's unit of work: its repositories on the transaction's session."""

from __future__ import annotations

from pymongo.asynchronous.client_session import AsyncClientSession

from civiloop_dispatch.adapters.candidates import CANDIDATES, MongoCandidates
from civiloop_dispatch.adapters.repositories import TIMERS, WORK, MongoCases, MongoWork
from civiloop_dispatch.adapters.timers import MongoTimers
from civiloop_dispatch.domain.policy import Policy
from civiloop_platform.store.database import ServiceDatabase
from civiloop_platform.store.unit_of_work import MongoUnitOfWork


class DispatchUnitOfWork(MongoUnitOfWork):
    """One transaction over the dispatch database, with cases, candidates and work open."""

    cases: MongoCases
    candidates: MongoCandidates
    work: MongoWork
    timers: MongoTimers

    def __init__(self, database: ServiceDatabase, policy: Policy | None = None) -> None:
        super().__init__(database)
        self.policy = policy or Policy()

    def bind(self, session: AsyncClientSession) -> None:
        db = self.database.db
        self.cases = MongoCases(db, session)
        self.candidates = MongoCandidates(db[CANDIDATES], session, self.policy)
        self.work = MongoWork(db[WORK], session)
        self.timers = MongoTimers(db[TIMERS], session)

    async def finish(self) -> None:
        """Write the candidates the work held back, before the transaction commits."""
        await self.candidates.flush()
