"""Open311 GeoReport v2 facade, so existing Open311 clients place and follow orders unchanged.

The ``api_key`` is a civiloop token (``civiloop-token``), in the query, the form or an
``Authorization: Bearer`` header; it says who asks and for which station. An order's fine
status is in ``status_notes`` and the extension field ``civiloop_status``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request, Response
from pydantic import ValidationError

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.values import TimeWindow, UnitRef
from civiloop_platform.auth.deps import checked_inside, policy
from civiloop_platform.auth.policy import authorize
from civiloop_platform.auth.scope import AccessDenied
from civiloop_platform.auth.tokens import AuthError, Principal, verify_token
from civiloop_platform.edge.params import EARLIEST, LATEST, MAX_PAGE, MAX_PAGE_SIZE
from civiloop_requests.app.placing import new_order_id, place
from civiloop_requests.app.ports import UnitOfWork
from civiloop_requests.app.queries import OrderCriteria, scoped
from civiloop_requests.domain.catalogue import Catalogue, Category
from civiloop_requests.domain.errors import DomainError, UnknownOrder, UnknownUnit
from civiloop_requests.domain.new_order import NewOrder
from civiloop_requests.domain.order import Order
from civiloop_requests.entrypoints.access import check_may_see, check_places_at
from civiloop_requests.entrypoints.deps import UseCases, acting
from civiloop_requests.entrypoints.errors import status_of
from civiloop_requests.entrypoints.open311_format import FORMATS, error, render
from civiloop_requests.entrypoints.open311_requests import (
    OPEN,
    PLACE_REQUEST_DOC,
    WHOLE,
    new_order_from_form,
    service_definition,
    service_request,
)

router = APIRouter(prefix="/open311/v2", tags=["open311"])
DEFAULT_SPAN = timedelta(days=90)  # the spec's default window for listing requests


class Refused(Exception):
    """An Open311 error: status and description."""

    def __init__(self, status_code: int, description: str) -> None:
        super().__init__(description)
        self.status_code, self.description = status_code, description


async def _answer(fmt: str, root: str, work: Callable[[], Awaitable[Any]],
                  status_code: int = 200) -> Response:
    """Run ``work`` and render its result, or the spec's error list for a refusal."""
    if fmt not in FORMATS:
        return error(400, f"format {fmt!r} is not supported: use json or xml")
    try:
        return render(await work(), root, fmt, status_code)
    except Refused as exc:
        return error(exc.status_code, exc.description, fmt)
    except AccessDenied as exc:
        return error(403, str(exc), fmt)
    except UnknownUnit as exc:  # a parameter (the key's station or jurisdiction_id) is wrong
        return error(400, str(exc), fmt)
    except DomainError as exc:
        return error(status_of(exc), str(exc), fmt)
    except ValidationError as exc:
        first = exc.errors()[0]
        return error(400, f"{'.'.join(map(str, first['loc']))}: {first['msg']}", fmt)


def _caller(request: Request, form: dict[str, str], policy_name: str) -> Principal:
    """The caller named by ``api_key`` (query or form) or a bearer token, if ``policy_name``
    admits them; 401 without a valid key, AccessDenied (403) otherwise."""
    header = request.headers.get("authorization", "")
    key = request.query_params.get("api_key") or form.get("api_key") or \
        (header[7:] if header.lower().startswith("bearer ") else "")
    if not key:
        raise Refused(401, "api_key: a civiloop token is required")
    try:
        caller = verify_token(request.app.state.auth_secret, key)
    except AuthError as exc:
        raise Refused(401, f"api_key: {exc}") from None
    return authorize(caller, policy_name)


async def _menu(cases: UseCases) -> Catalogue:
    async def work(uow: UnitOfWork) -> Catalogue:
        return await uow.menu.catalogue()
    return await cases.run(work)


@router.get("/services.{fmt}", summary="Open311: service list (no key needed)",
            dependencies=[Depends(policy("menu.read"))])
async def services(fmt: str, request: Request) -> Response:
    """Every category as an Open311 service; ``metadata`` is true when it asks questions."""
    async def work() -> list[dict[str, Any]]:
        menu = await _menu(UseCases(request))
        return [{"service_code": c.code, "service_name": c.name_zh, "description": c.name_en,
                 "metadata": bool(c.questions), "type": "realtime", "keywords": c.specialty,
                 "group": c.platform} for c in menu.categories]
    return await _answer(fmt, "services", work)


@router.get("/services/{service_code}.{fmt}", summary="Open311: service definition",
            dependencies=[Depends(policy("menu.read"))])
async def definition(service_code: str, fmt: str, request: Request) -> Response:
    """The category's extra questions as Open311 attributes."""
    async def work() -> dict[str, Any]:
        return service_definition((await _menu(UseCases(request))).get(service_code))
    return await _answer(fmt, "service_definition", work)


@router.post("/requests.{fmt}", summary="Open311: place a request", openapi_extra=PLACE_REQUEST_DOC,
             dependencies=[Depends(checked_inside("orders.place"))])
