"""Which handler records each event the stats group consumes: a new event type is one line."""

from __future__ import annotations

from civiloop_contracts.payload import Payload
from civiloop_platform.messages import Handler
from civiloop_stats.app.activities import ACTIVITY_HANDLERS
from civiloop_stats.app.orders import ORDER_HANDLERS
from civiloop_stats.app.people import PEOPLE_HANDLERS
from civiloop_stats.app.surveys import SURVEY_HANDLERS
from civiloop_stats.app.units import UNIT_HANDLERS

HANDLERS: dict[type[Payload], Handler] = {**ORDER_HANDLERS, **PEOPLE_HANDLERS, **SURVEY_HANDLERS,
                                          **UNIT_HANDLERS, **ACTIVITY_HANDLERS}
