"""GeoReport v2 as the specification writes it (wiki.open311.org/GeoReport_v2 and
/Service_Discovery), copied by hand from its examples and field tables, never from our own
models: the XML shapes (element names and their order) and a JSON schema of each document.

What an integrator may rely on is checked, not more: every field the spec names is there,
in the spec's order; extension fields (our ``aduan_status``) are leaf elements the spec does
not name; booleans are ``true``/``false``; times are ISO 8601 with their offset; a status is
``open`` or ``closed``; a point is two decimal degrees or nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from xml.etree.ElementTree import Element, fromstring

import jsonschema_rs

XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
DECLARATION = re.compile(rb'^<\?xml version="1\.0" encoding="utf-8"\?>', re.IGNORECASE)
ISO_MOMENT = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"

# the fields of each document, in the order of the spec's examples
SERVICE = ("service_code", "service_name", "description", "metadata", "type", "keywords", "group")
DEFINITION = ("service_code", "attributes")
ATTRIBUTE = ("variable", "code", "datatype", "required", "datatype_description", "order", "description")
VALUE = ("key", "name")
REQUEST = ("service_request_id", "status", "status_notes", "service_name", "service_code", "description",
           "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
           "address", "address_id", "zipcode", "lat", "long", "media_url")
CREATED = ("service_request_id", "service_notice", "account_id")
ERROR = ("code", "description")
DISCOVERY = ("changeset", "contact", "key_service", "endpoints")
ENDPOINT = ("specification", "url", "changeset", "type", "formats")

SERVICE_TYPES = ("realtime", "batch", "blackbox")
DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")
STATUSES = ("open", "closed")


# --- XML -------------------------------------------------------------------------------------

def xml_document(content: bytes, root: str) -> Element:
    """The document's root element, after the declaration the spec asks for."""
    assert DECLARATION.match(content), content[:80]
    element = fromstring(content)
    assert element.tag == root, (element.tag, root)
    return element


def _tags(element: Element) -> list[str]:
    return [child.tag for child in element]


def _items(element: Element, item: str) -> list[Element]:
    assert _tags(element) == [item] * len(element), (element.tag, _tags(element))
    return list(element)


def _fields(element: Element, fields: Sequence[str], *, extensions: bool = False) -> dict[str, str | None]:
    """``element``'s children are ``fields`` in that order; with ``extensions``, other leaf
    elements may stand among them."""
    tags = _tags(element)
    assert len(set(tags)) == len(tags), f"<{element.tag}> repeats a field: {tags}"
    if extensions:
        assert [tag for tag in tags if tag in fields] == list(fields), (element.tag, tags)
        assert all(len(child) == 0 for child in element if child.tag not in fields), (element.tag, tags)
    else:
        assert tags == list(fields), (element.tag, tags)
    return {child.tag: child.text for child in element if len(child) == 0}


def _boolean(text: str | None) -> None:
    assert text in ("true", "false"), text


def _moment(text: str | None, *, optional: bool = False) -> None:
    if optional and text is None:
        return
    assert text is not None and re.match(ISO_MOMENT, text), text


def _degrees(lat: str | None, long: str | None) -> None:
    assert (lat is None) == (long is None), (lat, long)
    if lat is not None and long is not None:
        assert -90 <= float(lat) <= 90 and -180 <= float(long) <= 180, (lat, long)


def check_services_xml(content: bytes) -> Element:
    root = xml_document(content, "services")
    for service in _items(root, "service"):
        fields = _fields(service, SERVICE)
        assert fields["service_code"] and fields["service_name"], fields
        _boolean(fields["metadata"])
        assert fields["type"] in SERVICE_TYPES, fields["type"]
    return root


def check_definition_xml(content: bytes) -> Element:
    root = xml_document(content, "service_definition")
    _fields(root, DEFINITION)
    assert root.findtext("service_code")
    attributes = root.find("attributes")
    assert attributes is not None
    for attribute in _items(attributes, "attribute"):
        tags = _tags(attribute)
        # values: for the value lists; the spec's examples write it last
        _fields(attribute, (*ATTRIBUTE, "values") if "values" in tags else ATTRIBUTE)
        fields = {child.tag: child.text for child in attribute}
        _boolean(fields["variable"])
        _boolean(fields["required"])
        assert fields["datatype"] in DATATYPES and fields["code"], fields
        assert (fields["order"] or "").isdigit() and int(fields["order"] or 0) >= 1, fields["order"]
        values = attribute.find("values")
        if fields["datatype"] in ("singlevaluelist", "multivaluelist"):
            assert values is not None and len(values) >= 1, fields["code"]
        for value in _items(values, "value") if values is not None else []:
            assert all(_fields(value, VALUE).values()), _tags(value)
    return root


def check_requests_xml(content: bytes) -> Element:
    root = xml_document(content, "service_requests")
    for request in _items(root, "request"):
        fields = _fields(request, REQUEST, extensions=True)
        assert fields["service_request_id"] and fields["service_code"], fields
        assert fields["status"] in STATUSES, fields["status"]
        _moment(fields["requested_datetime"])
        _moment(fields["updated_datetime"], optional=True)
        _moment(fields["expected_datetime"], optional=True)
        _degrees(fields["lat"], fields["long"])
    return root


