"""Open311 GeoReport v2 at /open311/v2: services are our categories, service requests our
complaints, filed in one unit of work through the same domain call as the chat."""

from datetime import timedelta

from complaints.taxonomy import Category, PrivacyMode, Status, Weight
from tests.api_harness import api_for
from tests.chat_harness import START

ROAD = "Dinas Sumber Daya Air dan Bina Marga"


async def stored(api, code):
    async with api.app.uow() as uow:
        return await uow.complaints.get(code)


async def count_complaints(api) -> int:
    async with api.app.uow() as uow:
        return len(await uow.complaints.find(limit=1000))


async def test_services_are_the_categories_in_indonesian(engine):
    async with api_for(engine) as api:
        response = await api.get("/open311/v2/services.json", key=None)  # reading needs no key
    assert response.status_code == 200
    services = {s["service_code"]: s for s in response.json()}
    assert set(services) == {c.value for c in Category}
    road = services["jalan"]
    assert road["service_name"] == "Jalan, Jembatan dan Trotoar"
    assert (road["metadata"], road["type"], road["group"]) == (True, "realtime", ROAD)  # its definition: privacy
    assert "jalan rusak" in road["keywords"]


async def test_a_request_filed_by_form_is_a_complaint_that_reads_back(engine):
    async with api_for(engine) as api:
        response = await api.post("/open311/v2/requests.json", key=None, data={
            "api_key": api.keys["public"],  # GeoReport v2 style: the key among the fields
            "service_code": "jalan",
            "description": "jalan depan SD bolong besar sejak 2 minggu lalu, kemarin ada yang jatuh",
            "address_string": "Kebraon",
            "lat": "-7.3312", "long": "112.7101",
            "first_name": "Sulastri", "last_name": "Wibisono", "phone": "0812 3456 7890", "email": "sulastri@contoh.id",
        })
        assert response.status_code == 201, response.text
        [created] = response.json()
        code = created["service_request_id"]
        assert code.startswith("LPR-") and code in created["service_notice"] and created["account_id"] is None

        complaint = await stored(api, code)
        assert (complaint.channel, complaint.category, complaint.status) == ("api", Category.JALAN, Status.DITERIMA)
        assert complaint.weight is Weight.BERAT  # read from the description, as the chat would
        assert complaint.event_date == (START - timedelta(days=14)).date()
        assert "Kebraon" in complaint.place.region_name and complaint.place.latitude == -7.3312
        assert (complaint.complainant.name, complaint.complainant.phone) == ("Sulastri Wibisono", "+6281234567890")
        assert complaint.privacy is PrivacyMode.BIASA and complaint.complainant.email == "sulastri@contoh.id"

        public = (await api.get(f"/open311/v2/requests/{code}.json", key=None)).json()
        staff = (await api.get(f"/open311/v2/requests/{code}.json")).json()
        listed = (await api.get("/open311/v2/requests.json", key=None)).json()
    [request] = public
    assert request["service_request_id"] == code and request["status"] == "open"
    assert (request["service_code"], request["service_name"]) == ("jalan", "Jalan, Jembatan dan Trotoar")
    assert request["agency_responsible"] == ROAD
    assert request["requested_datetime"] == "2026-11-23T09:00:00+07:00"
    assert request["expected_datetime"] == complaint.resolve_due_at.astimezone(START.tzinfo).isoformat()
    # an openly filed (biasa) complaint is published without personal data, its point to about 100 m
    assert request["description"].startswith("jalan depan SD bolong")
    assert (request["lat"], request["long"]) == (-7.331, 112.71)
    assert "Kebraon" in request["address"]
    assert staff[0]["description"].startswith("jalan depan SD") and staff[0]["lat"] == -7.3312
    assert [r["service_request_id"] for r in listed] == [code]


async def test_json_bodies_and_anonymous_reports(engine):
    async with api_for(engine) as api:
        response = await api.post("/open311/v2/requests.json", json={
            "service_code": "sampah", "description": "sampah menumpuk di TPS sudah seminggu",
            "lat": -7.29, "long": 112.73,
            "first_name": "Tidak Disimpan", "phone": "081299998888", "attribute[privacy]": "anonim",
        }, key="public")
        assert response.status_code == 201, response.text
        complaint = await stored(api, response.json()[0]["service_request_id"])
    assert complaint.privacy is PrivacyMode.ANONIM and complaint.complainant.name is None
    assert complaint.complainant.phone is None and complaint.unit_id == "dlh"


async def test_statuses_map_to_open_and_closed(engine):
    async with api_for(engine) as api:
        waiting = await api.file()
        rejected = await api.file()  # anonymous (no name): published without any text
        answered = await api.file(first_name="Budi")  # biasa: its notes are published, redacted
        assert (await api.set_status(rejected, "ditolak", note="Laporan ganda dengan LPR-7KQ3-MN.")).status_code == 200
        steps = (("didisposisikan", ""), ("diproses", "Tim sudah dijadwalkan."), ("selesai", "Sudah ditambal."))
        for status, note in steps:
            assert (await api.set_status(answered, status, note=note)).status_code == 200

        closed = (await api.get("/open311/v2/requests.json?status=closed", key=None)).json()
        opened = (await api.get("/open311/v2/requests.json?status=open", key=None)).json()
        both = (await api.get("/open311/v2/requests.json?status=open,closed", key=None)).json()
        [one] = (await api.get(f"/open311/v2/requests/{answered}.json", key=None)).json()
    assert {r["service_request_id"] for r in closed} == {rejected, answered}
    assert [r["service_request_id"] for r in opened] == [waiting]
    assert len(both) == 3
    assert one["status"] == "closed" and one["expected_datetime"] is None
    assert (one["status_notes"], one["aduan_status"]) == ("Selesai ditindaklanjuti. Sudah ditambal.", "selesai")
    [anonymous] = [r for r in closed if r["service_request_id"] == rejected]
    # its note is withheld: only the outcome is said
    assert anonymous["status_notes"] == "Ditolak (tidak dapat diproses)." and anonymous["description"] is None


