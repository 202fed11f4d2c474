"""Open311 GeoReport v2 shapes: services, definitions, requests, and the form of a new one."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from civiloop_contracts.events.intake import Channel
from civiloop_contracts.values import Role, TimeWindow, UnitRef
from civiloop_platform.auth.tokens import Principal
from civiloop_requests.domain.catalogue import AnswerValue, Category, Question, QuestionKind
from civiloop_requests.domain.errors import InvalidAnswer
from civiloop_requests.domain.new_order import Location, NewOrder, Requester
from civiloop_requests.domain.order import Order
from civiloop_requests.domain.status import BEFORE_COMPLETION, Status

OPEN: dict[str, tuple[Status, ...]] = {
    "open": tuple(BEFORE_COMPLETION),
    "closed": tuple(s for s in Status if s not in BEFORE_COMPLETION),
}
"""Open311's two statuses: open until served (or ended), closed after."""

_DATATYPE = {QuestionKind.NUMBER: "number", QuestionKind.TEXT: "string",
             QuestionKind.YES_NO: "singlevaluelist", QuestionKind.CHOICE: "singlevaluelist"}
_YES, _NO = {"true", "yes", "1", "是"}, {"false", "no", "0", "否"}
WHOLE = re.compile(r"[0-9]{1,9}")
"""A whole number as a form or query writes it (ASCII digits: str.isdigit takes "²" too)."""

_FORM_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["service_code", "api_key"], "properties": {
            "api_key": {"type": "string", "description": "A civiloop token."},
            "service_code": {"type": "string", "example": "home_health_check"},
            "jurisdiction_id": {"type": "string", "description": "<institute>.<station>, "
                                "when the key is not bound to a station."},
            "address_string": {"type": "string", "example": "万和阳光社区3号楼"},
            "lat": {"type": "number"}, "long": {"type": "number"},
            "description": {"type": "string", "example": "老人需要上门量血压"},
            "first_name": {"type": "string"}, "last_name": {"type": "string"},
            "phone": {"type": "string", "example": "13812345678"},
            "account_id": {"type": "string", "description": "The resident, for a station key."},
            "attribute[mobility_needs]": {"type": "string", "example": "true"}}}
PLACE_REQUEST_DOC: dict[str, Any] = {"requestBody": {"required": True, "content": {
    "application/x-www-form-urlencoded": {"schema": _FORM_SCHEMA, "example": (
        "api_key=<token>&service_code=home_health_check&address_string=万和阳光社区"
        "3号楼&description=老人需要上门量血压&attribute[mobility_needs]=true")},
    "multipart/form-data": {"schema": _FORM_SCHEMA, "example": {
        "api_key": "<token>", "service_code": "legal_aid", "address_string": "5号楼",
        "attribute[topic]": "family"}},
    "application/json": {"example": {
        "api_key": "<token>", "service_code": "home_health_check", "lat": 40.657,
        "long": 109.84, "attribute": {"mobility_needs": True}},
        "schema": {**_FORM_SCHEMA, "properties": {
        **_FORM_SCHEMA["properties"], "attribute": {
            "type": "object", "additionalProperties": {"type": ["string", "number",
                                                               "boolean"]},
            "description": "The answers by code (or attribute[code] keys, as in the form)."}}}},
}}}


def _attribute(order: int, question: Question) -> dict[str, Any]:
    values: list[dict[str, str]] = []
    if question.kind is QuestionKind.YES_NO:
        values = [{"key": "true", "name": "是 yes"}, {"key": "false", "name": "否 no"}]
    elif question.kind is QuestionKind.CHOICE:
        values = [{"key": c, "name": c} for c in question.choices]
    return {"variable": True, "code": question.code, "datatype": _DATATYPE[question.kind],
            "required": question.required, "datatype_description": question.kind.value,
            "order": order, "description": question.label, "values": values}


