"""GeoReport v2's two formats from the same typed bodies: JSON, and XML shaped as the spec's
examples (wiki.open311.org/GeoReport_v2): ``<services><service>``, ``<service_requests>
<request>``, ``<service_definition>``, ``<discovery>``, ``<errors><error>``.

Each field is an element of the same name; a list's items are elements named for one of
them (``attributes`` → ``attribute``, ``values`` → ``value``); an empty value is an empty
element; a boolean is ``true``/``false``; times are ISO 8601 with their offset, as in the
JSON. Both formats say ``charset=utf-8``.

A route serves both: declared at its ``.json`` and ``.xml`` paths, it takes the format as
a dependency (:data:`ResponseFormat`, read from the path's suffix) and ends with
:func:`respond`, so its parameters and what it reads are written once.
"""

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, Literal, TypeVar
from xml.etree.ElementTree import Element, SubElement, tostring

from fastapi import Depends, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from .schemas import (
    Open311Created,
    Open311Discovery,
    Open311Error,
    Open311Request,
    Open311Service,
    Open311ServiceDefinition,
)

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"  # GeoReport v2 names text/xml
DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
# a list's items: the element of one of them
ITEMS = {"attributes": "attribute", "values": "value", "endpoints": "endpoint", "formats": "format"}
# what XML 1.0 cannot hold at all (control characters, lone surrogates): left out
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

Format = Literal["json", "xml"]
Body = TypeVar("Body")


class Open311Json(JSONResponse):
    media_type = JSON_TYPE


class XmlResponse(Response):
    media_type = XML_TYPE


def response_format(request: Request) -> Format:
    """The format a route was asked in: its path ends in ``.xml`` or ``.json``."""
    return "xml" if request.url.path.endswith(".xml") else "json"


ResponseFormat = Annotated[Format, Depends(response_format)]


def respond(fmt: Format, body: Body, to_xml: Callable[[Body], bytes], *, status_code: int = 200,
            headers: Mapping[str, str] | None = None) -> Response:
    """``body`` (the route's typed answer) in the format asked for."""
    if fmt == "xml":
        return XmlResponse(to_xml(body), status_code=status_code, headers=headers)
    return Open311Json(jsonable_encoder(body), status_code=status_code, headers=headers)


def services(items: Sequence[Open311Service]) -> bytes:
    return _document("services", "service", items)


def requests(items: Sequence[Open311Request]) -> bytes:
    return _document("service_requests", "request", items)


def created(items: Sequence[Open311Created]) -> bytes:
    return _document("service_requests", "request", items)


def errors(items: Sequence[Open311Error]) -> bytes:
    return _document("errors", "error", items)


def definition(item: Open311ServiceDefinition) -> bytes:
    return _write(_element("service_definition", item.model_dump(mode="json")))


def discovery(item: Open311Discovery) -> bytes:
    return _write(_element("discovery", item.model_dump(mode="json")))


def _document(root: str, item: str, models: Sequence[BaseModel]) -> bytes:
    top = Element(root)
    for model in models:
        _fill(SubElement(top, item), model.model_dump(mode="json"))
    return _write(top)


def _element(tag: str, value: Any) -> Element:
    element = Element(tag)
    _fill(element, value)
    return element


def _fill(element: Element, value: Any) -> None:
    """``value`` (JSON data, as the JSON format writes it) into ``element``."""
    if isinstance(value, Mapping):
        for name, inner in value.items():
            _fill(SubElement(element, name), inner)
    elif isinstance(value, list):
        item = ITEMS.get(element.tag) or element.tag.removesuffix("s")
        for inner in value:
            _fill(SubElement(element, item), inner)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = NOT_XML.sub("", str(value))


def _write(root: Element) -> bytes:
    text: bytes = tostring(root, encoding="utf-8", short_empty_elements=True)
    return DECLARATION + text
