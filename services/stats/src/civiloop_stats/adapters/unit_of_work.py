"""The stats service's unit of work: the live read models bound to the transaction's session."""

from __future__ import annotations

from pymongo.asynchronous.client_session import AsyncClientSession

from civiloop_platform.store.unit_of_work import MongoUnitOfWork
from civiloop_stats.adapters.read_models import ReadModels


class StatsUnitOfWork(MongoUnitOfWork):
    """One transaction over the stats database, with the read models open on its session."""

    models: ReadModels

    def bind(self, session: AsyncClientSession) -> None:
        self.models = ReadModels(self.database.db, session)
