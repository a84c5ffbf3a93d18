"""Real GeoReport v2 clients against a running server (issue 19), on SQLite and PostgreSQL.

The server is the one ``aduan serve`` runs (aduan.http.server_config: the body limit,
no-store, the rate limiter of the settings), on a free port of 127.0.0.1, in a thread with
its own event loop that also owns the database engine; the test talks to it over HTTP only.

- The ``georeport`` client (PyPI) in JSON and in XML mode lists services, reads a service's
  definition, files a request (georeport 0.3.1 has no POST: :class:`GeoReportClient` adds
  one written as its reads are), lists requests and reads one back.
- Every live response, in both formats, has the spec's shape (tests/api/open311_spec.py:
  XML element names and order, a JSON schema written from the spec).
- What FixMyStreet does (perllib/Open311.pm, Open311/GetServiceRequests.pm): it posts to
  ``requests.xml`` with the key in the form and re-sends a POST it thinks failed; it fetches
  ``requests.xml`` for a time window, skips a request without lat/long and maps ``closed``
  to "fixed - council".
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import pytest
import requests
import uvicorn
import xmltodict
from georeport import GeoReport

from aduan.bootstrap import App
from aduan.http import server_config
from complaints.taxonomy import Category
from storage.database import create_engine
from storage.migrate import upgrade
from tests.api import open311_spec as spec
from tests.api_harness import KEYS, add_key
from tests.chat_harness import START, Clock, make_app

T = TypeVar("T")
POINT = {"lat": "-7.331234", "long": "112.710567"}  # Kebraon, a road
ROUNDED = (-7.331, 112.711)  # the public's point: 3 decimals, about 110 m
PERSON = {"first_name": "Bambang", "last_name": "Hartono", "phone": "0812 3456 7890", "email": "bambang@contoh.id"}
JURISDICTION = "surabaya.go.id"  # sent as jurisdiction_id, as FixMyStreet and georeport do when configured
STARTUP_SECONDS = 15


@dataclass
class Live:
    """A running server and the loop that owns its database."""

    url: str
    app: App
    loop: asyncio.AbstractEventLoop
    keys: dict[str, str] = field(default_factory=dict)

    @property
    def endpoint(self) -> str:
        return f"{self.url}/open311/v2"

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        """``work`` on the server's loop (the engine belongs to it)."""
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(STARTUP_SECONDS)

    def complaint_count(self) -> int:
        async def count() -> int:
            async with self.app.uow() as uow:
                return len(await uow.complaints.find(limit=1000))

        return self.run(count())

    def get(self, path: str, key: str | None = None, **params: str) -> requests.Response:
        headers = {"X-API-Key": self.keys[key]} if key else {}
        return requests.get(f"{self.url}{path}", params=params, headers=headers, timeout=10)

    def post(self, path: str, form: dict[str, str], key: str | None = "public") -> requests.Response:
        data = {**form, "api_key": self.keys[key]} if key else form
        return requests.post(f"{self.url}{path}", data=data, timeout=10)

    def set_status(self, code: str, status: str, note: str) -> None:
        response = requests.post(f"{self.url}/api/v1/complaints/{code}/status", json={"status": status, "note": note},
                                 headers={"X-API-Key": self.keys["admin"]}, timeout=10)
        assert response.status_code == 200, response.text


