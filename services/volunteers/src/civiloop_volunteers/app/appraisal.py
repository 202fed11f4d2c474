"""Use cases of honours by appraisal: nominate, review, public notice, objections, decision."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from civiloop_platform.auth import Principal
from civiloop_volunteers.app.access import require_unit
from civiloop_volunteers.app.common import new_id, now, publish
from civiloop_volunteers.app.listing import Page
from civiloop_volunteers.app.ports import UnitOfWork as Uow
from civiloop_volunteers.domain.appraisal import NewNomination, Nomination, Objection, Stage
from civiloop_volunteers.domain.errors import NotFound
from civiloop_volunteers.domain.honours import require_title


async def nominate(uow: Uow, principal: Principal, new: NewNomination,
                   titles: tuple[str, ...]) -> Nomination:
    """A unit puts someone forward for a title (a district title must be configured)."""
    require_unit(principal, new.unit, "the nomination")
    require_title(new, titles)
    nomination = Nomination(nomination_id=new_id("nom"), nominated_by=principal.subject,
                            nominated_at=now(), **new.model_dump())
    await uow.nominations.add(nomination)
    return nomination


async def load(uow: Uow, principal: Principal, nomination_id: str) -> Nomination:
    """The nomination, if it lies in the caller's unit."""
    nomination = await uow.nominations.get(nomination_id)
    if nomination is None:
        raise NotFound(f"nomination {nomination_id} does not exist")
    require_unit(principal, nomination.unit, f"nomination {nomination_id}")
    return nomination


async def listed(uow: Uow, principal: Principal, stage: Stage | None, page: int,
                 page_size: int) -> Page:
    """One page of the nominations in the caller's unit, at ``stage`` if given."""
    query = principal.scope.match() | ({"stage": stage.value} if stage else {})
    found, total = await uow.nominations.page(query, (page - 1) * page_size, page_size)
    return Page(items=[n.model_dump(mode="json") for n in found], total=total, page=page,
                page_size=page_size)


async def review(uow: Uow, principal: Principal, nomination_id: str, approve: bool,
                 note: str | None, notice_days: float) -> Nomination:
    """Approve into the public notice, or turn down."""
    nomination = await load(uow, principal, nomination_id)
    nomination.review(approve, note, now(), timedelta(days=notice_days))
    await uow.nominations.save(nomination)
    return nomination


async def notices(uow: Uow) -> list[dict[str, Any]]:
    """The public notice (公示): nominations whose notice period runs, the soonest ending first."""
    at = now()
    return [n.notice() for n in await uow.nominations.in_notice()
            if n.notice_until is None or n.notice_until >= at]


async def object_to(uow: Uow, principal: Principal, nomination_id: str,
                    text: str) -> Objection:
    """Anyone signed in objects to a nomination during its notice."""
    nomination = await uow.nominations.get(nomination_id)
    if nomination is None:
        raise NotFound(f"nomination {nomination_id} does not exist")
    objection = Objection(objection_id=new_id("obj"), text=text, raised_by=principal.subject,
                          raised_at=now())
    nomination.object(objection)
    await uow.nominations.save(nomination)
    return objection


async def resolve(uow: Uow, principal: Principal, nomination_id: str, objection_id: str,
                  upheld: bool, note: str | None) -> Nomination:
    """Uphold (withdraws the nomination) or dismiss an objection."""
    nomination = await load(uow, principal, nomination_id)
    nomination.resolve(objection_id, upheld, note, now())
    await uow.nominations.save(nomination)
    return nomination


async def decide(uow: Uow, principal: Principal, nomination_id: str,
                 award: bool) -> Nomination:
    """Award after the notice (the honour goes on the board), or withdraw."""
    nomination = await load(uow, principal, nomination_id)
    if award:
        honour = nomination.award(new_id("hon"), principal.subject, now())
        await uow.honours.add(honour)
        publish(uow, honour.awarded())
    else:
        nomination.withdraw(now())
    await uow.nominations.save(nomination)
    return nomination
