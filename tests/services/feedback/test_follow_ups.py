"""Follow-ups (回访) on fakes: station staff assign, note and resolve; reopen needs a reason."""

from __future__ import annotations

import pytest

from civiloop_contracts.events.feedback import FollowUpResolution, FollowUpResolved
from civiloop_feedback.app import follow_ups
from civiloop_feedback.app.emit import after_request
from civiloop_feedback.domain.errors import FollowUpClosed, InvalidInput, NotYours, UnknownFollowUp
from civiloop_feedback.domain.follow_up import FollowUp, FollowUpStatus
from civiloop_feedback.domain.rater import Rater
from civiloop_feedback.domain.rating import Judgement
from tests.services.feedback.builders import admin, at, operator
from tests.services.feedback.fakes import FakeFeedbackUnitOfWork
from tests.services.feedback.test_ratings import rate, served


async def opened() -> tuple[FakeFeedbackUnitOfWork, str]:
    uow = await served()
    await rate(uow, Judgement(stars=1, comment="没有人来"))
    [follow_up] = uow.follow_ups.stored.values()
    return uow, follow_up.follow_up_id


async def resolve(uow: FakeFeedbackUnitOfWork, follow_up_id: str,
                  resolution: FollowUpResolution, note: str | None,
                  rater: Rater | None = None) -> FollowUp:
    now = at(300)
    return await uow.run(lambda u: follow_ups.resolve(
        u, follow_up_id, resolution, note, rater or operator(), now, after_request(None, now)))


async def test_staff_assign_note_and_resolve_with_a_reopen() -> None:
    uow, fu = await opened()
    await uow.run(lambda u: follow_ups.assign(u, fu, "op-2", operator(), at(200)))
    await uow.run(lambda u: follow_ups.add_note(u, fu, "电话回访：志愿者走错了楼", operator(),
                                                at(210)))
    follow_up = await resolve(uow, fu, FollowUpResolution.REOPEN, "再派一次医生上门")
    assert follow_up.status is FollowUpStatus.RESOLVED
    assert follow_up.assignee == "op-2"
    assert [n.text for n in follow_up.notes] == [
        "assigned to op-2", "电话回访：志愿者走错了楼", "再派一次医生上门"]
    resolved = uow.committed[-1]
    assert resolved.type == FollowUpResolved.event_type()
    assert resolved.data == {"order_id": "ord-1", "follow_up_id": fu, "resolution": "reopen",
                             "note": "再派一次医生上门", "resolved_by": "op-1"}


@pytest.mark.parametrize("note", [None, "  ", "太" * 501])
async def test_a_reopen_needs_a_reason_that_fits_order_reopened(note: str | None) -> None:
    uow, fu = await opened()
    with pytest.raises(InvalidInput):
        await resolve(uow, fu, FollowUpResolution.REOPEN, note)
    assert uow.follow_ups.stored[fu].status is FollowUpStatus.OPEN


async def test_a_resolved_follow_up_stays_resolved() -> None:
    uow, fu = await opened()
    await resolve(uow, fu, FollowUpResolution.DISMISSED, None)
    with pytest.raises(FollowUpClosed):
        await resolve(uow, fu, FollowUpResolution.REOPEN, "again")
    with pytest.raises(FollowUpClosed):
        await uow.run(lambda u: follow_ups.add_note(u, fu, "late", operator(), at(400)))


async def test_only_the_station_and_the_centre_work_a_follow_up() -> None:
    uow, fu = await opened()
    with pytest.raises(NotYours):
        await resolve(uow, fu, FollowUpResolution.EXPLAINED, None, operator("other-station"))
    with pytest.raises(UnknownFollowUp):
        await resolve(uow, "fu-nobody", FollowUpResolution.EXPLAINED, None)
    follow_up = await resolve(uow, fu, FollowUpResolution.EXPLAINED, "已解释", admin())
    assert follow_up.resolution is FollowUpResolution.EXPLAINED