@pytest.fixture
def live(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Live]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")  # requests (georeport's HTTP) would honour a proxy
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    monkeypatch.delenv("GEOREPORT_API_KEY", raising=False)  # georeport's default key: none here
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.bind(("127.0.0.1", 0))
    listening.listen(64)
    port = listening.getsockname()[1]
    ready: dict[str, Any] = {}
    prepared = threading.Event()

    async def serve() -> None:
        engine = create_engine(database_url)
        try:
            await upgrade(engine)
            app = await make_app(engine)
            app = replace(app, settings=app.settings.model_copy(update={"http_port": port}))
            keys = {name: (await add_key(app, scope, officer, name))[1] for name, (scope, officer) in KEYS.items()}
            server = uvicorn.Server(server_config(app, clock=Clock()))  # as aduan serve, at a fixed time
            ready.update(server=server, app=app, keys=keys, loop=asyncio.get_running_loop())
            prepared.set()  # the socket listens already: a request waits in its backlog until served
            await server.serve(sockets=[listening])  # no signal handlers: not the main thread
        finally:
            await engine.dispose()

    def thread_main() -> None:
        try:
            asyncio.run(serve())
        except BaseException as error:  # shown by the fixture, not lost in the thread
            ready["error"] = error
            prepared.set()

    thread = threading.Thread(target=thread_main, name="aduan-serve", daemon=True)
    thread.start()
    assert prepared.wait(STARTUP_SECONDS), "the server did not start"
    assert "error" not in ready, ready.get("error")
    try:
        yield Live(f"http://127.0.0.1:{port}", ready["app"], ready["loop"], ready["keys"])
    finally:
        ready["server"].should_exit = True
        thread.join(STARTUP_SECONDS)
        listening.close()
        assert "error" not in ready, ready["error"]


class GeoReportClient(GeoReport):
    """georeport 0.3.1 reads (services, definitions, requests) and has no POST: this one is
    written as its reads are (``requests``, the client's format, ``xmltodict``), with the
    key and the jurisdiction in the form as GeoReport v2 says."""

    def post_service_request(self, **fields: str) -> dict[str, Any]:
        data = {**fields, "api_key": self.api_key or ""}
        if self.jurisdiction:
            data["jurisdiction_id"] = self.jurisdiction
        response = requests.post(f"{self.root_address}/requests.{self.output_format}", data=data, timeout=10)
        response.raise_for_status()
        if self.output_format == "json":
            created: dict[str, Any] = response.json()[0]
            return created
        return dict(xmltodict.parse(response.content)["service_requests"]["request"])


def as_list(value: Any) -> list[Any]:
    """xmltodict reads one child as a dict and several as a list (georeport passes it on)."""
    return value if isinstance(value, list) else [value]


def as_text(value: Any) -> str | None:
    """A JSON value as the XML writes it (and xmltodict reads it)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def texts_of(record: dict[str, Any]) -> dict[str, str | None]:
    return {name: as_text(value) for name, value in record.items()}


def xml_definition(read: dict[str, Any]) -> dict[str, Any]:
    """A definition as georeport reads it in XML, in the JSON's shape."""
    attributes = as_list((read["attributes"] or {}).get("attribute", []))
    return {"service_code": read["service_code"], "attributes": [
        {**attribute, "values": as_list((attribute.get("values") or {}).get("value", []))} for attribute in attributes]}


def definition_texts(definition: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**texts_of({k: v for k, v in a.items() if k != "values"}), "values": [texts_of(v) for v in a["values"]]}
            for a in definition["attributes"]]


def point(request: dict[str, Any]) -> tuple[float, float] | None:
    return None if request["lat"] is None else (float(request["lat"]), float(request["long"]))


