"""HTTP routes of 接单 and serving: offers, accept, decline, check-in/out, completion."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

from civiloop_contracts.values import Id
from civiloop_platform.edge.params import Instant
from civiloop_platform.edge.usecase import read, run
from civiloop_volunteers.app import answers, serving
from civiloop_volunteers.domain.offers import Offer
from civiloop_volunteers.entrypoints.access import Answerer, OfferReader, Server, margin, thresholds

router = APIRouter(prefix="/api/v1/volunteers", tags=["orders"])


@router.get("/offers/mine", summary="Orders offered to me or my teams, with what they are about")
async def my_offers(caller: OfferReader, request: Request, awaiting: bool = False,
                    ) -> list[dict[str, Any]]:
    """Recent offers naming the caller or a team they lead, with the order's place and window.

    ``awaiting=true``: only the offers still waiting for the caller's answer.
    """
    return await read(request, lambda uow: answers.offers_for(uow, caller, awaiting=awaiting))


@router.post("/assignments/{assignment_id}/accept", summary="Accept an order (志愿者接单)")
async def accept(assignment_id: str, body: answers.Answer, caller: Answerer,
                 request: Request) -> Offer:
    """The offer as accepted; 403 if not offered to the caller, 409 if withdrawn or taken."""
    return await run(request, lambda uow: answers.accept(uow, caller, assignment_id, body))


@router.post("/assignments/{assignment_id}/decline", summary="Decline an order, with a reason")
async def decline(assignment_id: str, body: answers.Decline, caller: Answerer,
                  request: Request) -> Offer:
    """The offer as declined; dispatch looks for someone else."""
    return await run(request, lambda uow: answers.decline(uow, caller, assignment_id, body))


class Moment(BaseModel):
    """A check-in or check-out: for whom (default the caller) and when (default now)."""

    volunteer_id: Id | None = None
    at: Instant | None = None


@router.post("/orders/{order_id}/check-in", summary="Arrive to serve (签到)")
async def check_in(order_id: str, body: Moment, caller: Server,
                   request: Request) -> dict[str, Any]:
    """The service with the arrival recorded."""
    service = await run(request, lambda uow: serving.check(
        uow, caller, order_id, body.volunteer_id, body.at, arriving=True))
    return service.model_dump(mode="json")


@router.post("/orders/{order_id}/check-out", summary="Leave after serving (签退)")
async def check_out(order_id: str, body: Moment, caller: Server,
                    request: Request) -> dict[str, Any]:
    """The service with the departure recorded; the hours between are final."""
    service = await run(request, lambda uow: serving.check(
        uow, caller, order_id, body.volunteer_id, body.at, arriving=False))
    return service.model_dump(mode="json")


@router.post("/orders/{order_id}/complete", summary="Report the service done")
async def complete(order_id: str, body: serving.Completion, caller: Server,
                   request: Request) -> dict[str, Any]:
    """The completed service: hours per volunteer, people served, a short report."""
    stars, limit = thresholds(request), margin(request)
    service = await run(request, lambda uow: serving.complete(uow, caller, order_id, body, stars,
                                                              limit))
    return service.model_dump(mode="json")
