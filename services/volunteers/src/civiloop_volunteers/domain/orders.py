"""What an assignee may know of an order (from OrderPlaced): place, window, need, masked contact.

The resident's personal data is not this service's: the view keeps only what the event
carries, which is masked already.
"""

from __future__ import annotations

from pydantic import BaseModel

from civiloop_contracts.events.requests import OrderPlaced
from civiloop_contracts.masking import MaskedContact
from civiloop_contracts.values import Id, Platform, TimeWindow, UnitRef
from civiloop_volunteers.domain.ledger import ledger_hours


class OrderView(BaseModel):
    """An order as the volunteers service sees it."""

    order_id: Id
    unit: UnitRef
    platform: Platform
    category: str
    need: str
    place: str
    window: TimeWindow
    audience_size: int = 1
    group_activity: bool = False
    contact: MaskedContact | None = None
    closed: str | None = None

    @classmethod
    def of(cls, placed: OrderPlaced) -> OrderView:
        """The view of a placed order."""
        return cls(order_id=placed.order_id, unit=placed.unit, platform=placed.platform,
                   category=placed.category, need=placed.need, place=placed.place,
                   window=placed.window, audience_size=placed.audience_size,
                   group_activity=placed.group_activity, contact=placed.contact)

    @property
    def length_hours(self) -> float:
        """The length of the order's time window, in hours: the activity's length."""
        return ledger_hours(self.window.end - self.window.start)
