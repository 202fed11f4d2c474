"""Activities (文明实践活动) held, from requests' ActivityHeld: where, what, how many served."""

from __future__ import annotations

from civiloop_contracts.events.activities import ActivityHeld
from civiloop_contracts.payload import Payload
from civiloop_platform.messages import Handler, Received
from civiloop_stats.adapters.read_models import place
from civiloop_stats.app.ports import UnitOfWork


async def on_activity_held(event: Received[ActivityHeld], uow: UnitOfWork) -> None:
    """An activity was held: its unit, platform, category and head-count, at the close."""
    p = event.payload
    await uow.models.entity("activities", p.activity_id, {
        "place": place(p.unit), "platform": p.platform.value, "category": p.category,
        "served": p.served}, first={"held_at": event.envelope.time})


ACTIVITY_HANDLERS: dict[type[Payload], Handler] = {ActivityHeld: on_activity_held}