def test_georeport_lists_files_and_reads_back_in_json_and_xml(live: Live) -> None:
    clients = {fmt: GeoReportClient(live.endpoint, jurisdiction=JURISDICTION, api_key=live.keys["public"],
                                    output_format=fmt) for fmt in ("json", "xml")}
    services = {fmt: client.get_service_list() for fmt, client in clients.items()}
    definitions = {fmt: client.get_service_definition("jalan") for fmt, client in clients.items()}
    filed = {fmt: client.post_service_request(service_code="jalan", description=f"jalan berlubang besar ({fmt})",
                                              address_string="Jl. Kebraon II", **POINT, **PERSON)
             for fmt, client in clients.items()}
    codes = {fmt: created["service_request_id"] for fmt, created in filed.items()}
    listed = {fmt: as_list(client.get_service_requests()) for fmt, client in clients.items()}
    chosen = {fmt: as_list(client.get_service_requests(service_request_id=codes[fmt], status="open",
                                                        service_code="jalan"))
              for fmt, client in clients.items()}
    read = {(fmt, code_fmt): client.get_service_request(codes[code_fmt])
            for fmt, client in clients.items() for code_fmt in codes}

    assert {s["service_code"] for s in services["json"]} == {c.value for c in Category}
    assert [texts_of(s) for s in services["json"]] == services["xml"]  # the same data in both formats
    assert {s["metadata"] for s in services["xml"]} == {"true"}
    assert [a["code"] for a in definitions["json"]["attributes"]] == ["privacy"]
    assert [v["key"] for v in definitions["json"]["attributes"][0]["values"]] == ["biasa", "rahasia", "anonim"]
    assert definition_texts(definitions["json"]) == definition_texts(xml_definition(definitions["xml"]))
    assert codes["json"] != codes["xml"] and all(code.startswith("LPR-") for code in codes.values())
    assert all(code in (filed[fmt]["service_notice"] or "") for fmt, code in codes.items())
    assert live.complaint_count() == 2
    for fmt in clients:
        assert {r["service_request_id"] for r in listed[fmt]} == set(codes.values())
        assert [r["service_request_id"] for r in chosen[fmt]] == [codes[fmt]]
    for (_, code_fmt), request in read.items():
        assert request["service_request_id"] == codes[code_fmt]
        assert (request["service_code"], request["status"], request["aduan_status"]) == ("jalan", "open", "diterima")
        assert point(request) == ROUNDED  # georeport reads without a key: the public's view
        assert "Bambang" not in str(request) and "contoh.id" not in str(request)
    for code_fmt in codes:  # the same request, read in JSON and in XML
        assert texts_of(read["json", code_fmt]) == read["xml", code_fmt]
    assert [texts_of(r) for r in listed["json"]] == listed["xml"]


def test_georeport_sees_the_specs_errors(live: Live) -> None:
    for fmt in ("json", "xml"):
        client = GeoReportClient(live.endpoint, output_format=fmt)  # no key
        with pytest.raises(requests.HTTPError) as unknown:
            client.get_service_definition("jalan-tol")
        with pytest.raises(requests.HTTPError) as keyless:
            client.post_service_request(service_code="jalan", description="jalan berlubang", **POINT)
        with pytest.raises(requests.HTTPError) as missing:
            client.get_service_request("LPR-AAAA-AA")
        with pytest.raises(requests.HTTPError) as wrong_key:
            GeoReportClient(live.endpoint, api_key="ak_bukan-kunci", output_format=fmt).post_service_request(
                service_code="jalan", description="jalan berlubang", **POINT)
        got = [error.value.response for error in (unknown, keyless, missing, wrong_key)]
        assert [r.status_code for r in got] == [404, 403, 404, 403]
        for response in got:
            if fmt == "xml":
                assert spec.check_errors_xml(response.content)[0][0] == response.status_code
            else:
                assert spec.schema_errors(spec.ERRORS_SCHEMA, response.json()) == []
    assert live.complaint_count() == 0


