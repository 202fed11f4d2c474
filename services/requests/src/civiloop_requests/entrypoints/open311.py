"""Open311 GeoReport v2 facade, so existing Open311 clients place and follow orders unchanged.

Reading needs no key (personal data masked, see ``service_request``); placing needs an
``api_key``: a civiloop token (``civiloop-token``), in the query, the body or an
``Authorization: Bearer`` header. An order's fine status is in ``status_notes`` and the
extension field ``civiloop_status``. Refusals are the spec's list of ``{code, description}``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import ValidationError

from civiloop_contracts.envelope import utcnow
from civiloop_contracts.values import TimeWindow, UnitRef
from civiloop_platform.auth.deps import checked_inside, policy
from civiloop_platform.auth.policy import authorize
from civiloop_platform.auth.scope import AccessDenied
from civiloop_platform.auth.tokens import AuthError, Principal, verify_token
from civiloop_platform.edge.usecase import kind_of
from civiloop_requests.app.placing import new_order_id, place
from civiloop_requests.app.ports import UnitOfWork
from civiloop_requests.domain.catalogue import Catalogue
from civiloop_requests.domain.errors import DomainError, UnknownCategory, UnknownUnit
from civiloop_requests.domain.new_order import NewOrder
from civiloop_requests.domain.order import Order
from civiloop_requests.entrypoints.access import check_places_at
from civiloop_requests.entrypoints.deps import UseCases, acting
from civiloop_requests.entrypoints.open311_format import FORMATS, error, errors_documented, render
from civiloop_requests.entrypoints.open311_params import Refused, body_fields, location
from civiloop_requests.entrypoints.open311_requests import (
    PLACE_REQUEST_DOC,
    new_order_from_form,
    service_definition,
)
from civiloop_requests.entrypoints.refusals import REFUSALS

router = APIRouter(prefix="/open311/v2", tags=["open311"],
                   responses=errors_documented(400, 404))
KEYED = errors_documented(401, 403, 409)
"""What a call with a key may also get: 401 without one, 403 for a bad or refused one, 409
when it repeats an order the service holds otherwise."""


async def answer(fmt: str, root: str, work: Callable[[], Awaitable[Any]],
                 status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    """Run ``work`` and render its result, or the spec's error list for a refusal."""
    if fmt not in FORMATS:
        return error(400, f"format {fmt!r} is not supported: use json or xml")
    try:
        return render(await work(), root, fmt, status_code, headers)
    except Refused as exc:
        return error(exc.status_code, exc.description, fmt)
    except AccessDenied as exc:
        return error(403, str(exc), fmt)
    except (UnknownCategory, UnknownUnit) as exc:  # service_code or jurisdiction_id not found
        return error(404, str(exc), fmt)
    except DomainError as exc:  # the spec has no 422: a bad parameter is a 400
        code = kind_of(exc, REFUSALS) or 422
        return error(400 if code == 422 else code, str(exc), fmt)
    except ValidationError as exc:
        first = exc.errors()[0]
        return error(400, f"{'.'.join(map(str, first['loc']))}: {first['msg']}", fmt)


def api_key(request: Request, fields: dict[str, str]) -> str:
    """The key from the query, the body or a bearer header; "" when none was sent."""
    header = request.headers.get("authorization", "")
    return request.query_params.get("api_key") or fields.get("api_key") or \
        (header[7:] if header.lower().startswith("bearer ") else "")


def verified(request: Request, key: str) -> Principal:
    """Who ``key`` says the caller is; Refused 403 for a key that is not valid."""
    try:
        return verify_token(request.app.state.auth_secret, key)
    except AuthError as exc:
        raise Refused(403, f"api_key: {exc}") from None


def _caller(request: Request, fields: dict[str, str], policy_name: str) -> Principal:
    """The caller named by the key, if ``policy_name`` admits them: 401 without a key, 403
    for a bad key or a caller the policy refuses."""
    key = api_key(request, fields)
    if not key:
        raise Refused(401, "api_key: a civiloop token is required to place a request")
    return authorize(verified(request, key), policy_name)


async def menu_of(cases: UseCases) -> Catalogue:
    """The menu as it stands."""
    async def work(uow: UnitOfWork) -> Catalogue:
        return await uow.menu.catalogue()
    return await cases.run(work)


