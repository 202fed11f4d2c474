"""A unit's snapshot on real MongoDB: hours count in the volunteer's unit, whatever is loaded."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from civiloop_contracts.events.service import ServiceHoursApproved, VolunteerHours
from civiloop_contracts.events.volunteers import VolunteerRegistered
from civiloop_contracts.payload import Payload, make_event
from civiloop_contracts.values import Platform, UnitLevel
from civiloop_platform.messages import Received
from civiloop_platform.store.database import ServiceDatabase
from civiloop_stats.adapters.read_models import ReadModels, ensure_indexes
from civiloop_stats.adapters.snapshot import SnapshotReader
from civiloop_stats.app.handlers import HANDLERS
from civiloop_stats.app.rebuild import Generation
from civiloop_stats.domain.figures import summarise
from civiloop_stats.domain.scope import Scope
from tests.services.stats.stream import District, _order, day
from tests.support import throwaway_database

pytestmark = pytest.mark.integration


@pytest.fixture
async def database(infra: Any) -> AsyncIterator[ServiceDatabase]:
    """A stats database of this test's own, dropped afterwards."""
    async with throwaway_database(infra.mongo_url, "stats") as db:
        yield db


async def _apply(db: ServiceDatabase, steps: list[tuple[Payload, Any]]) -> None:
    models = ReadModels(db.db, None)
    await ensure_indexes(db.db)
    for payload, at in steps:
        await HANDLERS[type(payload)](Received(payload, make_event(
            payload, source="/test/stats", time=at)), Generation(models))


def _hours(order_id: str, volunteer_id: str, hours: float) -> ServiceHoursApproved:
    return ServiceHoursApproved(order_id=order_id, approved_by="leader-1",
                                hours=[VolunteerHours(volunteer_id=volunteer_id, hours=hours)])


async def test_a_station_counts_hours_of_its_own_volunteers_not_of_helpers_from_elsewhere(
        database: ServiceDatabase) -> None:
    # As when an order escalated to the institute is served by a neighbouring station's
    # volunteer (the 1,200-order chaos run: 4 active volunteers at a station, the owners 3).
    d = District()
    s = d.suffix
    home, helper, unknown = f"vw-{s}", f"vh-{s}", f"vx-{s}"
    at = day(1)
    await _apply(database, [
        (VolunteerRegistered(volunteer_id=home, display_name="王*", unit=d.ref(d.wanhe)), day(0)),
        (VolunteerRegistered(volunteer_id=helper, display_name="李*", unit=d.ref(d.hedong)),
         day(0)),
        *[(_order(d, f"o{n}-{s}", d.wanhe, Platform.SCIENCE, "health_check"), at)
          for n in (1, 2, 3)],
        (_hours(f"o1-{s}", home, 0.5), at + timedelta(hours=1)),
        (_hours(f"o2-{s}", helper, 0.01), at + timedelta(hours=1)),
        # Someone stats never heard registered: their hours count where the order was.
        (_hours(f"o3-{s}", unknown, 0.02), at + timedelta(hours=1)),
    ])
    reader, as_of = SnapshotReader(database.db), day(30)

    async def figures(level: UnitLevel, code: str) -> dict[str, Any]:
        snapshot = await reader.load(level, code)
        return summarise(snapshot, Scope(level, code, as_of), None)

    wanhe, hedong = (await figures(UnitLevel.STATION, d.wanhe),
                     await figures(UnitLevel.STATION, d.hedong))
    kunhe = await figures(UnitLevel.INSTITUTE, d.kunhe)
    assert (wanhe["active_volunteers"], wanhe["service_hours"]) == (2, 0.52)
    assert (hedong["active_volunteers"], hedong["service_hours"]) == (1, 0.01)
    assert (kunhe["active_volunteers"], kunhe["service_hours"]) == (3, 0.53)
    # The station's own figures equal its row of the institute's units table (one snapshot).
    institute = await reader.load(UnitLevel.INSTITUTE, d.kunhe)
    for code, alone in ((d.wanhe, wanhe), (d.hedong, hedong)):
        row = summarise(institute, Scope(UnitLevel.STATION, code, as_of), None)
        assert row == alone