def test_every_live_response_has_the_specs_shape(live: Live) -> None:
    road = live.post("/open311/v2/requests.xml", {"service_code": "jalan", "description": "aspal jalan mengelupas",
                                                  **POINT, **PERSON})
    secret = live.post("/open311/v2/requests.json", {"service_code": "jalan", "description": "lampu jalan mati",
                                                     "attribute[privacy]": "rahasia", **POINT, **PERSON})
    assert (road.status_code, secret.status_code) == (201, 201)
    spec.check_created_xml(road.content)
    assert spec.schema_errors(spec.CREATED_SCHEMA, secret.json()) == []
    code = secret.json()[0]["service_request_id"]
    live.set_status(code, "ditolak", "Laporan ganda.")
    documents = {
        "/open311/v2/services": (spec.check_services_xml, spec.SERVICES_SCHEMA),
        "/open311/v2/services/jalan": (spec.check_definition_xml, spec.DEFINITION_SCHEMA),
        "/open311/v2/requests": (spec.check_requests_xml, spec.REQUESTS_SCHEMA),
        f"/open311/v2/requests/{code}": (spec.check_requests_xml, spec.REQUESTS_SCHEMA),
        "/open311/discovery": (spec.check_discovery_xml, spec.DISCOVERY_SCHEMA),
    }
    for path, (check_xml, schema) in documents.items():
        for key in (None, "admin"):  # the public's view and the staff one
            as_xml, as_json = live.get(f"{path}.xml", key), live.get(f"{path}.json", key)
            assert (as_xml.status_code, as_json.status_code) == (200, 200), path
            assert (as_xml.headers["content-type"], as_json.headers["content-type"]) == (spec.XML_TYPE, spec.JSON_TYPE)
            check_xml(as_xml.content)
            assert spec.schema_errors(schema, as_json.json()) == [], path
    listed = live.get("/open311/v2/requests.json").json()
    assert len(listed) == 2 and {r["status"] for r in listed} == {"open", "closed"}
    empty = live.get("/open311/v2/requests.xml", status="closed", service_code="sampah")
    assert len(spec.check_requests_xml(empty.content)) == 0  # <service_requests/>, as the spec writes none
    discovery = live.get("/open311/discovery.json").json()
    assert discovery["endpoints"][0]["url"] == live.endpoint  # a client may start from discovery alone
    failures = {  # name: (method, path, parameters, the spec's status)
        "no key": ("post", "/open311/v2/requests", {}, 403),
        "unknown service": ("get", "/open311/v2/services/jalan-tol", {}, 404),
        "unknown request": ("get", "/open311/v2/requests/LPR-AAAA-AA", {}, 404),
        "bad status": ("get", "/open311/v2/requests", {"status": "hilang"}, 400),
    }
    for name, (method, path, params, expected) in failures.items():
        for fmt in ("xml", "json"):
            if method == "post":
                response = live.post(f"{path}.{fmt}", {"service_code": "jalan", "description": "jalan"}, key=None)
            else:
                response = live.get(f"{path}.{fmt}", **params)
            assert response.status_code == expected, (name, fmt, response.text)
            if fmt == "xml":
                assert [code for code, _ in spec.check_errors_xml(response.content)] == [expected], name
            else:
                assert spec.schema_errors(spec.ERRORS_SCHEMA, response.json()) == [], name
                assert [error["code"] for error in response.json()] == [expected], name


def fixmystreet_state(status: str) -> str:
    """Open311.pm's map_state (without a body's extended statuses)."""
    states = {"fixed": "fixed - council", "not councils responsibility": "not responsible",
              "no further action": "unable to fix", "open": "confirmed", "closed": "fixed - council"}
    incoming = status.lower().replace("_", " ")
    return states.get(incoming, incoming)


def test_what_fixmystreet_reads(live: Live) -> None:
    def send(**form: str) -> str:
        """Open311.pm's send_service_request: requests.xml, the key and jurisdiction in the form."""
        response = live.post("/open311/v2/requests.xml", {"jurisdiction_id": JURISDICTION, **form})
        assert response.status_code == 201, response.text
        return str(xmltodict.parse(response.content)["service_requests"]["request"]["service_request_id"])

    road = send(service_code="jalan", description="jalan depan pasar berlubang", **POINT, **PERSON)
    again = send(service_code="jalan", description="jalan depan pasar berlubang", **POINT, **PERSON)
    secret = send(service_code="jalan", description="lampu jalan mati", **POINT, **PERSON,
                  **{"attribute[privacy]": "rahasia"})
    papers = send(service_code="adminduk", description="KTP elektronik saya belum jadi", **POINT, **PERSON)
    rejected = send(service_code="drainase", description="saluran air mampet di gang", **POINT, **PERSON)
    assert again == road and live.complaint_count() == 4  # a re-sent POST files nothing new
    live.set_status(rejected, "ditolak", "Di luar kewenangan Pemerintah Kota.")

    window = {"start_date": (START.replace(hour=8)).isoformat(), "end_date": (START.replace(hour=10)).isoformat()}
    fetched = live.get("/open311/v2/requests.xml", jurisdiction_id=JURISDICTION, **window)
    assert fetched.status_code == 200, fetched.text
    spec.check_requests_xml(fetched.content)
    requests_ = as_list(xmltodict.parse(fetched.content)["service_requests"]["request"])
    on_map = {r["service_request_id"]: r for r in requests_ if r["service_request_id"] and r["lat"] and r["long"]}

    assert {r["service_request_id"] for r in requests_} == {road, secret, papers, rejected}
    assert set(on_map) == {road, rejected}  # rahasia, and a person's own affairs: no point, not imported
    assert point(on_map[road]) == point(on_map[rejected]) == ROUNDED
    assert all(r["updated_datetime"] for r in on_map.values())  # FixMyStreet skips one without it
    assert fixmystreet_state(on_map[road]["status"]) == "confirmed"
    # stock FixMyStreet shows every closed request as fixed; the outcome is in our extension and the note
    assert fixmystreet_state(on_map[rejected]["status"]) == "fixed - council"
    assert on_map[rejected]["aduan_status"] == "ditolak"
    assert (on_map[rejected]["status_notes"] or "").startswith("Ditolak")


