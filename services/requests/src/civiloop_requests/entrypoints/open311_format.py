"""Open311 GeoReport v2 wire formats: JSON as is, XML by the spec's element names."""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from fastapi import Response
from fastapi.responses import JSONResponse

# A list's items take the singular of the list's element name, as the spec's examples do.
_ITEM = {"services": "service", "service_requests": "request", "attributes": "attribute",
         "values": "value", "errors": "error"}
FORMATS = ("json", "xml")


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


def render(body: Any, root: str, fmt: str, status_code: int = 200) -> Response:
    """``body`` as JSON, or as XML under ``root`` (e.g. ``services``)."""
    if fmt == "xml":
        element = Element(root)
        _fill(element, body)
        xml = tostring(element, encoding="unicode", xml_declaration=False)
        return Response('<?xml version="1.0" encoding="utf-8"?>' + xml,
                        media_type="text/xml; charset=utf-8", status_code=status_code)
    return JSONResponse(body, status_code=status_code)


def error(status_code: int, description: str, fmt: str = "json") -> Response:
    """The spec's error list: ``[{"code": ..., "description": ...}]`` with the HTTP status."""
    return render([{"code": status_code, "description": description}], "errors", fmt,
                  status_code)