async def jurisdiction(cases: UseCases, text: str | None) -> tuple[str, str | None] | None:
    """``jurisdiction_id`` (``<institute>.<station>`` or ``<institute>``; the district's
    centre or none means everywhere) as institute and station; 404 when not in the tree."""
    settings = cases.runtime.settings
    if not text or text == settings.district_centre:
        return None
    institute, _, station = text.partition(".")

    async def work(uow: UnitOfWork) -> dict[str, Any]:
        return await uow.units.of([institute, station or None])
    found = await cases.run(work)
    if institute not in found or (station and getattr(found.get(station), "parent", None)
                                  != institute):
        raise Refused(404, f"jurisdiction_id: {text!r} is not a station or institute here")
    return institute, station or None


@router.get("/services.{fmt}", summary="Open311: service list (no key needed)",
            dependencies=[Depends(policy("menu.read"))])
async def services(fmt: str, request: Request) -> Response:
    """Every category as an Open311 service; ``metadata`` is true when it asks questions."""
    async def work() -> list[dict[str, Any]]:
        cases = UseCases(request)
        await jurisdiction(cases, request.query_params.get("jurisdiction_id"))
        return [{"service_code": c.code, "service_name": c.name_zh, "description": c.name_en,
                 "metadata": bool(c.questions), "type": "realtime", "keywords": c.specialty,
                 "group": c.platform} for c in (await menu_of(cases)).categories]
    return await answer(fmt, "services", work)


@router.get("/services/{service_code}.{fmt}", summary="Open311: service definition",
            dependencies=[Depends(policy("menu.read"))])
async def definition(service_code: str, fmt: str, request: Request) -> Response:
    """The category's extra questions as Open311 attributes; 404 for an unknown code."""
    async def work() -> dict[str, Any]:
        cases = UseCases(request)
        await jurisdiction(cases, request.query_params.get("jurisdiction_id"))
        return service_definition((await menu_of(cases)).get(service_code))
    return await answer(fmt, "service_definition", work)


@router.post("/requests.{fmt}", summary="Open311: place a request", responses=KEYED,
             status_code=201,
             openapi_extra=PLACE_REQUEST_DOC, dependencies=[Depends(checked_inside("orders.place"))])
async def post_request(fmt: str, request: Request) -> Response:
    """Place an order from an Open311 form (or multipart or JSON); the reply holds its id."""
    async def work() -> list[dict[str, Any]]:
        fields = await body_fields(request)
        caller, cases = _caller(request, fields, "orders.place"), UseCases(request)
        if not fields.get("service_code"):
            raise Refused(400, "service_code: required (see services.json)")
        category = (await menu_of(cases)).get(fields["service_code"])
        unit = await _unit(cases, caller, fields.get("jurisdiction_id"))
        days = cases.runtime.settings.open311_default_window_days
        window = TimeWindow(start=utcnow(), end=utcnow() + timedelta(days=days))
        new = new_order_from_form(fields, caller, category, unit, window, location(fields))
        order_id = new_order_id()

        async def place_it(uow: UnitOfWork) -> Order:
            return await place(uow, order_id, await _centred(uow, new), utcnow(),
                               cases.announce, by=acting(caller))
        order = await cases.run(place_it)
        notice = "已合并到您之前的同类工单 (+1)" if order.duplicate_of else "已受理，等待派单"
        return [{"service_request_id": order.order_id, "service_notice": notice,
                 "account_id": order.requester.resident_id}]
    return await answer(fmt, "service_requests", work, status_code=201)


async def _centred(uow: UnitOfWork, new: NewOrder) -> NewOrder:
    """The order under the centre the units tree puts its institute in (Open311 names none)."""
    institute = (await uow.units.of([new.unit.institute])).get(new.unit.institute or "")
    if institute is None or institute.parent is None:
        return new  # not in the tree: placing refuses it, naming the field
    return new.model_copy(update={"unit": new.unit.model_copy(
        update={"centre": institute.parent})})


async def _unit(cases: UseCases, caller: Principal, text: str | None) -> UnitRef:
    """The station: ``jurisdiction_id`` as ``<institute>.<station>``, else the caller's own."""
    institute, station = caller.institute or "", caller.station or ""
    if text:
        named = await jurisdiction(cases, text)
        institute, station = (named[0], named[1] or "") if named else ("", "")
    if not (institute and station):
        raise Refused(400, "jurisdiction_id: give <institute>.<station> (e.g. kunhe.wanhe)")
    unit = UnitRef(centre=cases.runtime.settings.district_centre,
                   institute=institute, station=station)
    check_places_at(caller, unit)
    return unit
