"""Small builders for the requests domain tests: one valid order, adjusted per test."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from civiloop_contracts.events.intake import Channel
from civiloop_contracts.values import Role, TimeWindow, UnitRef
from civiloop_requests.domain.actor import Actor
from civiloop_requests.domain.menu import DEFAULT_MENU
from civiloop_requests.domain.new_order import NewOrder, Requester
from civiloop_requests.domain.order import Order, place_order

T0 = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
PHONE = "13812345678"


def at(minutes: int) -> datetime:
    """A moment ``minutes`` after T0."""
    return T0 + timedelta(minutes=minutes)


def unit(station: str = "wanhe-sunshine", institute: str = "kunhe-town") -> UnitRef:
    """A station of the Kun district network."""
    return UnitRef(centre="kun-district", institute=institute, station=station)


def new_order(*, resident: str | None = "res-1", category: str = "home_health_check",
              station: str = "wanhe-sunshine", **changes: Any) -> NewOrder:
    """A resident's order for a home health check, with any field changed."""
    role = Role.RESIDENT if resident else Role.STATION_OPERATOR
    fields: dict[str, Any] = {
        "unit": unit(station), "category": category, "need": "老人腿脚不便，需要上门量血压",
        "place": "万和阳光社区3号楼", "window": TimeWindow(start=at(60 * 24), end=at(60 * 26)),
        "requester": Requester(role=role, resident_id=resident, name="张三", phone=PHONE),
        "channel": Channel.WECHAT, **changes,
    }
    return NewOrder(**fields)


def by(role: Role, actor_id: str | None = None) -> Actor:
    """``role`` (with ``actor_id``) as the actor of a step."""
    return Actor(role=role, id=actor_id)


RESIDENT = by(Role.RESIDENT, "res-1")  # the resident new_order() orders for
OPERATOR = by(Role.STATION_OPERATOR, "op-1")


def placer(new: NewOrder) -> Actor:
    """Who placed ``new``: its resident, or a station operator."""
    if new.requester.role is Role.RESIDENT:
        return by(Role.RESIDENT, new.requester.resident_id)
    return OPERATOR


def placed(order_id: str = "ord-1", *, by: Actor | None = None, **changes: Any) -> Order:
    """An order freshly placed (not a duplicate), by its resident unless ``by`` says."""
    new = new_order(**changes)
    order, _ = place_order(order_id, new, DEFAULT_MENU.get(new.category), at(0),
                           by or placer(new))
    return order
