"""Open311 GeoReport v2 facade, so existing Open311 clients place and follow orders unchanged.

The ``api_key`` is a civiloop token (``civiloop-token``), in the query, the form or an
``Authorization: Bearer`` header; it says who asks and for which station. An order's fine
status is in ``status_notes`` and the extension field ``civiloop_status``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.values import Role, TimeWindow, UnitRef
from civiloop_platform.auth.tokens import AuthError, Principal, verify_token
from civiloop_requests.app.placing import new_order_id, place
from civiloop_requests.app.ports import UnitOfWork
from civiloop_requests.app.queries import MAX_PAGE_SIZE, OrderCriteria, scoped
from civiloop_requests.domain.catalogue import Catalogue, Category
from civiloop_requests.domain.errors import DomainError, NotAllowed, UnknownOrder, UnknownUnit
from civiloop_requests.domain.new_order import NewOrder
from civiloop_requests.domain.order import Order
from civiloop_requests.entrypoints.access import check_may_see
from civiloop_requests.entrypoints.deps import UseCases
from civiloop_requests.entrypoints.errors import status_of
from civiloop_requests.entrypoints.open311_format import FORMATS, error, render
from civiloop_requests.entrypoints.open311_requests import (
    OPEN,
    PLACE_REQUEST_DOC,
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
    except UnknownUnit as exc:  # a parameter (the key's station or jurisdiction_id) is wrong
        return error(400, str(exc), fmt)
    except DomainError as exc:
        return error(status_of(exc), str(exc), fmt)
    except ValidationError as exc:
        first = exc.errors()[0]
        return error(400, f"{'.'.join(map(str, first['loc']))}: {first['msg']}", fmt)


def _caller(request: Request, form: dict[str, str]) -> Principal:
    """The caller named by ``api_key`` (query or form) or a bearer token; 401 otherwise."""
    header = request.headers.get("authorization", "")
    key = request.query_params.get("api_key") or form.get("api_key") or \
        (header[7:] if header.lower().startswith("bearer ") else "")
    if not key:
        raise Refused(401, "api_key: a civiloop token is required")
    try:
        return verify_token(request.app.state.auth_secret, key)
    except AuthError as exc:
        raise Refused(401, f"api_key: {exc}") from None


async def _menu(cases: UseCases) -> Catalogue:
    async def work(uow: UnitOfWork) -> Catalogue:
        return await uow.menu.catalogue()
    return await cases.run(work)


@router.get("/services.{fmt}", summary="Open311: service list (no key needed)")
async def services(fmt: str, request: Request) -> Response:
    """Every category as an Open311 service; ``metadata`` is true when it asks questions."""
    async def work() -> list[dict[str, Any]]:
        menu = await _menu(UseCases(request))
        return [{"service_code": c.code, "service_name": c.name_zh, "description": c.name_en,
                 "metadata": bool(c.questions), "type": "realtime", "keywords": c.specialty,
                 "group": c.platform} for c in menu.categories]
    return await _answer(fmt, "services", work)


@router.get("/services/{service_code}.{fmt}", summary="Open311: service definition")
async def definition(service_code: str, fmt: str, request: Request) -> Response:
    """The category's extra questions as Open311 attributes."""
    async def work() -> dict[str, Any]:
        return service_definition((await _menu(UseCases(request))).get(service_code))
    return await _answer(fmt, "service_definition", work)


@router.post("/requests.{fmt}", summary="Open311: place a request", openapi_extra=PLACE_REQUEST_DOC)
async def post_request(fmt: str, request: Request) -> Response:
    """Place an order from an Open311 form; the reply holds its ``service_request_id``."""
    form = dict(parse_qsl((await request.body()).decode(), keep_blank_values=False))

    async def work() -> list[dict[str, Any]]:
        caller, cases = _caller(request, form), UseCases(request)
        if caller.role not in (Role.RESIDENT, Role.STATION_OPERATOR):
            raise NotAllowed(f"role {caller.role} may not place orders")
        settings = request.app.state.runtime.settings
        category = (await _menu(cases)).get(form.get("service_code", ""))
        unit = _unit(caller, form.get("jurisdiction_id"), settings.district_centre)
        window = TimeWindow(start=utcnow(), end=utcnow() + timedelta(
            days=settings.open311_default_window_days))
        new = new_order_from_form(form, caller, category, unit, window)
        order_id = new_order_id()

        async def place_it(uow: UnitOfWork) -> Order:
            return await place(uow, order_id, await _centred(uow, new), utcnow(),
                               cases.announce)
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
    """The station: the caller's own, or ``jurisdiction_id`` as ``<institute>.<station>``."""
    if caller.station and caller.institute:
        return UnitRef(centre=centre, institute=caller.institute, station=caller.station)
    institute, _, station = (jurisdiction or "").partition(".")
    if not (institute and station):
        raise Refused(400, "jurisdiction_id: give <institute>.<station> (e.g. kunhe.wanhe)")
    if caller.role is not Role.RESIDENT and not caller.covers(station, institute):
        raise NotAllowed(f"station {station} is outside this caller's unit")
    return UnitRef(centre=centre, institute=institute, station=station)


@router.get("/requests.{fmt}", summary="Open311: list requests")
async def get_requests(fmt: str, request: Request) -> Response:
    """Requests the key may see, newest first; ``status`` open|closed, dates, ``page``."""
    query = request.query_params

    async def work() -> list[dict[str, Any]]:
        caller, cases = _caller(request, {}), UseCases(request)
        menu = await _menu(cases)  # once per call, not once per request listed
        ids = [i for i in query.get("service_request_id", "").split(",") if i]
        if ids:
            return [await _one(cases, caller, i, menu) for i in ids]
        end = _date(query.get("end_date")) or utcnow()
        start = _date(query.get("start_date")) or end - DEFAULT_SPAN
        statuses = tuple(s for word in query.get("status", "").split(",") if word
                         for s in _statuses(word))
        criteria = scoped(OrderCriteria(category=query.get("service_code"), placed_from=start,
                                        placed_to=end, statuses=statuses), caller)
        page = await cases.queries.find(criteria, _int(query.get("page"), "page", 1),
                                        _int(query.get("page_size"), "page_size", 50,
                                             MAX_PAGE_SIZE))
        return [service_request(o, _name(menu, o.category)) for o in page.items]
    return await _answer(fmt, "service_requests", work)


@router.get("/requests/{service_request_id}.{fmt}", summary="Open311: one request")
async def get_request(service_request_id: str, fmt: str, request: Request) -> Response:
    """One request (as a list of one, as the spec says)."""
    async def work() -> list[dict[str, Any]]:
        cases = UseCases(request)
        return [await _one(cases, _caller(request, {}), service_request_id, await _menu(cases))]
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


def _int(text: str | None, name: str, default: int, most: int = 1_000_000) -> int:
    """A whole number from 1 to ``most``; Refused naming the parameter otherwise."""
    if text is None:
        return default
    if not text.isdigit() or not 1 <= int(text) <= most:
        raise Refused(400, f"{name}: {text!r} is not a whole number from 1 to {most}")
    return int(text)


def _date(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Refused(400, f"date: {text!r} is not ISO 8601") from None


def _statuses(word: str) -> tuple[Any, ...]:
    if word not in OPEN:
        raise Refused(400, f"status: {word!r} is not open or closed")
    return OPEN[word]
