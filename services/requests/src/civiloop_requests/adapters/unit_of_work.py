"""The requests service's unit of work: its repositories bound to the transaction's session."""

from __future__ import annotations

from pymongo.asynchronous.client_session import AsyncClientSession

from civiloop_platform.store.database import ServiceDatabase
from civiloop_platform.store.unit_of_work import MongoUnitOfWork
from civiloop_requests.adapters import menu, repositories, units
from civiloop_requests.adapters.menu import MongoMenu
from civiloop_requests.adapters.repositories import (
    ACTIVITIES,
    ORDERS,
    SURVEYS,
    MongoActivities,
    MongoOrders,
    MongoSurveys,
)
from civiloop_requests.adapters.units import MongoUnits
from civiloop_requests.domain.menu import DEFAULT_MENU


class RequestsUnitOfWork(MongoUnitOfWork):
    """One transaction over the requests database: orders, menu, surveys, units, activities."""

    orders: MongoOrders
    menu: MongoMenu
    surveys: MongoSurveys
    units: MongoUnits
    activities: MongoActivities

    def bind(self, session: AsyncClientSession) -> None:
        db = self.database.db
        self.orders = MongoOrders(db[ORDERS], session)
        self.menu = MongoMenu(db[menu.COLLECTION], session)
        self.surveys = MongoSurveys(db[SURVEYS], session)
        self.units = MongoUnits(db[units.COLLECTION], session)
        self.activities = MongoActivities(db[ACTIVITIES], session)


async def prepare_database(database: ServiceDatabase) -> None:
    """Indexes of every collection, and the default menu on a fresh database."""
    await repositories.ensure_order_indexes(database)
    await repositories.ensure_survey_indexes(database)
    await repositories.ensure_activity_indexes(database)
    await MongoMenu(database.db[menu.COLLECTION]).seed(DEFAULT_MENU)
