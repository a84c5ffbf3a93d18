"""What an Open311 call accepts, as GeoReport v2 says: lists of up to 1,000 requests with a
total and pages, empty parameters read as absent, 403 for a missing or unknown key, 404 for
an unknown service, the 4,000-character description, media_url and address_id kept, and a
re-sent POST answered with the first one's code instead of a second complaint. On SQLite
and PostgreSQL."""

import asyncio
from urllib.parse import parse_qs, urlsplit

from tests.api_harness import api_for

URL = "/open311/v2/requests.json"
FORM = {"service_code": "jalan", "description": "jalan depan gang 5 berlubang besar", "address_string": "Kebraon"}


async def codes_in_database(api) -> list[str]:
    async with api.app.uow() as uow:
        return [complaint.code for complaint in await uow.complaints.find(limit=1000)]


def next_page(response) -> int | None:
    link = response.headers.get("link")
    if link is None:
        return None
    url, rel = link.split(";")
    assert rel.strip() == 'rel="next"' and url.startswith("<") and url.endswith(">")
    return int(parse_qs(urlsplit(url[1:-1]).query)["page"][0])


async def test_a_list_of_sixty_comes_back_whole_with_its_total_and_pages_on_request(engine):
    async with api_for(engine) as api:
        filed = [await api.file(description=f"jalan rusak di gang {n}") for n in range(60)]
        whole = await api.get(URL, key=None)
        pages = [await api.get(URL, key=None, params={"page": n, "page_size": 25}) for n in (1, 2, 3)]
        largest = await api.get(URL, key=None, params={"page_size": 1000})
        too_large = await api.get(URL, key=None, params={"page_size": 1001})
        one = await api.get(URL, key=None, params={"service_request_id": f"{filed[0]},{filed[1]}"})
    assert whole.status_code == 200 and len(whole.json()) == 60
    assert {r["service_request_id"] for r in whole.json()} == set(filed)
    assert whole.headers["x-total-count"] == "60" and next_page(whole) is None
    assert [len(page.json()) for page in pages] == [25, 25, 10]
    assert [page.headers["x-total-count"] for page in pages] == ["60"] * 3
    assert [next_page(page) for page in pages] == [2, 3, None]
    assert [r["service_request_id"] for page in pages for r in page.json()] == filed[::-1]  # newest first
    assert "api_key" not in pages[0].headers["link"]
    assert len(largest.json()) == 60 and too_large.status_code == 400
    assert one.headers["x-total-count"] == "2" and len(one.json()) == 2


async def test_an_empty_parameter_is_an_absent_one(engine):
    async with api_for(engine) as api:
        road = await api.file()
        empty = "status=&service_code=&start_date=&end_date=&service_request_id=&page=&page_size="
        everything = await api.get(f"{URL}?{empty}", key=None)
        blank_status = await api.get(f"{URL}?status=%20&service_code=jalan", key=None)
        as_xml = await api.get(f"/open311/v2/requests.xml?{empty}", key=None)
        still_checked = await api.get(f"{URL}?status=pending&service_code=", key=None)
    assert everything.status_code == 200, everything.text
    assert [r["service_request_id"] for r in everything.json()] == [road]
    assert [r["service_request_id"] for r in blank_status.json()] == [road]
    assert as_xml.status_code == 200 and road in as_xml.text
    assert still_checked.status_code == 400 and "status" in still_checked.json()[0]["description"]


async def test_a_missing_or_unknown_key_is_403_and_an_unknown_service_404(engine):
    async with api_for(engine) as api:
        cases = {
            "no key": await api.post(URL, key=None, data=FORM),
            "empty key field": await api.post(URL, key=None, data={**FORM, "api_key": ""}),
            "unknown key": await api.post(URL, key=None, data={**FORM, "api_key": "aduan_tebakan"}),
            "unknown key header": await api.post(URL, key=None, data=FORM, headers={"X-API-Key": "aduan_tebakan"}),
            "unknown key reading": await api.get(URL, key=None, headers={"X-API-Key": "aduan_tebakan"}),
            "unknown service": await api.post(URL, data={**FORM, "service_code": "parkir"}),
            "unknown service in JSON": await api.post(URL, json={**FORM, "service_code": 7}),
        }
        no_service = await api.post(URL, data={**FORM, "service_code": ""})
        v1 = await api.get("/api/v1/complaints", key=None)
        assert await codes_in_database(api) == []
    statuses = {name: response.status_code for name, response in cases.items()}
    assert statuses == {"no key": 403, "empty key field": 403, "unknown key": 403, "unknown key header": 403,
                        "unknown key reading": 403, "unknown service": 404, "unknown service in JSON": 404}
    for name, response in cases.items():
        [error] = response.json()
        assert error["code"] == response.status_code and error["description"], name
    assert "Kunci API" in cases["no key"].json()[0]["description"]
    assert "parkir" in cases["unknown service"].json()[0]["description"]
    assert no_service.status_code == 400 and "service_code" in no_service.json()[0]["description"]
    assert v1.status_code == 401  # /api/v1 keeps its own answer


async def test_a_description_is_at_most_4000_characters(engine):
    async with api_for(engine) as api:
        words = ("jalan berlubang " * 300)
        longest = await api.post(URL, data={**FORM, "description": words[:4000]}, key="public")
        too_long = await api.post(URL, data={**FORM, "description": words[:4001]}, key="public")
        as_json = await api.post(URL, json={**FORM, "description": words[:4001]}, key="public")
        assert len(await codes_in_database(api)) == 1
    assert longest.status_code == 201, longest.text
    for response in (too_long, as_json):
        [error] = response.json()
        assert (response.status_code, error["code"]) == (400, 400)
        assert "4.000" in error["description"] and "Deskripsi" in error["description"]