def check_created_xml(content: bytes) -> Element:
    """A POST's answer: the request's id (or, from a server that files later, a token)."""
    root = xml_document(content, "service_requests")
    [request] = _items(root, "request")
    if _tags(request) == ["token"]:
        assert request.findtext("token")
    else:
        assert _fields(request, CREATED)["service_request_id"]
    return root


def check_errors_xml(content: bytes) -> list[tuple[int, str]]:
    root = xml_document(content, "errors")
    found = []
    for error in _items(root, "error"):
        fields = _fields(error, ERROR)
        assert (fields["code"] or "").isdigit() and fields["description"], fields
        found.append((int(fields["code"] or 0), fields["description"] or ""))
    assert found, "an empty <errors>"
    return found


def check_discovery_xml(content: bytes) -> Element:
    root = xml_document(content, "discovery")
    _fields(root, DISCOVERY)
    assert root.findtext("contact")
    endpoints = root.find("endpoints")
    assert endpoints is not None
    for endpoint in _items(endpoints, "endpoint"):
        fields = _fields(endpoint, ENDPOINT)
        assert fields["specification"] and fields["url"] and fields["type"] in ("production", "test"), fields
        formats = endpoint.find("formats")
        assert formats is not None
        assert "text/xml" in [f.text for f in _items(formats, "format")]  # XML is the spec's required format
    return root


# --- JSON ------------------------------------------------------------------------------------

TEXT: dict[str, Any] = {"type": ["string", "null"]}
NAME: dict[str, Any] = {"type": "string", "minLength": 1}
MOMENT: dict[str, Any] = {"type": "string", "pattern": ISO_MOMENT}
MAYBE_MOMENT: dict[str, Any] = {"type": ["string", "null"], "pattern": ISO_MOMENT}


def _list_of(item: dict[str, Any], *, at_least: int = 0) -> dict[str, Any]:
    return {"type": "array", "minItems": at_least, "items": item}


def _record(fields: Sequence[str], properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": list(fields), "properties": properties}


SERVICES_SCHEMA = _list_of(_record(SERVICE, {
    "service_code": NAME, "service_name": NAME, "description": TEXT, "metadata": {"type": "boolean"},
    "type": {"enum": list(SERVICE_TYPES)}, "keywords": TEXT, "group": TEXT,
}))

DEFINITION_SCHEMA = _record(DEFINITION, {
    "service_code": NAME,
    "attributes": _list_of(_record(ATTRIBUTE, {
        "variable": {"type": "boolean"}, "code": NAME, "datatype": {"enum": list(DATATYPES)},
        "required": {"type": "boolean"}, "datatype_description": TEXT, "order": {"type": "integer", "minimum": 1},
        "description": {"type": "string"}, "values": _list_of(_record(VALUE, {"key": NAME, "name": NAME})),
    })),
})

DEGREES = {"lat": (-90, 90), "long": (-180, 180)}
REQUESTS_SCHEMA = _list_of({
    **_record(REQUEST, {
        "service_request_id": NAME, "status": {"enum": list(STATUSES)}, "status_notes": TEXT, "service_name": TEXT,
        "service_code": NAME, "description": TEXT, "agency_responsible": TEXT, "service_notice": TEXT,
        "requested_datetime": MOMENT, "updated_datetime": MAYBE_MOMENT, "expected_datetime": MAYBE_MOMENT,
        "address": TEXT, "address_id": TEXT, "zipcode": TEXT, "media_url": TEXT,
        **{name: {"type": ["number", "null"], "minimum": low, "maximum": high}
           for name, (low, high) in DEGREES.items()},
    }),
    # a point is both coordinates or neither
    "anyOf": [{"properties": {"lat": {"type": "number"}, "long": {"type": "number"}}},
              {"properties": {"lat": {"type": "null"}, "long": {"type": "null"}}}],
})

CREATED_SCHEMA = _list_of({
    "type": "object",
    "anyOf": [{"required": list(CREATED)}, {"required": ["token"]}],
    "properties": {"service_request_id": NAME, "service_notice": TEXT, "account_id": TEXT, "token": NAME},
}, at_least=1)

ERRORS_SCHEMA = _list_of(_record(ERROR, {"code": {"type": "integer", "minimum": 400, "maximum": 599},
                                        "description": NAME}), at_least=1)

DISCOVERY_SCHEMA = _record(DISCOVERY, {
    "changeset": MOMENT, "contact": NAME, "key_service": TEXT,
    "endpoints": _list_of(_record(ENDPOINT, {
        "specification": NAME, "url": NAME, "changeset": MOMENT, "type": {"enum": ["production", "test"]},
        "formats": {"type": "array", "items": NAME, "contains": {"const": "text/xml"}},
    }), at_least=1),
})


def schema_errors(schema: dict[str, Any], document: Any) -> list[str]:
    """What in ``document`` the schema refuses (JSON Schema 2020-12), one line each."""
    validator = jsonschema_rs.Draft202012Validator(schema)
    return [f"{'/'.join(map(str, error.instance_path))}: {error.message}" for error in validator.iter_errors(document)]