SPEC_REQUEST = {  # the spec's GET requests example, in its order (values of our own)
    "service_request_id": "638344", "status": "closed", "status_notes": "Duplicate request.",
    "service_name": "Sidewalk and Curb Issues", "service_code": "006", "description": None,
    "agency_responsible": None, "service_notice": None, "requested_datetime": "2010-04-14T06:37:38-08:00",
    "updated_datetime": "2010-04-14T06:37:38-08:00", "expected_datetime": "2010-04-15T06:37:38-08:00",
    "address": "8TH AVE and JUDAH ST", "address_id": "545483", "zipcode": "94122", "lat": 37.762221815,
    "long": -122.4651145, "media_url": "http://city.gov.s3.amazonaws.com/requests/media/638344.jpg",
}


def spec_xml(root: str, item: str, records: list[dict[str, Any]]) -> bytes:
    body = "".join(f"<{item}>" + "".join(f"<{k}>{as_text(v) or ''}</{k}>" for k, v in r.items()) + f"</{item}>"
                   for r in records)
    return f'<?xml version="1.0" encoding="utf-8"?><{root}>{body}</{root}>'.encode()


def test_the_checks_take_the_specs_examples_and_refuse_what_differs() -> None:
    """The checks themselves: the spec's own example passes, a field out of order, a field
    missing, a string for a coordinate or one coordinate alone do not."""
    spec.check_requests_xml(spec_xml("service_requests", "request", [SPEC_REQUEST]))
    assert spec.schema_errors(spec.REQUESTS_SCHEMA, [SPEC_REQUEST]) == []
    swapped = dict(reversed(list(SPEC_REQUEST.items())))
    missing = {k: v for k, v in SPEC_REQUEST.items() if k != "updated_datetime"}
    for wrong in (swapped, missing, {**SPEC_REQUEST, "lat": None}, {**SPEC_REQUEST, "status": "pending"}):
        with pytest.raises(AssertionError):
            spec.check_requests_xml(spec_xml("service_requests", "request", [wrong]))
    for wrong in (missing, {**SPEC_REQUEST, "lat": "37.76"}, {**SPEC_REQUEST, "long": None},
                  {**SPEC_REQUEST, "requested_datetime": "2010-04-14 06:37"}):
        assert spec.schema_errors(spec.REQUESTS_SCHEMA, [wrong]) != []
    service = {"service_code": "001", "service_name": "Cans left out 24x7", "description": "Garbage or recycling",
               "metadata": True, "type": "realtime", "keywords": "lorem, ipsum", "group": "sanitation"}
    spec.check_services_xml(spec_xml("services", "service", [service]))
    assert spec.schema_errors(spec.SERVICES_SCHEMA, [service]) == []
    assert spec.schema_errors(spec.SERVICES_SCHEMA, [{**service, "metadata": "true"}]) != []
    with pytest.raises(AssertionError):
        spec.check_services_xml(spec_xml("services", "service", [{**service, "metadata": "yes"}]))
    with pytest.raises(AssertionError):
        spec.check_errors_xml(spec_xml("errors", "error", [{"description": "x", "code": 403}]))
