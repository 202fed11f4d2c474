"""The needs surveys repository: one document per survey with its answers, versioned."""

from __future__ import annotations

from pymongo import ASCENDING

from civiloop_platform.auth.scope import Scope
from civiloop_platform.store.database import ServiceDatabase
from civiloop_platform.store.versioned import VersionedStore
from civiloop_requests.domain.survey import Survey

COLLECTION = "surveys"


class MongoSurveys(VersionedStore[Survey]):
    """Surveys read and written inside one transaction; two answers at once never collide."""

    model, id_field = Survey, "survey_id"

    async def of_units(self, units: Scope) -> list[Survey]:
        """Every survey published by a unit inside ``units`` (a station, an institute, all)."""
        cursor = self.collection.find(units.match("unit"), session=self.session)
        return [self.load(d) async for d in cursor]


async def ensure_survey_indexes(database: ServiceDatabase) -> None:
    """Surveys are listed per station and per institute."""
    surveys = database.db[COLLECTION]
    await surveys.create_index([("unit.station", ASCENDING)], name="station")
    await surveys.create_index([("unit.institute", ASCENDING)], name="institute")
