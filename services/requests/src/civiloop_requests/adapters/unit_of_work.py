"""The requests service's unit of work: its repositories bound to the transaction's session."""

from __future__ import annotations

from pymongo.asynchronous.client_session import AsyncClientSession

from civiloop_platform.store.database import ServiceDatabase
from civiloop_platform.store.unit_of_work import MongoUnitOfWork
from civiloop_requests.adapters import activities, menu, orders, surveys, units
from civiloop_requests.adapters.activities import MongoActivities
from civiloop_requests.adapters.menu import MongoMenu
from civiloop_requests.adapters.orders import MongoOrders
from civiloop_requests.adapters.surveys import MongoSurveys
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
        self.orders = MongoOrders(db[orders.COLLECTION], session)
        self.menu = MongoMenu(db[menu.COLLECTION], session)
        self.surveys = MongoSurveys(db[surveys.COLLECTION], session)
        self.units = MongoUnits(db[units.COLLECTION], session)
        self.activities = MongoActivities(db[activities.COLLECTION], session)


async def prepare_database(database: ServiceDatabase) -> None:
    """Indexes of every collection, and the default menu on a fresh database."""
    await orders.ensure_indexes(database)
    await surveys.ensure_survey_indexes(database)
    await activities.ensure_activity_indexes(database)
    await MongoMenu(database.db[menu.COLLECTION]).seed(DEFAULT_MENU)