def service_definition(category: Category) -> dict[str, Any]:
    """A category's extra questions as Open311 attributes."""
    return {"service_code": category.code,
            "attributes": [_attribute(i, q) for i, q in enumerate(category.questions, 1)]}


def _answer(question: Question, text: str) -> AnswerValue:
    """A form value as the question's kind wants it; InvalidAnswer naming the attribute."""
    if question.kind is QuestionKind.NUMBER:
        if not WHOLE.fullmatch(text.strip()):
            raise InvalidAnswer(f"attribute[{question.code}]: {text!r} is not a whole number")
        return int(text)
    if question.kind is QuestionKind.YES_NO:
        if text.lower() not in _YES | _NO:
            raise InvalidAnswer(f"attribute[{question.code}]: {text!r} is not true or false")
        return text.lower() in _YES
    return text


def _answers(form: dict[str, str], category: Category) -> dict[str, AnswerValue]:
    known = {q.code: q for q in category.questions}
    answers: dict[str, AnswerValue] = {}
    for key, text in form.items():
        if key.startswith("attribute[") and key.endswith("]"):
            code = key[len("attribute["):-1]
            if code not in known:
                raise InvalidAnswer(f"attribute[{code}]: {category.code} asks no such question")
            answers[code] = _answer(known[code], text)
    return answers


def new_order_from_form(form: dict[str, str], caller: Principal, category: Category,
                        unit: UnitRef, window: TimeWindow, location: Location | None
                        ) -> NewOrder:
    """The order an Open311 form asks for (ValidationError or InvalidAnswer names the field).

    ``address_string`` is kept as the place; coordinates alone give the place text
    "lat,long" (a volunteer needs something to read) and are kept as numbers too.
    """
    place = form.get("address_string") or (
        f"{location.lat},{location.long}" if location else "")
    if not place:
        raise InvalidAnswer("address_string: give an address, or lat and long")
    answers = _answers(form, category)
    audience = answers.get("attendees", 1)
    name = (form.get("last_name", "") + form.get("first_name", "")) or None
    resident = caller.subject if caller.role is Role.RESIDENT else form.get("account_id")
    requester = Requester(role=caller.role, resident_id=resident, name=name,
                          phone=form.get("phone") or None)
    return NewOrder(unit=unit, category=category.code, need=form.get("description") or
                    category.name_zh, place=place[:200], location=location, window=window,
                    audience_size=audience if isinstance(audience, int) and audience > 0 else 1,
                    answers=answers, requester=requester, channel=Channel.WEB)


PUBLIC_DECIMALS = 2
"""Public coordinates are rounded to 0.01° (about a kilometre): the area, not the door."""


def service_request(order: Order, service_name: str, *, full: bool) -> dict[str, Any]:
    """One order as an Open311 service request; the contact is never shown here.

    Not ``full`` (anyone's view): the resident's own words and address stay hidden, the
    description is the service's name and the coordinates are rounded.
    """
    closed = order.status not in BEFORE_COMPLETION
    deadline = order.placed_at + timedelta(minutes=order.accept_within_min)
    notes = f"{order.status}" + (f" ({order.outcome})" if order.outcome else "")
    where = order.location
    lat, long = (where.lat, where.long) if where else (None, None)
    if not full and where:
        lat, long = round(where.lat, PUBLIC_DECIMALS), round(where.long, PUBLIC_DECIMALS)
    return {
        "service_request_id": order.order_id, "status": "closed" if closed else "open",
        "status_notes": notes, "civiloop_status": order.status.value,
        "service_name": service_name, "service_code": order.category,
        "description": order.need if full else service_name,
        "agency_responsible": f"station {order.unit.station}",
        "service_notice": None, "requested_datetime": order.placed_at.isoformat(),
        "updated_datetime": order.timeline[-1].at.isoformat(),
        "expected_datetime": None if closed else deadline.isoformat(),
        "address": order.place if full else None, "address_id": None, "zipcode": None,
        "lat": lat, "long": long, "media_url": None,
    }
