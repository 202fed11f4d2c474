"""Answers to dispatched orders (志愿者接单) and the service itself, on ``volunteers.events.v1``.

All keyed by order id, so they interleave in order with the order's other events.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field, field_validator

from civiloop_contracts.masking import FreeText
from civiloop_contracts.payload import REGISTRY, Payload
from civiloop_contracts.topics import VOLUNTEERS
from civiloop_contracts.values import Hours, Id, Value


class OrderAccepted(Payload, topic=VOLUNTEERS, key="order_id"):
    """A volunteer or team leader takes the dispatched order (志愿者接单)."""

    order_id: Id
    assignment_id: Id
    accepted_by: Id = Field(description="The volunteer (or team leader) who accepted.")
    team_id: Id | None = None
    volunteer_ids: list[Id] = Field(min_length=1, max_length=500)


class DeclineReason(StrEnum):
    """Why an assignee said no."""

    UNAVAILABLE = "unavailable"
    OUT_OF_SKILL = "out_of_skill"
    TOO_FAR = "too_far"
    OVERLOADED = "overloaded"
    OTHER = "other"


class OrderDeclined(Payload, topic=VOLUNTEERS, key="order_id"):
    """An assignee declines; the order goes back to dispatch."""

    order_id: Id
    assignment_id: Id
    declined_by: Id
    reason: DeclineReason
    note: FreeText | None = Field(default=None, max_length=500)


class ServiceCheckedIn(Payload, topic=VOLUNTEERS, key="order_id"):
    """A volunteer arrives to serve (the envelope's ``time`` is the moment)."""

    order_id: Id
    volunteer_id: Id


class ServiceCheckedOut(Payload, topic=VOLUNTEERS, key="order_id"):
    """A volunteer leaves after serving."""

    order_id: Id
    volunteer_id: Id


class VolunteerHours(Value):
    """Hours one volunteer gave to one order; travel time is not service time."""

    volunteer_id: Id
    hours: Hours


def _one_line_per_volunteer(value: list[VolunteerHours]) -> list[VolunteerHours]:
    ids = [line.volunteer_id for line in value]
    if len(ids) != len(set(ids)):
        raise ValueError("each volunteer appears once")
    return value


class ServiceCompleted(Payload, topic=VOLUNTEERS, version="2.1", key="order_id"):
    """The service is done: hours per volunteer and people served (v2; v1 is upcast).

    2.1 adds ``completed_by``: who reported it.
    """

    order_id: Id
    assignment_id: Id | None = None
    team_id: Id | None = None
    hours: list[VolunteerHours] = Field(min_length=1, max_length=500)
    people_served: int = Field(ge=1, le=100_000)
    summary: FreeText | None = Field(default=None, max_length=1000)
    completed_by: Id | None = Field(
        default=None, description="The volunteer or team leader who reported the completion.")

    _unique = field_validator("hours")(_one_line_per_volunteer)


@REGISTRY.upcaster(ServiceCompleted, 1)
def _service_completed_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """v1 gave every volunteer the same hours (``volunteer_ids`` + ``hours_each``)."""
    upcast = {k: v for k, v in data.items() if k not in ("volunteer_ids", "hours_each")}
    hours_each = data.get("hours_each")
    upcast["hours"] = [{"volunteer_id": vid, "hours": hours_each}
                       for vid in data.get("volunteer_ids", [])]
    return upcast


class ServiceHoursApproved(Payload, topic=VOLUNTEERS, key="order_id"):
    """A team leader or station confirms the hours; only approved hours count in figures."""

    order_id: Id
    approved_by: Id
    hours: list[VolunteerHours] = Field(min_length=1, max_length=500)

    _unique = field_validator("hours")(_one_line_per_volunteer)
