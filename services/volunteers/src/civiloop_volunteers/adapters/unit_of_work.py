"""The volunteers service's unit of work: its repositories bound to the transaction's session."""

from __future__ import annotations

from pymongo.asynchronous.client_session import AsyncClientSession

from civiloop_platform.store.unit_of_work import MongoUnitOfWork
from civiloop_volunteers.adapters.repositories import (
    Honours,
    Ledger,
    Memberships,
    Nominations,
    Offers,
    Orders,
    Organisations,
    Services,
    Teams,
    Volunteers,
)


class VolunteersUnitOfWork(MongoUnitOfWork):
    """One transaction over the volunteers database, with every repository on its session."""

    volunteers: Volunteers
    teams: Teams
    organisations: Organisations
    memberships: Memberships
    offers: Offers
    orders: Orders
    services: Services
    hours: Ledger
    honours: Honours
    nominations: Nominations

    def bind(self, session: AsyncClientSession) -> None:
        db = self.database.db
        self.volunteers = Volunteers(db["volunteers"], session)
        self.teams = Teams(db["teams"], session)
        self.organisations = Organisations(db["organisations"], session)
        self.memberships = Memberships(db["organisation_members"], session)
        self.offers = Offers(db["offers"], session)
        self.orders = Orders(db["orders"], session)
        self.services = Services(db["services"], session)
        self.hours = Ledger(db["hours"], session)
        self.honours = Honours(db["honours"], session)
        self.nominations = Nominations(db["nominations"], session)
