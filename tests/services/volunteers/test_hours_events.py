"""ServiceHoursApproved bears the moment the ledger gives its entries, so stats' days are the
ledger's (a recount from the ledger and stats' daily figures must agree at midnight too)."""

from __future__ import annotations

from datetime import timedelta

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.events.service import ServiceHoursApproved
from civiloop_contracts.values import Role
from civiloop_platform.auth import Principal
from civiloop_volunteers.app import hours
from civiloop_volunteers.domain.ledger import EntryStatus, HoursEntry, Recorder, Source, Tally
from civiloop_volunteers.domain.service import Service
from tests.services.volunteers.builders import STATION, unit
from tests.services.volunteers.fakes import FakeVolunteersUnitOfWork

STARS = (100.0, 300.0)
OPERATOR = Principal(subject="op-1", role=Role.STATION_OPERATOR, station=STATION)


def _approvals(uow: FakeVolunteersUnitOfWork) -> list[object]:
    return [e.time for e in uow.committed if e.type == ServiceHoursApproved.event_type()]


async def test_final_hours_of_a_completion_are_announced_at_their_recording() -> None:
    uow = FakeVolunteersUnitOfWork()
    service = Service(assignment_id="as-1", order_id="ord-1", unit=unit(),
                      volunteer_ids=["vol-a"], completed_at=utcnow(),
                      hours=[Tally(volunteer_id="vol-a", hours=0.01, source=Source.CHECK_IN_OUT)])
    await uow.run(lambda u: hours.record_service_hours(u, OPERATOR, service, STARS))
    [entry] = uow.hours.stored.values()
    assert entry.status is EntryStatus.FINAL
    assert _approvals(uow) == [entry.recorded_at]


async def test_an_approval_is_announced_at_its_decision() -> None:
    uow = FakeVolunteersUnitOfWork()
    await uow.hours.add(HoursEntry(
        entry_id="hrs-1", volunteer_id="vol-a", order_id="ord-1", unit=unit(),
        served_on=utcnow().date(), hours=1.0, content="义诊", source=Source.BACKFILL,
        status=EntryStatus.PENDING, recorded_by=Recorder(id="vol-a", role=Role.VOLUNTEER),
        recorded_at=utcnow() - timedelta(days=1)))
    entry = await uow.run(lambda u: hours.decide(u, OPERATOR, "hrs-1", True, None, STARS))
    assert _approvals(uow) == [entry.decided_at]
