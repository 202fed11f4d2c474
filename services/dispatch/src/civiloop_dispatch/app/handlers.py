"""Which handler applies each event dispatch consumes, per topic: a new event type is one line."""

from __future__ import annotations

from civiloop_contracts.events.requests import (
    OrderCancelled,
    OrderClosed,
    OrderPlaced,
    OrderReopened,
)
from civiloop_contracts.events.service import OrderAccepted, OrderDeclined, ServiceCompleted
from civiloop_contracts.events.volunteers import (
    TeamRegistered,
    TeamUpdated,
    VolunteerRegistered,
    VolunteerUpdated,
)
from civiloop_contracts.payload import Payload
from civiloop_dispatch.app.answers import (
    on_order_accepted,
    on_order_declined,
    on_service_completed,
)
from civiloop_dispatch.app.orders import (
    on_order_cancelled,
    on_order_closed,
    on_order_placed,
    on_order_reopened,
)
from civiloop_dispatch.app.registry import (
    on_team_registered,
    on_team_updated,
    on_volunteer_registered,
    on_volunteer_updated,
)
from civiloop_platform.messages import Handler

ORDER_HANDLERS: dict[type[Payload], Handler] = {
    OrderPlaced: on_order_placed,
    OrderCancelled: on_order_cancelled,
    OrderClosed: on_order_closed,
    OrderReopened: on_order_reopened,
}
"""The requests topic: orders to dispatch, withdraw or stop."""

VOLUNTEER_HANDLERS: dict[type[Payload], Handler] = {
    VolunteerRegistered: on_volunteer_registered,
    VolunteerUpdated: on_volunteer_updated,
    TeamRegistered: on_team_registered,
    TeamUpdated: on_team_updated,
    OrderAccepted: on_order_accepted,
    OrderDeclined: on_order_declined,
    ServiceCompleted: on_service_completed,
}
"""The volunteers topic: the matching view, and answers to dispatched orders."""
