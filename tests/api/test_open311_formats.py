"""Open311's two formats, service definitions, discovery and CORS: every GeoReport v2
endpoint answers in JSON and in XML shaped as the spec's examples, with the same data;
errors on an .xml URL are XML; content types say charset=utf-8; browser pages of the
configured origins may read (GET), never file (POST)."""

from xml.etree.ElementTree import Element, fromstring

import pytest
from pydantic import ValidationError

from aduan.settings import Settings
from complaints.taxonomy import Category
from tests.api_harness import api_for

JSON = "application/json; charset=utf-8"
XML = "text/xml; charset=utf-8"
V2 = "/open311/v2"
# GeoReport v2's fields of a service request, in the spec's order (extensions may be among them)
REQUEST_FIELDS = ["service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"]
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
ATTRIBUTE_FIELDS = ["variable", "code", "datatype", "required", "datatype_description", "order", "description",
                    "values"]
MAP_PAGE = "https://peta.example.go.id"


def parsed(response) -> Element:
    assert response.headers["content-type"] == XML, response.text
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return fromstring(response.content)


def as_text(value) -> str | None:
    """A JSON value as the XML writes it: empty is an empty element."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def flat(element: Element) -> dict[str, str | None]:
    return {child.tag: child.text for child in element}


def in_order(names: list[str], expected: list[str]) -> bool:
    """``expected`` are all in ``names``, in that order (extension fields may be among them)."""
    return [name for name in names if name in expected] == expected


def errors_of(response) -> list[tuple[str | None, str | None]]:
    root = parsed(response)
    assert root.tag == "errors" and [e.tag for e in root] == ["error"]
    return [(error.findtext("code"), error.findtext("description")) for error in root]


async def test_services_are_the_same_in_json_and_xml(engine):
    async with api_for(engine) as api:
        as_json = await api.get(f"{V2}/services.json", key=None)
        as_xml = await api.get(f"{V2}/services.xml", key=None)
    assert as_json.headers["content-type"] == JSON
    root = parsed(as_xml)
    assert root.tag == "services" and {child.tag for child in root} == {"service"}
    for service, expected in zip(root, as_json.json(), strict=True):
        assert [child.tag for child in service] == SERVICE_FIELDS
        assert flat(service) == {name: as_text(value) for name, value in expected.items()}
    assert {s["service_code"] for s in as_json.json()} == {c.value for c in Category}
    assert {s.findtext("metadata") for s in root} == {"true"}  # every service has a definition


async def test_a_request_filed_as_xml_reads_back_the_same_in_both_formats(engine):
    async with api_for(engine) as api:
        filed = await api.post(f"{V2}/requests.xml", key=None, data={
            "api_key": api.keys["public"], "service_code": "jalan",
            "description": "jalan depan pasar berlubang, motor sering jatuh", "address_string": "Kebraon",
            "first_name": "Sulastri", "phone": "0812 3456 7890", "attribute[privacy]": "rahasia",
        })
        assert filed.status_code == 201, filed.text
        root = parsed(filed)
        assert root.tag == "service_requests" and [r.tag for r in root] == ["request"]
        [request] = root
        assert [child.tag for child in request] == ["service_request_id", "service_notice", "account_id"]
        code = request.findtext("service_request_id")
        assert code and code.startswith("LPR-") and code in (request.findtext("service_notice") or "")
        assert flat(request)["account_id"] is None  # an empty element
        await api.file(service_code="sampah", description="sampah menumpuk di TPS sudah seminggu")

        pairs = []
        for key in (None, "admin"):  # the public reading and the staff one
            for path in (f"{V2}/requests/{code}", f"{V2}/requests"):
                as_json = await api.get(f"{path}.json", key=key)
                as_xml = await api.get(f"{path}.xml", key=key)
                assert as_json.status_code == as_xml.status_code == 200
                pairs.append((as_json, parsed(as_xml)))
    for as_json, root in pairs:
        assert as_json.headers["content-type"] == JSON
        assert root.tag == "service_requests" and len(root) == len(as_json.json()) >= 1
        for element, expected in zip(root, as_json.json(), strict=True):
            assert element.tag == "request" and in_order([child.tag for child in element], REQUEST_FIELDS)
            assert flat(element) == {name: as_text(value) for name, value in expected.items()}
    listed = pairs[1][1]
    assert code in [r.findtext("service_request_id") for r in listed]
    requested = listed[0].findtext("requested_datetime") or ""
    assert requested.endswith("+07:00") and "T" in requested  # ISO 8601 with its offset


async def test_errors_on_an_xml_url_are_xml(engine):
    async with api_for(engine) as api:
        missing = await api.get(f"{V2}/requests/LPR-AAAA-AA.xml", key=None)
        bad_status = await api.get(f"{V2}/requests.xml", key=None, params={"status": "hilang"})
        no_key = await api.post(f"{V2}/requests.xml", key=None, data={"service_code": "jalan"})
        nowhere = await api.get(f"{V2}/tidak-ada.xml", key=None)
        wrong_method = await api.http.delete(f"{V2}/services.xml")
        too_large = await api.post(f"{V2}/requests.xml", key="public", content=b"a" * (128 * 1024),
                                   headers={"Content-Type": "application/x-www-form-urlencoded"})
        as_json = await api.get(f"{V2}/requests/LPR-AAAA-AA.json", key=None)
    assert errors_of(missing)[0][0] == "404" and "LPR-AAAA-AA" in (errors_of(missing)[0][1] or "")
    assert (bad_status.status_code, errors_of(bad_status)[0][0]) == (400, "400")
    assert no_key.status_code in (401, 403) and errors_of(no_key)[0][0] == str(no_key.status_code)
    assert errors_of(nowhere)[0][0] == "404"
    assert errors_of(wrong_method)[0][0] == "405" and "GET" in wrong_method.headers["allow"]
    assert errors_of(too_large)[0][0] == "413"  # refused by the server before the route reads it
    for response in (missing, bad_status, no_key, nowhere, too_large):
        assert response.status_code == int(errors_of(response)[0][0] or 0)
    assert as_json.headers["content-type"] == JSON
    assert as_json.json() == [{"code": 404, "description": errors_of(missing)[0][1]}]


async def test_a_service_definition_offers_the_privacy_choice(engine):
    async with api_for(engine) as api:
        as_json = await api.get(f"{V2}/services/jalan.json", key=None)
        as_xml = await api.get(f"{V2}/services/jalan.xml", key=None)
        unknown = await api.get(f"{V2}/services/kuliner.json", key=None)
        unknown_xml = await api.get(f"{V2}/services/kuliner.xml", key=None)
    assert as_json.headers["content-type"] == JSON
    definition = as_json.json()
    assert definition["service_code"] == "jalan"
    [privacy] = definition["attributes"]
    assert (privacy["code"], privacy["datatype"], privacy["required"], privacy["variable"]) == (
        "privacy", "singlevaluelist", False, True)
    assert [value["key"] for value in privacy["values"]] == ["biasa", "rahasia", "anonim"]
    assert privacy["values"][1]["name"].startswith("Rahasia")

    root = parsed(as_xml)
    assert root.tag == "service_definition" and [c.tag for c in root] == ["service_code", "attributes"]
    [attribute] = root.find("attributes") or []
    assert attribute.tag == "attribute" and [c.tag for c in attribute] == ATTRIBUTE_FIELDS
    assert (attribute.findtext("code"), attribute.findtext("required"), attribute.findtext("order")) == (
        "privacy", "false", "1")
    values = attribute.find("values")
    assert values is not None and {v.tag for v in values} == {"value"}
    assert [(v.findtext("key"), v.findtext("name")) for v in values] == [
        (value["key"], value["name"]) for value in privacy["values"]]

    assert unknown.status_code == 404 and unknown.json()[0]["code"] == 404
    assert "kuliner" in unknown.json()[0]["description"]
    assert unknown_xml.status_code == 404 and errors_of(unknown_xml)[0][0] == "404"


async def test_discovery_in_both_formats(engine):
    async with api_for(engine) as api:
        as_json = await api.get("/open311/discovery.json", key=None)
        as_xml = await api.get("/open311/discovery.xml", key=None)
    assert as_json.status_code == 200 and as_json.headers["content-type"] == JSON
    document = as_json.json()
    [endpoint] = document["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://127.0.0.1:8080/open311/v2" and endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert document["changeset"].endswith("+07:00") and document["contact"] and document["key_service"]

    root = parsed(as_xml)
    assert root.tag == "discovery" and [c.tag for c in root] == ["changeset", "contact", "key_service", "endpoints"]
    assert flat(root) | {"endpoints": None} == {name: as_text(value) for name, value in document.items()} | {
        "endpoints": None}
    endpoints = root.find("endpoints")
    assert endpoints is not None and [e.tag for e in endpoints] == ["endpoint"]
    [xml_endpoint] = endpoints
    assert xml_endpoint.findtext("url") == endpoint["url"]
    assert [f.text for f in xml_endpoint.iterfind("formats/format")] == endpoint["formats"]


async def test_pages_of_configured_origins_may_read_but_not_file(engine, monkeypatch):
    monkeypatch.setenv("ADUAN_CORS_ORIGINS", f"{MAP_PAGE}, http://localhost:3000")
    async with api_for(engine) as api:
        code = await api.file()
        allowed = await api.get(f"{V2}/requests.json", key=None, headers={"Origin": MAP_PAGE})
        as_xml = await api.get(f"{V2}/requests/{code}.xml", key=None, headers={"Origin": MAP_PAGE})
        discovery = await api.get("/open311/discovery.json", key=None, headers={"Origin": MAP_PAGE})
        other = await api.get(f"{V2}/requests.json", key=None, headers={"Origin": "https://lain.example.com"})
        posted = await api.post(f"{V2}/requests.json", key="public", headers={"Origin": MAP_PAGE}, data={
            "service_code": "jalan", "description": "lampu jalan mati", "address_string": "Kebraon"})
        staff_api = await api.get("/api/v1/complaints", headers={"Origin": MAP_PAGE})
        preflight = await api.http.options(f"{V2}/requests.json", headers={
            "Origin": MAP_PAGE, "Access-Control-Request-Method": "GET"})
        preflight_post = await api.http.options(f"{V2}/requests.json", headers={
            "Origin": MAP_PAGE, "Access-Control-Request-Method": "POST"})
    for response in (allowed, as_xml, discovery):
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == MAP_PAGE
        assert "access-control-allow-credentials" not in response.headers
    assert {"x-total-count", "link"} <= set(allowed.headers["access-control-expose-headers"].lower().split(", "))
    assert "access-control-allow-origin" not in other.headers and other.status_code == 200
    assert posted.status_code == 201 and "access-control-allow-origin" not in posted.headers
    assert staff_api.status_code == 200 and "access-control-allow-origin" not in staff_api.headers
    assert preflight.status_code == 200 and preflight.headers["access-control-allow-origin"] == MAP_PAGE
    assert "POST" not in preflight.headers["access-control-allow-methods"]
    assert "access-control-allow-credentials" not in preflight.headers
    assert "access-control-allow-origin" not in preflight_post.headers


async def test_no_cors_without_configured_origins(engine, monkeypatch):
    monkeypatch.delenv("ADUAN_CORS_ORIGINS", raising=False)
    async with api_for(engine) as api:
        response = await api.get(f"{V2}/services.json", key=None, headers={"Origin": MAP_PAGE})
    assert response.status_code == 200 and "access-control-allow-origin" not in response.headers


def test_cors_origins_are_origins():
    assert Settings(cors_origins="https://peta.example.go.id/, *").cors_origin_list == [MAP_PAGE, "*"]
    assert Settings(cors_origins="").cors_origin_list == []
    for bad in ("peta.example.go.id", "https://peta.example.go.id/api", "ftp://peta.example.go.id"):
        with pytest.raises(ValidationError):
            Settings(cors_origins=bad)
