"""Kafka subscriptions of the requests service: which topics reach which handler table."""

from __future__ import annotations

from civiloop_contracts.topics import DISPATCH, FEEDBACK, STATION_INTAKE, VOLUNTEERS
from civiloop_platform.messages import Subscription
from civiloop_requests.app.handlers import INTAKE_HANDLERS, LOOP_HANDLERS, LOOP_WANTS

LOOP = Subscription("requests-loop", [DISPATCH, VOLUNTEERS, FEEDBACK], LOOP_HANDLERS,
                    wants=LOOP_WANTS)
"""Order status from the loop: what dispatch, volunteers and feedback report."""

INTAKE = Subscription("requests-intake", [STATION_INTAKE], INTAKE_HANDLERS, strict_types=True,
                      owns_dead_letters=True)
"""Order requests and survey answers from station frontends. This group owns the topic's dead
letters: a record that is not a CloudEvent, or of a type no contract puts on the topic, is
dead-lettered here (once; feedback skips it); ratings on the same topic are feedback's."""
