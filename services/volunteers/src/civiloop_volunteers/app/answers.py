"""接单: the offers a caller has, and accepting or declining one.

The caller is the volunteer (token subject = volunteer id), a team's leader for a team
order, or a station operator acting for a party of their station.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from civiloop_contracts.events.service import DeclineReason
from civiloop_contracts.events.volunteers import VolunteerStatus
from civiloop_contracts.values import Id, Role
from civiloop_platform.auth import Principal
from civiloop_volunteers.app import access
from civiloop_volunteers.app.common import now, publish
from civiloop_volunteers.app.ports import UnitOfWork as Uow
from civiloop_volunteers.domain.errors import Conflict, Forbidden, Invalid, NotFound
from civiloop_volunteers.domain.offers import Offer, Party
from civiloop_volunteers.domain.orders import OrderView
from civiloop_volunteers.domain.service import Service


class Answer(BaseModel):
    """Who answers, when the caller is not the party itself (a leader of several teams, a station)."""

    team_id: Id | None = None
    volunteer_id: Id | None = None
    volunteer_ids: list[Id] = Field(default_factory=list, max_length=500,
                                     description="Team members who will serve (default: all).")


class Decline(Answer):
    """A decline needs a reason."""

    reason: DeclineReason
    note: str | None = Field(default=None, max_length=500)


async def load_offer(uow: Uow, assignment_id: str) -> Offer:
    """The offer, or NotFound (dispatch's event may still be on its way)."""
    offer = await uow.offers.get(assignment_id)
    if offer is None:
        raise NotFound(f"assignment {assignment_id} is not known here (yet)")
    return offer


async def party_of(uow: Uow, principal: Principal, offer: Offer, answer: Answer) -> Party:
    """The party the caller answers for; Forbidden if it is not theirs to answer."""
    if principal.role not in access.PERSONAL_ROLES:
        if not access.covers(principal, offer.dispatching_unit):
            raise Forbidden(f"order {offer.order_id} was dispatched outside this caller's unit")
        return Party(team_id=answer.team_id, volunteer_id=answer.volunteer_id)
    if principal.role is Role.TEAM_LEADER:
        led = [t.team_id for t in await uow.teams.led_by(principal.subject)
               if t.team_id in offer.team_ids]
        if answer.team_id in led or (answer.team_id is None and len(led) == 1):
            return Party(team_id=answer.team_id or led[0])
    return Party(volunteer_id=principal.subject)


async def servers(uow: Uow, party: Party, chosen: list[str]) -> list[str]:
    """The volunteers who will serve: the volunteer, or the chosen members of the team."""
    if party.team_id is None:
        return [party.volunteer_id or ""]
    team = await uow.teams.get(party.team_id)
    members = team.member_ids if team is not None else []
    if any(v not in members for v in chosen):
        raise Invalid(f"volunteer_ids: only members of team {party.team_id} serve its orders")
    if not (chosen or members):
        raise Invalid(f"volunteer_ids: team {party.team_id} has no members to serve")
    return chosen or members


async def accept(uow: Uow, principal: Principal, assignment_id: str, answer: Answer) -> Offer:
    """志愿者接单: take the order; in grab mode only the first accept wins."""
    offer = await load_offer(uow, assignment_id)
    order = await uow.orders.get(offer.order_id)
    if order is not None and order.closed is not None:
        raise Conflict(f"order {offer.order_id} was {order.closed}")
    party = await party_of(uow, principal, offer, answer)
    await _require_active(uow, party)
    event = offer.accept(party, principal.subject, await servers(uow, party, answer.volunteer_ids),
                         now())
    if event is not None:
        await uow.offers.save(offer)
        await _start_service(uow, offer, order, party, event.volunteer_ids)
        publish(uow, event)
    return offer


async def _start_service(uow: Uow, offer: Offer, order: OrderView | None, party: Party,
                         volunteer_ids: list[str]) -> None:
    """Open the service of the accepted assignment (``order`` as the accept read it), or
    widen the one a party accepting before opened."""
    team = await uow.teams.get(party.team_id) if party.team_id else None
    # Most accepts open it: one write, no read first (widening reads it afterwards).
    if await uow.services.add_if_absent(Service(
            assignment_id=offer.assignment_id, order_id=offer.order_id, team_id=party.team_id,
            leader_id=team.leader_id if team else None,
            unit=order.unit if order else offer.dispatching_unit, volunteer_ids=volunteer_ids,
            activity_hours=order.length_hours if order else None)):
        return
    service = await uow.services.get(offer.assignment_id)
    assert service is not None, "a service not added was stored, in this transaction's view"
    service.volunteer_ids = list(dict.fromkeys([*service.volunteer_ids, *volunteer_ids]))
    await uow.services.save(service)


async def decline(uow: Uow, principal: Principal, assignment_id: str, answer: Decline) -> Offer:
    """Say no to an offered order, with a reason; dispatch looks for someone else."""
    offer = await load_offer(uow, assignment_id)
    party = await party_of(uow, principal, offer, answer)
    event = offer.decline(party, principal.subject, answer.reason, answer.note, now())
    await uow.offers.save(offer)
    publish(uow, event)
    return offer


async def _require_active(uow: Uow, party: Party) -> None:
    """A paused or departed volunteer takes no new orders."""
    if party.volunteer_id is None:
        return
    volunteer = await uow.volunteers.get(party.volunteer_id)
    if volunteer is not None and volunteer.status is not VolunteerStatus.ACTIVE:
        raise Conflict(f"volunteer {party.volunteer_id} is {volunteer.status.value}: "
                       "set them active again first")


async def offers_for(uow: Uow, principal: Principal, *,
                     awaiting: bool = False) -> list[dict[str, Any]]:
    """Recent offers naming the caller or a team they lead, with what the order is about.

    ``awaiting``: only those the caller (or one of their teams) may still accept or decline.
    """
    parties = [Party(volunteer_id=principal.subject),
               *[Party(team_id=t.team_id) for t in await uow.teams.led_by(principal.subject)]]
    offers = await uow.offers.open_for([p.key for p in parties])
    if awaiting:
        moment = now()
        offers = [o for o in offers if any(o.awaits(p, moment) for p in parties)]
    orders = await uow.orders.many(list({o.order_id for o in offers}))
    return [offer_item(offer, orders.get(offer.order_id)) for offer in offers]


def offer_item(offer: Offer, order: OrderView | None) -> dict[str, Any]:
    """One item of a caller's offers: the offer, why it no longer stands, what it is about."""
    return {**offer.model_dump(mode="json"), "withdrawn": offer.withdrawn_reason(),
            "order": order.model_dump(mode="json") if order else None}
