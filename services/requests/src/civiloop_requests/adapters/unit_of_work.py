"""The requests service's unit of work: its repositories bound to the transaction's session."""

from __future__ import annotations

from pymongo.asynchronous.client_session import AsyncClientSession

from civiloop_platform.store.unit_of_work import MongoUnitOfWork
from civiloop_requests.adapters.orders import COLLECTION, MongoOrders


class RequestsUnitOfWork(MongoUnitOfWork):
    """One transaction over the requests database, with ``orders`` open on its session."""

    orders: MongoOrders

    def bind(self, session: AsyncClientSession) -> None:
        self.orders = MongoOrders(self.database.db[COLLECTION], session)
