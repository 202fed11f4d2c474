"""Serving an accepted order: check-in and check-out per volunteer, then completion."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from civiloop_contracts.events.service import VolunteerHours
from civiloop_contracts.values import Role
from civiloop_platform.auth import Principal
from civiloop_volunteers.adapters.unit_of_work import VolunteersUnitOfWork as Uow
from civiloop_volunteers.app.answers import load_offer
from civiloop_volunteers.app.common import now, publish
from civiloop_volunteers.app.hours import record_service_hours
from civiloop_volunteers.domain import access
from civiloop_volunteers.domain.errors import Conflict, Forbidden, NotFound
from civiloop_volunteers.domain.offers import Offer
from civiloop_volunteers.domain.service import Service


async def current_service(uow: Uow, order_id: str) -> tuple[Service, Offer]:
    """The order's open service and its offer; Conflict if the assignment was taken back."""
    service = await uow.services.current(order_id)
    if service is None:
        raise NotFound(f"order {order_id} has no accepted assignment being served")
    offer = await load_offer(uow, service.assignment_id)
    reason = offer.withdrawn_reason()
    if reason is not None:
        raise Conflict(f"assignment {offer.assignment_id} of order {order_id} was withdrawn: "
                       f"{reason}")
    return service, offer


def volunteer_acting(principal: Principal, service: Service, volunteer_id: str | None) -> str:
    """The volunteer a check-in/out is for: the caller, or one named by leader or station."""
    if volunteer_id is None or volunteer_id == principal.subject:
        return principal.subject
    leads = principal.role is Role.TEAM_LEADER and principal.subject == service.leader_id
    if not leads and not access.covers(principal, service.unit):
        raise Forbidden(f"only volunteer {volunteer_id}, their leader or station check them in")
    return volunteer_id


async def check(uow: Uow, principal: Principal, order_id: str, volunteer_id: str | None,
                at: datetime | None, arriving: bool) -> Service:
    """Record an arrival or a departure (the moment the frontend saw, or now)."""
    service, _ = await current_service(uow, order_id)
    who, moment = volunteer_acting(principal, service, volunteer_id), at or now()
    event = (service.check_in(who, moment, now()) if arriving
             else service.check_out(who, moment, now()))
    await uow.services.save(service)
    publish(uow, event, time=moment)
    return service


class Completion(BaseModel):
    """What the server reports when the service is done."""

    people_served: int = Field(ge=1, le=100_000)
    summary: str | None = Field(default=None, max_length=1000)
    hours: list[VolunteerHours] = Field(
        default_factory=list, max_length=500,
        description="Hours of volunteers who did not check in and out; they wait for approval.")


def require_completer(principal: Principal, service: Service) -> None:
    """A serving volunteer (or the team's leader for a team order), or the station."""
    if access.covers(principal, service.unit):
        return
    if service.team_id is not None:
        if principal.role is Role.TEAM_LEADER and principal.subject == service.leader_id:
            return
        raise Forbidden(f"order {service.order_id} is completed by team {service.team_id}'s "
                        "leader or its station")
    if principal.subject not in service.volunteer_ids or principal.role not in access.PERSONAL_ROLES:
        raise Forbidden(f"order {service.order_id} is not served by this caller")


async def complete(uow: Uow, principal: Principal, order_id: str, completion: Completion,
                   thresholds: tuple[float, ...]) -> Service:
    """Close the service: hours per volunteer, people served, a short report."""
    service, _ = await current_service(uow, order_id)
    require_completer(principal, service)
    claimed = {line.volunteer_id: line.hours for line in completion.hours}
    event = service.complete(principal.subject, completion.people_served, completion.summary,
                             claimed, now())
    await uow.services.save(service)
    publish(uow, event)
    await record_service_hours(uow, principal, service, claimed, thresholds)
    return service
