"""Open311 GeoReport v2 wire formats: JSON as is, XML by the spec's element names."""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from fastapi import Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, RootModel

# A list's items take the singular of the list's element name, as the spec's examples do.
_ITEM = {"services": "service", "service_requests": "request", "attributes": "attribute",
         "values": "value", "errors": "error"}
FORMATS = ("json", "xml")


class Open311Error(BaseModel):
    """One of the spec's errors: the HTTP status and what was wrong (naming the parameter)."""

    code: int
    description: str


class Open311Errors(RootModel[list[Open311Error]]):
    """The spec's error reply: a list of errors (``<errors><error>`` in XML)."""


def errors_documented(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for Open311 refusals with ``codes``, in the spec's error list."""
    return {code: {"model": Open311Errors, "description": "The spec's list of errors"}
            for code in codes}


def _fill(parent: Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(SubElement(parent, key), item)
    elif isinstance(value, list):
        for item in value:
            _fill(SubElement(parent, _ITEM.get(parent.tag, "item")), item)
    elif isinstance(value, bool):
        parent.text = "true" if value else "false"
    elif value is not None:
        parent.text = str(value)


def render(body: Any, root: str, fmt: str, status_code: int = 200,
           headers: dict[str, str] | None = None) -> Response:
    """``body`` as JSON, or as XML under ``root`` (e.g. ``services``)."""
    if fmt == "xml":
        element = Element(root)
        _fill(element, body)
        xml = tostring(element, encoding="unicode", xml_declaration=False)
        return Response('<?xml version="1.0" encoding="utf-8"?>' + xml, headers=headers,
                        media_type="text/xml; charset=utf-8", status_code=status_code)
    return JSONResponse(body, status_code=status_code, headers=headers)


def error(status_code: int, description: str, fmt: str = "json") -> Response:
    """The spec's error list: ``[{"code": ..., "description": ...}]`` with the HTTP status."""
    return render([{"code": status_code, "description": description}], "errors", fmt,
                  status_code)
