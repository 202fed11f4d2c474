"""Honours (先进典型): the district awards and revokes titles; the public board lists them."""

from __future__ import annotations

from typing import Any

from civiloop_platform.auth import Principal
from civiloop_volunteers.app.access import require_unit
from civiloop_volunteers.app.common import new_id, now, publish
from civiloop_volunteers.app.ports import UnitOfWork as Uow
from civiloop_volunteers.domain.errors import NotFound
from civiloop_volunteers.domain.honours import Honour, NewHonour, require_title


async def award(uow: Uow, principal: Principal, new: NewHonour,
                titles: tuple[str, ...]) -> Honour:
    """Name someone on the good-deeds board (善行义举榜), in a unit the admin covers."""
    require_unit(principal, new.unit, "the honour")
    require_title(new, titles)
    honour = Honour(honour_id=new_id("hon"), awarded_by=principal.subject, awarded_at=now(),
                    **new.model_dump())
    await uow.honours.add(honour)
    publish(uow, honour.awarded())
    return honour


async def revoke(uow: Uow, principal: Principal, honour_id: str, reason: str) -> Honour:
    """Take an honour off the board, keeping it on record with the reason."""
    honour = await uow.honours.get(honour_id)
    if honour is None:
        raise NotFound(f"honour {honour_id} does not exist")
    require_unit(principal, honour.unit, f"honour {honour_id}")
    event = honour.revoke(reason, now())
    await uow.honours.save(honour)
    publish(uow, event)
    return honour


async def board(uow: Uow) -> list[dict[str, Any]]:
    """The public board: current honours, no personal data beyond name, title, station, story."""
    return [honour.on_board() for honour in await uow.honours.current()]