async def post_request(fmt: str, request: Request) -> Response:
    """Place an order from an Open311 form; the reply holds its ``service_request_id``."""
    try:
        form = dict(parse_qsl((await request.body()).decode(), keep_blank_values=False))
    except UnicodeDecodeError as exc:
        return error(400, f"body: not UTF-8 text (byte {exc.start})", fmt if fmt in FORMATS
                     else "json")

    async def work() -> list[dict[str, Any]]:
        caller, cases = _caller(request, form, "orders.place"), UseCases(request)
        settings = request.app.state.runtime.settings
        category = (await _menu(cases)).get(form.get("service_code", ""))
        unit = _unit(caller, form.get("jurisdiction_id"), settings.district_centre)
        window = TimeWindow(start=utcnow(), end=utcnow() + timedelta(
            days=settings.open311_default_window_days))
        new = new_order_from_form(form, caller, category, unit, window)
        order_id = new_order_id()

        async def place_it(uow: UnitOfWork) -> Order:
            return await place(uow, order_id, await _centred(uow, new), utcnow(),
                               cases.announce, by=acting(caller))
        order = await cases.run(place_it)
        notice = "已合并到您之前的同类工单 (+1)" if order.duplicate_of else "已受理，等待派单"
        return [{"service_request_id": order.order_id, "service_notice": notice,
                 "account_id": order.requester.resident_id}]
    return await _answer(fmt, "service_requests", work, status_code=201)


async def _centred(uow: UnitOfWork, new: NewOrder) -> NewOrder:
    """The order under the centre the units tree puts its institute in (Open311 names none)."""
    institute = (await uow.units.of([new.unit.institute])).get(new.unit.institute or "")
    if institute is None or institute.parent is None:
        return new  # not in the tree: placing refuses it, naming the field
    return new.model_copy(update={"unit": new.unit.model_copy(
        update={"centre": institute.parent})})


def _unit(caller: Principal, jurisdiction: str | None, centre: str) -> UnitRef:
    """The station: ``jurisdiction_id`` as ``<institute>.<station>``, else the caller's own."""
    institute, _, station = (jurisdiction or "").partition(".")
    if not jurisdiction:
        institute, station = caller.institute or "", caller.station or ""
    if not (institute and station):
        raise Refused(400, "jurisdiction_id: give <institute>.<station> (e.g. kunhe.wanhe)")
    unit = UnitRef(centre=centre, institute=institute, station=station)
    check_places_at(caller, unit)
    return unit


@router.get("/requests.{fmt}", summary="Open311: list requests",
            dependencies=[Depends(checked_inside("orders.list"))])
async def get_requests(fmt: str, request: Request) -> Response:
    """Requests the key may see, newest first; ``status`` open|closed, dates, ``page``."""
    query = request.query_params

    async def work() -> list[dict[str, Any]]:
        caller, cases = _caller(request, {}, "orders.list"), UseCases(request)
        menu = await _menu(cases)  # once per call, not once per request listed
        ids = [i for i in query.get("service_request_id", "").split(",") if i]
        if ids:
            return [await _one(cases, caller, i, menu) for i in ids]
        end = _date(query.get("end_date"), "end_date") or utcnow()
        start = _date(query.get("start_date"), "start_date") or end - DEFAULT_SPAN
        statuses = tuple(s for word in query.get("status", "").split(",") if word
                         for s in _statuses(word))
        criteria = scoped(OrderCriteria(category=query.get("service_code"), placed_from=start,
                                        placed_to=end, statuses=statuses), caller)
        page = await cases.queries.find(criteria, _int(query.get("page"), "page", 1, MAX_PAGE),
                                        _int(query.get("page_size"), "page_size", 50,
                                             MAX_PAGE_SIZE))
        return [service_request(o, _name(menu, o.category)) for o in page.items]
    return await _answer(fmt, "service_requests", work)


@router.get("/requests/{service_request_id}.{fmt}", summary="Open311: one request",
            dependencies=[Depends(checked_inside("orders.read"))])
async def get_request(service_request_id: str, fmt: str, request: Request) -> Response:
    """One request (as a list of one, as the spec says)."""
    async def work() -> list[dict[str, Any]]:
        cases = UseCases(request)
        caller = _caller(request, {}, "orders.read")
        return [await _one(cases, caller, service_request_id, await _menu(cases))]
    return await _answer(fmt, "service_requests", work)


async def _one(cases: UseCases, caller: Principal, order_id: str,
               menu: Catalogue) -> dict[str, Any]:
    order = await cases.queries.get(order_id)
    if order is None:
        raise UnknownOrder(f"service_request_id: no request {order_id!r}")
    check_may_see(caller, order)
    return service_request(order, _name(menu, order.category))


def _name(menu: Catalogue, code: str) -> str:
    """The category's Chinese name, or its code once it is off the menu."""
    found: list[Category] = [c for c in menu.categories if c.code == code]
    return found[0].name_zh if found else code


def _int(text: str | None, name: str, default: int, most: int) -> int:
    """A whole number from 1 to ``most``; Refused naming the parameter otherwise."""
    if text is None:
        return default
    if not WHOLE.fullmatch(text) or not 1 <= int(text) <= most:
        raise Refused(400, f"{name}: {text!r} is not a whole number from 1 to {most}")
    return int(text)


def _date(text: str | None, name: str) -> datetime | None:
    """The ISO 8601 date-time ``text`` (naive ones are UTC); Refused naming ``name`` otherwise."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Refused(400, f"{name}: {text!r} is not ISO 8601") from None
    if not EARLIEST <= (moment if moment.tzinfo else moment.replace(tzinfo=UTC)) < LATEST:
        raise Refused(400, f"{name}: {text!r} is not from {EARLIEST:%Y} up to {LATEST:%Y}")
    return moment


def _statuses(word: str) -> tuple[Any, ...]:
    if word not in OPEN:
        raise Refused(400, f"status: {word!r} is not open or closed")
    return OPEN[word]