async def test_filters_and_pages(engine):
    async with api_for(engine) as api:
        roads = []
        for _ in range(3):
            roads.append(await api.file(service_code="jalan"))
            api.clock.advance(hours=1)
        lights = await api.file(service_code="penerangan", description="lampu jalan di gang 5 mati semua")
        api.clock.advance(hours=1)

        by_code = (await api.get("/open311/v2/requests.json?service_code=jalan", key=None)).json()
        pages = [(await api.get(f"/open311/v2/requests.json?page_size=2&page={n}", key=None)).json() for n in (1, 2, 3)]
        window = (await api.get("/open311/v2/requests.json", key=None, params={
            "start_date": "2026-11-23T10:00:00+07:00", "end_date": "2026-11-23T11:00:00+07:00"})).json()
        chosen = (await api.get("/open311/v2/requests.json", key=None,  # codes override the other filters
                                params={"service_request_id": f"{roads[0]},{lights}", "service_code": "sampah"})).json()
        api.clock.advance(days=100)  # GeoReport v2: without dates, the last 90 days
        stale = (await api.get("/open311/v2/requests.json", key=None)).json()
        dated = (await api.get("/open311/v2/requests.json?start_date=2026-11-01T00:00:00Z", key=None)).json()
    assert [r["service_request_id"] for r in by_code] == roads[::-1]  # newest first
    assert [[r["service_request_id"] for r in page] for page in pages] == [[lights, roads[2]], [roads[1], roads[0]], []]
    assert [r["service_request_id"] for r in window] == [roads[2], roads[1]]
    assert {r["service_request_id"] for r in chosen} == {roads[0], lights}
    assert stale == [] and len(dated) == 4


async def test_bad_requests_get_the_open311_error_list_and_store_nothing(engine):
    async with api_for(engine) as api:
        url = "/open311/v2/requests.json"
        form = {"service_code": "jalan", "description": "jalan berlubang", "address_string": "Kebraon"}
        cases = {
            "no key": await api.post(url, key=None, data=form),
            "revoked or unknown key": await api.post(url, key=None, data={**form, "api_key": "aduan_tebakan"}),
            "unknown service": await api.post(url, data={**form, "service_code": "parkir"}),
            "no place": await api.post(url, data={**form, "address_string": ""}),
            "bad point": await api.post(url, data={**form, "lat": "91", "long": "0"}),
            "no description": await api.post(url, data={**form, "description": "??"}),
            "confidential without a name": await api.post(url, data={**form, "attribute[privacy]": "rahasia"}),
            "bad phone": await api.post(url, data={**form, "first_name": "Budi", "phone": "12"}),
            "not a form": await api.post(url, content=b"<xml/>", headers={"Content-Type": "application/xml"}),
            "too large": await api.post(url, data={**form, "description": "jalan rusak " * 10_000}),
            "bad filter": await api.get(url + "?status=pending", key=None),
            "bad date": await api.get(url + "?start_date=kemarin", key=None),
            "unknown code": await api.get("/open311/v2/requests/LPR-7KQ3-MN.json", key=None),
        }
        assert await count_complaints(api) == 0
    statuses = {name: r.status_code for name, r in cases.items()}
    assert statuses == {
        "no key": 403, "revoked or unknown key": 403, "unknown service": 404, "no place": 400, "bad point": 400,
        "no description": 400, "confidential without a name": 400, "bad phone": 400, "not a form": 415, "too large": 413,
        "bad filter": 400, "bad date": 400, "unknown code": 404,
    }
    for name, response in cases.items():
        [error] = response.json()
        assert error["code"] == response.status_code and error["description"], name
    assert "parkir" in cases["unknown service"].json()[0]["description"]  # GeoReport v2: 404, and 403 for keys
    assert "Kunci API" in cases["no key"].json()[0]["description"]


async def test_dates_are_iso_and_coordinates_are_numbers(engine):
    """Schemathesis findings: start_date=0.5 was read as a Unix time, "long": false as 0."""
    async with api_for(engine) as api:
        unix = await api.get("/open311/v2/requests.json?start_date=0.5", key=None)
        iso = await api.get("/open311/v2/requests.json?start_date=2026-11-01&end_date=2026-11-30T23:59:59%2B07:00",
                            key=None)
        boolean = await api.post("/open311/v2/requests.json", key="public", json={
            "service_code": "jalan", "description": "jalan berlubang di depan pasar", "lat": -7.29, "long": False})
        async with api.app.uow() as uow:
            filed = await uow.complaints.find(limit=10)
    assert unix.status_code == 400 and "start_date" in unix.json()[0]["description"]
    assert iso.status_code == 200
    assert boolean.status_code == 400 and "long" in boolean.json()[0]["description"] and filed == []
