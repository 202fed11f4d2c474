"""The stats service's unit of work: the live read models bound to the transaction's session."""

from __future__ import annotations

from pymongo.asynchronous.client_session import AsyncClientSession

from civiloop_platform.store.unit_of_work import MongoUnitOfWork
from civiloop_stats.adapters.read_models import ReadModels


class StatsUnitOfWork(MongoUnitOfWork):
    """One transaction over the stats database, with the read models open on its session."""

    models: ReadModels

    def bind(self, session: AsyncClientSession) -> None:
        # Deferred: a batch's events that touch one document write it once (at finish).
        self.models = ReadModels(self.database.db, session, deferred=True)

    async def finish(self) -> None:
        await self.models.flush()