async def test_media_url_and_address_id_are_kept_on_the_complaint(engine):
    async with api_for(engine) as api:
        photo = "https://portal.contoh.id/foto/lubang-1.jpg?ukuran=besar"
        form = await api.post(URL, data={**FORM, "media_url": photo, "address_id": " GIS-3578-0042 "})
        as_json = await api.post(URL, json={**FORM, "description": "trotoar ambles di depan pasar",
                                            "media_url": "http://10.0.0.5/a.png", "address_id": "17"})
        blank = await api.post(URL, json={**FORM, "description": "jembatan retak", "media_url": "", "address_id": ""})
        refused = {url: await api.post(URL, data={**FORM, "media_url": url})
                   for url in ("ftp://portal.contoh.id/a.jpg", "javascript:alert(1)", "https://", "foto.jpg",
                               "https://portal.contoh.id/" + "a" * 2000, "https://portal.contoh.id/a b.jpg")}
        too_long_id = await api.post(URL, data={**FORM, "address_id": "x" * 256})
        async with api.app.uow() as uow:
            kept = await uow.complaints.get(form.json()[0]["service_request_id"])
            from_json = await uow.complaints.get(as_json.json()[0]["service_request_id"])
            without = await uow.complaints.get(blank.json()[0]["service_request_id"])
        assert len(await codes_in_database(api)) == 3
    assert (kept.media_url, kept.address_id) == (photo, "GIS-3578-0042")
    assert (from_json.media_url, from_json.address_id) == ("http://10.0.0.5/a.png", "17")
    assert (without.media_url, without.address_id) == (None, None)
    for url, response in refused.items():
        assert response.status_code == 400, url
        assert "media_url" in response.json()[0]["description"] and "http" in response.json()[0]["description"], url
    assert too_long_id.status_code == 400 and "address_id" in too_long_id.json()[0]["description"]


async def test_the_same_request_sent_again_within_a_day_files_nothing_new(engine):
    async with api_for(engine) as api:
        first = await api.post(URL, data=FORM, key="public")
        again = await api.post(URL, data={**FORM, "description": " jalan depan gang 5  berlubang besar"}, key="public")
        as_json = await api.post(URL, json={**FORM, "api_key": api.keys["public"]}, key=None)
        other_key = await api.post(URL, data=FORM, key="admin")
        other_text = await api.post(URL, data={**FORM, "description": "jalan depan gang 6 berlubang"}, key="public")
        api.clock.advance(hours=24, minutes=1)
        later = await api.post(URL, data=FORM, key="public")
        in_database = await codes_in_database(api)
    code = first.json()[0]["service_request_id"]
    for response in (again, as_json):
        assert response.status_code == 201 and response.json() == first.json()  # the same answer
        assert response.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    fresh = [r.json()[0]["service_request_id"] for r in (other_key, other_text, later)]
    assert len({code, *fresh}) == 4 and all(r.status_code == 201 for r in (other_key, other_text, later))
    assert sorted(in_database) == sorted([code, *fresh])


async def test_an_idempotency_key_names_one_request_for_a_day(engine):
    async with api_for(engine) as api:
        def post(key: str, api_key: str = "public", **fields: str):
            return api.post(URL, data={**FORM, **fields}, key=api_key, headers={"Idempotency-Key": key})

        first = await post("fms-1001")
        api.clock.advance(hours=23)
        again = await post("fms-1001")
        same_text_new_key = await post("fms-1002")
        other_api_key = await post("fms-1001", api_key="admin")
        api.clock.advance(hours=2)
        next_day = await post("fms-1001")
        too_long = await post("k" * 256)
        in_database = await codes_in_database(api)
    code = first.json()[0]["service_request_id"]
    assert again.status_code == 201 and again.json()[0]["service_request_id"] == code
    assert again.headers["idempotent-replayed"] == "true"
    fresh = [r.json()[0]["service_request_id"] for r in (same_text_new_key, other_api_key, next_day)]
    assert len({code, *fresh}) == 4
    assert too_long.status_code == 400 and "Idempotency-Key" in too_long.json()[0]["description"]
    assert sorted(in_database) == sorted([code, *fresh])


async def test_the_same_request_sent_twice_at_once_is_filed_once(engine):
    """A client that times out and re-sends while the first request is still being filed:
    the second waits for the first's commit (PostgreSQL: on the record; SQLite: the one
    writer) and answers with its code, its own complaint rolled back."""
    async with api_for(engine) as api:
        both = await asyncio.gather(*(api.post(URL, data=FORM, key="public") for _ in range(2)))
        keyed = await asyncio.gather(*(api.post(URL, data={**FORM, "description": f"jalan amblas nomor {n}"},
                                                key="public", headers={"Idempotency-Key": "portal-77"})
                                       for n in range(2)))
        in_database = await codes_in_database(api)
    assert [r.status_code for r in (*both, *keyed)] == [201] * 4
    codes = {r.json()[0]["service_request_id"] for r in both}
    keyed_codes = {r.json()[0]["service_request_id"] for r in keyed}
    assert len(codes) == len(keyed_codes) == 1
    assert sorted(in_database) == sorted(codes | keyed_codes)
