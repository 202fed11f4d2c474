"""Serving an accepted order: check-in and check-out per volunteer, then completion."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from civiloop_contracts.events.service import VolunteerHours
from civiloop_contracts.masking import FreeText
from civiloop_contracts.values import Role
from civiloop_platform.auth import Principal
from civiloop_volunteers.app import access
from civiloop_volunteers.app.answers import load_offer
from civiloop_volunteers.app.common import now, publish
from civiloop_volunteers.app.hours import record_service_hours
from civiloop_volunteers.app.ports import UnitOfWork as Uow
from civiloop_volunteers.domain.attendance import HourRules
from civiloop_volunteers.domain.errors import Conflict, Forbidden, NotFound
from civiloop_volunteers.domain.offers import Offer
from civiloop_volunteers.domain.service import Service


async def current_service(uow: Uow, order_id: str) -> tuple[Service, Offer]:
    """The order's service being served and its offer.

    A reassigned order has an older service taken back: the one still standing is served.
    Conflict when the order was completed already or its service taken back; NotFound when
    nobody accepted it.
    """
    services = await uow.services.of_order(order_id)
    taken_back: Conflict | None = None
    for service in (s for s in services if s.completed_at is None):
        offer = await load_offer(uow, service.assignment_id)
        reason = offer.withdrawn_reason()
        if reason is None:
            return service, offer
        taken_back = Conflict(f"assignment {offer.assignment_id} of order {order_id} was "
                              f"withdrawn: {reason}")
    for service in (s for s in services if s.completed_at is not None):
        service.require_open()  # raises: the order was completed already
    if taken_back is not None:
        raise taken_back
    raise NotFound(f"order {order_id} has no accepted assignment being served")


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
    summary: FreeText | None = Field(default=None, max_length=1000)
    hours: list[VolunteerHours] = Field(
        default_factory=list, max_length=500,
        description="Hours of volunteers who did not check in, or did not check out; they "
                    "wait for approval and stay within the order's window plus the margin.")


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


async def hour_rules(uow: Uow, service: Service, offer: Offer, margin_h: float) -> HourRules:
    """The order's rules: the accepts, and the window from the order view (read late, as
    OrderPlaced may arrive after the dispatch), else as known at the accept."""
    order = await uow.orders.get(service.order_id)
    window = order.length_hours if order is not None else service.activity_hours
    return HourRules(window, margin_h, accepted_at=offer.accepted_moments())


async def complete(uow: Uow, principal: Principal, order_id: str, completion: Completion,
                   thresholds: tuple[float, ...], margin_h: float) -> Service:
    """Close the service: hours per volunteer, people served, a short report."""
    service, offer = await current_service(uow, order_id)
    require_completer(principal, service)
    rules = await hour_rules(uow, service, offer, margin_h)
    claimed = {line.volunteer_id: line.hours for line in completion.hours}
    event = service.complete(principal.subject, completion.people_served, completion.summary,
                             claimed, now(), rules)
    await uow.services.save(service)
    publish(uow, event)
    await record_service_hours(uow, principal, service, thresholds)
    return service
