"""Rating routes: rate an order, change the rating, read ratings (each reader their share)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status

from civiloop_contracts.envelope import utcnow
from civiloop_feedback.adapters.unit_of_work import FeedbackUnitOfWork
from civiloop_feedback.app.access import Visibility, scope_of, visibility
from civiloop_feedback.app.emit import after_request
from civiloop_feedback.app.ratings import change_rating, rate_order
from civiloop_feedback.domain.rating import Judgement, Rating
from civiloop_feedback.entrypoints.access import IdPath, policy_of
from civiloop_feedback.entrypoints.views import RatingView, rating_view
from civiloop_platform.auth import Principal
from civiloop_platform.auth.deps import policy
from civiloop_platform.edge.params import Limit
from civiloop_platform.edge.usecase import correlation_of, run

router = APIRouter()
Raters = Annotated[Principal, Depends(policy("ratings.give"))]
Reader = Annotated[Principal, Depends(policy("ratings.read"))]
Lister = Annotated[Principal, Depends(policy("ratings.list"))]


@router.post("/orders/{order_id}/rating", status_code=status.HTTP_201_CREATED,
             summary="老百姓评单: rate a completed order (once per service round)")
async def rate(order_id: IdPath, judgement: Judgement, request: Request,
               principal: Raters) -> RatingView:
    """The resident who ordered, or station staff typing in their verbal rating (marked so)."""
    rater, now = principal, utcnow()
    emit = after_request(correlation_of(request), now)
    rating = await run(request, lambda uow: rate_order(uow, order_id, judgement, rater, now,
                                                       emit))
    return rating_view(rating, Visibility.FULL)


@router.put("/orders/{order_id}/rating", summary="Change a rating within the change window")
async def change(order_id: IdPath, judgement: Judgement, request: Request,
                 principal: Raters) -> RatingView:
    """A new revision; the earlier ones stay in the rating's history."""
    rater, now = principal, utcnow()
    emit = after_request(correlation_of(request), now)
    window = policy_of(request).change_window
    rating = await run(request, lambda uow: change_rating(uow, order_id, judgement, rater, now,
                                                          window, emit))
    return rating_view(rating, Visibility.FULL)


@router.get("/orders/{order_id}/rating", summary="The order's rating, as this caller may see it")
async def read(order_id: IdPath, request: Request, principal: Reader) -> RatingView:
    """404 without a rating; 403 when the caller may not see it."""

    async def work(uow: FeedbackUnitOfWork) -> Rating | None:
        return await uow.ratings.current(order_id)

    rating = await run(request, work)
    if rating is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"order {order_id} has no rating")
    seen = visibility(rating, principal)
    if seen is Visibility.NONE:
        raise HTTPException(status.HTTP_403_FORBIDDEN,
                            f"the rating of order {order_id} is not this caller's to see")
    return rating_view(rating, seen)


@router.get("/ratings", summary="Ratings this caller may see, newest first")
async def list_ratings(request: Request, principal: Lister,
                       station: Annotated[str | None, Query(max_length=32)] = None,
                       limit: Limit = 100) -> list[RatingView]:
    """Residents: their own; volunteers: their services' (anonymous); staff: their unit's."""
    reader = principal
    scope = scope_of(reader)
    if station is not None:
        if scope.resident_id or scope.volunteer_id:
            raise HTTPException(status.HTTP_403_FORBIDDEN,
                                f"station {station}: a {reader.role.value} lists only their own")
        scope = scope.model_copy(update={"units": scope.units.narrowed(station=station)})

    async def work(uow: FeedbackUnitOfWork) -> list[Rating]:
        return await uow.ratings.find_in(scope, limit)

    ratings = await run(request, work)
    return [rating_view(r, visibility(r, reader)) for r in ratings
            if visibility(r, reader) is not Visibility.NONE]
