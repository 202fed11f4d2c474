"""Open311 reads: anyone may list and read requests, as the spec says, with personal data masked.

A valid ``api_key`` shows the caller's own listing (as ``GET /orders`` scopes it) with the
resident's words and address; anyone else sees what ``service_request(full=False)`` shows.
A page that is not the last says so in a ``Link: <…>; rel="next"`` header.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request, Response

from civiloop_contracts.envelope import utcnow
from civiloop_platform.auth.deps import policy
from civiloop_platform.auth.policy import authorize
from civiloop_platform.auth.tokens import Principal
from civiloop_platform.edge.params import MAX_PAGE, MAX_PAGE_SIZE
from civiloop_requests.app.queries import OrderCriteria, Page, scoped
from civiloop_requests.domain.catalogue import Catalogue
from civiloop_requests.domain.order import Order
from civiloop_requests.entrypoints.access import may_see
from civiloop_requests.entrypoints.deps import UseCases
from civiloop_requests.entrypoints.open311 import (
    answer,
    api_key,
    jurisdiction,
    menu_of,
    verified,
)
from civiloop_requests.entrypoints.open311_format import errors_documented
from civiloop_requests.entrypoints.open311_params import Refused, moment, statuses, whole
from civiloop_requests.entrypoints.open311_requests import service_request

DEFAULT_SPAN = timedelta(days=90)  # the spec's default window for listing requests
PAGE_SIZE = 50
router = APIRouter(prefix="/open311/v2", tags=["open311"],
                   responses=errors_documented(400, 403, 404))


def _reader(request: Request) -> Principal | None:
    """The caller a key names, or None without one; Refused 403 for a bad key."""
    key = api_key(request, {})
    return authorize(verified(request, key), "orders.list") if key else None


def _seen(order: Order, caller: Principal | None, menu: Catalogue) -> dict[str, Any]:
    """The order in full if ``caller`` may see it, else as anyone sees it."""
    full = caller is not None and may_see(caller, order)
    named = [c.name_zh for c in menu.categories if c.code == order.category]
    return service_request(order, named[0] if named else order.category, full=full)


def _next_link(request: Request, page: Page) -> dict[str, str]:
    """A ``Link`` header to the next page, when there is one."""
    if page.page * page.page_size >= page.total:
        return {}
    url = request.url.include_query_params(page=page.page + 1, page_size=page.page_size)
    return {"Link": f'<{url}>; rel="next"'}


@router.get("/requests.{fmt}", summary="Open311: list requests (no key needed)",
            dependencies=[Depends(policy("open311.read"))])
async def get_requests(fmt: str, request: Request) -> Response:
    """Requests newest first: ``status`` open|closed, dates, ``service_code``,
    ``jurisdiction_id``, ``page`` (from 1) and ``page_size`` (≤ 200; a Link header names the
    next page)."""
    query, headers = request.query_params, {}

    async def work() -> list[dict[str, Any]]:
        caller, cases = _reader(request), UseCases(request)
        menu = await menu_of(cases)  # once per call, not once per request listed
        where = await jurisdiction(cases, query.get("jurisdiction_id"))
        ids = [i for i in query.get("service_request_id", "").split(",") if i]
        if ids:
            return [_seen(await _order(cases, i), caller, menu) for i in ids]
        code = query.get("service_code")
        if code:
            menu.get(code)  # UnknownCategory: 404
        end = moment(query.get("end_date"), "end_date") or utcnow()
        start = moment(query.get("start_date"), "start_date") or end - DEFAULT_SPAN
        criteria = OrderCriteria(category=code, placed_from=start, placed_to=end,
                                 statuses=statuses(query.get("status")),
                                 institute=where[0] if where else None,
                                 station=where[1] if where else None)
        page = await cases.queries.find(
            scoped(criteria, caller) if caller else criteria,
            whole(query.get("page"), "page", 1, MAX_PAGE),
            whole(query.get("page_size"), "page_size", PAGE_SIZE, MAX_PAGE_SIZE))
        headers.update(_next_link(request, page))
        return [_seen(o, caller, menu) for o in page.items]
    return await answer(fmt, "service_requests", work, headers=headers)


@router.get("/requests/{service_request_id}.{fmt}", summary="Open311: one request (no key "
            "needed)", dependencies=[Depends(policy("open311.read"))])
async def get_request(service_request_id: str, fmt: str, request: Request) -> Response:
    """One request (as a list of one, as the spec says); 404 for an unknown id."""
    async def work() -> list[dict[str, Any]]:
        caller, cases = _reader(request), UseCases(request)
        order = await _order(cases, service_request_id)
        return [_seen(order, caller, await menu_of(cases))]
    return await answer(fmt, "service_requests", work)


async def _order(cases: UseCases, order_id: str) -> Order:
    """The order, or Refused 404 naming the id."""
    order = await cases.queries.get(order_id)
    if order is None:
        raise Refused(404, f"service_request_id: no request {order_id!r}")
    return order
