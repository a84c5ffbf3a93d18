"""/api/v1: keys and scopes, filters and pages, the full history, officers acting with the
domain's rules, the privacy of complainants, and the rate limit per key."""

import asyncio
import re
from urllib.parse import urlsplit

import httpx
from click.testing import CliRunner

from aduan.commands import main
from aduan.http import create_http_app
from complaints.model import Actor
from complaints.taxonomy import Role, Status
from complaints.usecases import followup
from storage.api_keys import ApiKeyRepository
from storage.database import create_engine
from tests.api_harness import add_key, api_for
from tests.chat_harness import Citizen, make_app

CODE = re.compile(r"LPR-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}")


async def status_of(api, code) -> Status:
    async with api.app.uow() as uow:
        return (await uow.complaints.get(code)).status


async def test_keys_are_required_and_every_error_has_one_shape(engine):
    async with api_for(engine) as api:
        revoked_id, revoked = await add_key(api.app, "admin", None)
        async with api.app.uow() as uow:
            assert await ApiKeyRepository(uow.connection).revoke(revoked_id, api.clock())
            await uow.commit()
        responses = {
            "missing": await api.get("/api/v1/complaints", key=None),
            "invalid": await api.http.get("/api/v1/complaints", headers={"X-API-Key": "aduan_salah"}),
            "revoked": await api.http.get("/api/v1/complaints", headers={"X-API-Key": revoked}),
            "not found": await api.get("/api/v1/complaints/LPR-7KQ3-MN"),
            "mistyped code": await api.get("/api/v1/complaints/LPR-7KQ3-M8"),
            "no such path": await api.get("/api/v2/complaints"),
            "method": await api.http.delete("/api/v1/complaints"),
            "bad page": await api.get("/api/v1/complaints?page=0"),
            "bad status": await api.get("/api/v1/complaints?status=hilang"),
            "bad body": await api.post("/api/v1/complaints/LPR-7KQ3-MN/status", json={"status": "terbang"}),
        }
    expected = {"missing": (401, "missing_api_key"), "invalid": (401, "invalid_api_key"),
                "revoked": (401, "invalid_api_key"), "not found": (404, "not_found"),
                "mistyped code": (404, "not_found"),
                "no such path": (404, "not_found"), "method": (405, "method_not_allowed"),
                "bad page": (422, "invalid_request"), "bad status": (422, "invalid_request"),
                "bad body": (422, "invalid_request")}
    for name, response in responses.items():
        body = response.json()
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, name
        assert (response.status_code, body["error"]["code"]) == expected[name], name
    assert "X-API-Key" in responses["missing"].json()["error"]["message"]
    assert "page" in responses["bad page"].json()["error"]["message"]
    assert "status" in responses["bad body"].json()["error"]["message"]


async def test_filters_pages_and_the_next_link(engine):
    async with api_for(engine) as api:
        roads = []
        for _ in range(4):
            roads.append(await api.file(service_code="jalan"))
            api.clock.advance(hours=1)
        waste = await api.file(service_code="sampah", description="sampah menumpuk di TPS pasar")
        await api.set_status(roads[0], "didisposisikan")
        api.clock.advance(days=1)
        tomorrow = api.clock().date().isoformat()
        late = await api.file(service_code="jalan")  # filed a day later

        first = (await api.get("/api/v1/complaints?page_size=2")).json()
        second = (await api.get(urlsplit(first["next"]).path + "?" + urlsplit(first["next"]).query)).json()
        last = (await api.get("/api/v1/complaints?page_size=2&page=3")).json()

        async def codes(query: str) -> list[str]:
            response = await api.get(f"/api/v1/complaints?{query}")
            assert response.status_code == 200, response.text
            return [item["code"] for item in response.json()["items"]]

        by_category = await codes("category=sampah")
        by_unit = await codes("unit=dlh")
        by_status = await codes("status=didisposisikan")
        by_statuses = await codes("status=didisposisikan&status=diterima&category=jalan")
        by_channel = await codes("channel=api&page_size=100")
        other_channel = await codes("channel=telegram")
        by_day = await codes(f"from={tomorrow}&to={tomorrow}")
        before = await codes("to=2026-11-23")
        api.clock.advance(days=4)  # Saturday: the verification deadlines have passed, the unit's 5 days not
        overdue = await codes("overdue=true&page_size=100")
    assert first["total"] == 6 and first["page"] == 1 and len(first["items"]) == 2
    assert [i["code"] for i in first["items"]] == [late, waste]  # newest first
    assert [i["code"] for i in second["items"]] == [roads[3], roads[2]] and second["page"] == 2
    assert "page_size=2" in first["next"] and second["next"] is not None
    assert [i["code"] for i in last["items"]] == [roads[1], roads[0]] and last["next"] is None
    assert by_category == [waste] and by_unit == [waste] and by_status == [roads[0]]
    assert set(by_statuses) == {late, *roads} and len(by_channel) == 6 and other_channel == []
    assert by_day == [late] and set(before) == {waste, *roads}
    assert set(overdue) == {late, waste, *roads[1:]}


async def test_the_detail_tells_history_deadlines_escalation_and_rating(engine):
    async with api_for(engine) as api:
        code = await api.file(service_code="jalan")
        await api.set_status(code, "didisposisikan")
        await api.post(f"/api/v1/complaints/{code}/assign", key="dsdabm", json={"officer": "petugas-dsdabm"})
        await api.set_status(code, "selesai", key="dsdabm", note="Lubang sudah ditambal.")
        async with api.app.uow() as uow:  # the complainant rates the answer (as from their chat)
            actor = Actor(f"api:{(await uow.complaints.get(code)).sender}", Role.COMPLAINANT)
            await followup.rate(api.app.context(), uow, code, actor, False, api.clock())
            await uow.commit()
        staff = (await api.get(f"/api/v1/complaints/{code}", key="dsdabm")).json()
        public = (await api.get(f"/api/v1/complaints/{code}", key="public")).json()
    assert staff["view"] == "staff" and staff["status"] == "dibuka_kembali"
    assert [(h["action"], h["to_status"]) for h in staff["history"]] == [
        ("created", "diterima"), ("status", "didisposisikan"), ("assigned", None), ("status", "selesai"),
        ("status", "dibuka_kembali"), ("escalated", None)]
    assert staff["history"][3]["note"] == "Lubang sudah ditambal." and staff["history"][3]["actor"] == "petugas-dsdabm"
    assert staff["history"][4]["actor"] == "pelapor"  # never the complainant's id
    assert staff["assignee"] == {"id": "petugas-dsdabm", "name": "Agus Setiawan"}
    assert staff["escalation"]["level"] == 2  # reopened: straight to the supervisor
    assert staff["rating"] == {"satisfied": False, "skm_score": None, "rated_at": "2026-11-23T09:00:00+07:00",
                               "reopen_count": 1}
    deadlines = staff["deadlines"]
    assert deadlines["stage_due_at"] and deadlines["resolve_due_at"] and not deadlines["overdue"]
    assert public["view"] == "public" and public["description"] is None and public["assignee"] is None
    assert public["escalation"] is None and public["rating"] is None and public["channel"] is None
    assert [(h["action"], h["actor"]) for h in public["history"]] == [
        ("created", None), ("status", None), ("status", None), ("status", None)]


async def test_officers_act_with_the_same_rules_as_in_their_chat(engine):
    async with api_for(engine) as api:
        code = await api.file(service_code="jalan")  # the unit is dsdabm
        refused = {
            "public key": await api.set_status(code, "didisposisikan", key="public"),
            "other unit": await api.set_status(code, "ditolak", key="dlh", note="bukan urusan kami"),
            "not yet disposed": await api.set_status(code, "diproses", key="dsdabm", note="kami cek"),
            "other unit's assign": await api.post(f"/api/v1/complaints/{code}/assign", key="dlh",
                                                  json={"officer": "petugas-dlh"}),
            "unknown unit": await api.set_status(code, "didisposisikan", unit="dinas-antah"),
        }
        assert await status_of(api, code) is Status.DITERIMA  # nothing changed
        disposed = await api.set_status(code, "didisposisikan")
        no_note = await api.set_status(code, "selesai", key="dsdabm")
        unknown_officer = await api.post(f"/api/v1/complaints/{code}/assign", key="dsdabm", json={"officer": "siapa"})
        wrong_unit_officer = await api.post(f"/api/v1/complaints/{code}/assign", key="dsdabm",
                                            json={"officer": "petugas-dlh"})
        taken = await api.post(f"/api/v1/complaints/{code}/assign", key="dsdabm", json={"officer": "petugas-dsdabm"})
        working = await api.set_status(code, "diproses", key="dsdabm", note="Tim dijadwalkan besok.")
        async with api.app.uow() as uow:
            notified = await uow.outbox.pending_count()
    assert {name: r.status_code for name, r in refused.items()} == {
        "public key": 403, "other unit": 403, "not yet disposed": 403, "other unit's assign": 403, "unknown unit": 422}
    assert refused["public key"].json()["error"]["code"] == "forbidden_scope"
    assert "tidak berwenang" in refused["other unit"].json()["error"]["message"]
    assert refused["not yet disposed"].json()["error"]["code"] == "not_disposed"
    assert "belum didisposisikan ke unit Anda" in refused["not yet disposed"].json()["error"]["message"]
    assert disposed.status_code == 200 and disposed.json()["status"] == "didisposisikan"
    assert no_note.status_code == 422 and no_note.json()["error"]["code"] == "note_required"
    assert unknown_officer.status_code == 422 and wrong_unit_officer.status_code == 403
    assert taken.json()["assignee"]["id"] == "petugas-dsdabm"
    assert working.status_code == 200 and working.json()["status"] == "diproses"
    assert notified >= 2  # the complainant is told of each change, through the outbox


BIASA = {"first_name": "Sulastri", "last_name": "Wibisono", "phone": "081234567890"}
RAHASIA = {"first_name": "Bambang", "last_name": "Kuncoro", "phone": "081298765432", "attribute[privacy]": "rahasia",
           "email": "bambang.kuncoro@contoh.id"}
ANONIM = {"first_name": "Joko", "last_name": "Tingkir", "phone": "081211112222", "attribute[privacy]": "anonim"}
NIK = "3578012345678901"


def forms(phone: str) -> set[str]:
    local = phone[1:]
    return {phone, "62" + local, "+62" + local, local}


async def test_confidential_and_anonymous_identities_never_leave_the_server(engine):
    async with api_for(engine) as api:
        open_code = await api.file(**BIASA)
        secret = await api.file(**RAHASIA, description=f"jalan berlubang, NIK saya {NIK} hubungi 081298765432")
        anonymous = await api.file(**ANONIM)
        # a confidential report from a chat, with the complainant answering the unit's question
        citizen = Citizen(api.app, api.clock, sender="warga-rahasia-77")
        offer = await citizen.says("jalan di depan SDN 3 Kebraon bolong besar udah 2 minggu, hubungi 085711223344")
        # the API's reports of that road are offered first, as the public may read them
        assert "Sudah ada laporan serupa" in offer and "Bambang" not in offer and NIK not in offer
        summary = await citizen.presses("offer:new")
        assert "+6285711223344" in summary  # the phone in the first message is kept
        assert "nama" in (await citizen.presses("privacy:rahasia")).lower()  # "Kirim rahasia": the name first
        chat = CODE.search(await citizen.says("Ratna Sari Dewi")).group(0)
        for code in (open_code, secret, anonymous, chat):
            assert (await api.set_status(code, "didisposisikan")).status_code == 200
        await api.set_status(chat, "menunggu_informasi", key="dsdabm", note="Di sisi mana tepatnya?")
        await citizen.says("sisi utara, saya Ratna yang tinggal di nomor 12")

        bodies = {}
        for key in (None, "public", "dsdabm", "dlh", "admin"):
            urls = ["/open311/v2/requests.json", "/api/v1/complaints?page_size=100"]
            for code in (open_code, secret, anonymous, chat):
                urls += [f"/open311/v2/requests/{code}.json", f"/api/v1/complaints/{code}"]
            for url in urls:
                if key is None and url.startswith("/api/"):
                    continue
                response = await api.get(url, key=key)
                assert response.status_code == 200, (url, response.text)
                bodies[(key, url)] = response.text
    # never shown to anyone: the complainant's chat id; what an anonymous filer typed about themselves
    never = ["warga-rahasia-77", "Joko", "Tingkir", *forms("081211112222")]
    # confidential identities and NIK numbers: the admin only
    admin_only = ["Bambang", "Kuncoro", "bambang.kuncoro", "Ratna Sari", "Ratna", NIK,
                  *forms("081298765432"), *forms("085711223344")]
    for (key, url), text in bodies.items():
        for secret_text in never + (admin_only if key != "admin" else []):
            assert secret_text not in text, (key, url, secret_text)
    seen_by = {key for (key, url), text in bodies.items() if "Sulastri" in text}
    assert seen_by == {"dsdabm", "admin"}  # the handling unit and the admins, in its detail only
    assert all("Sulastri" not in t for (k, u), t in bodies.items() if "requests" in u or "page_size" in u)
    assert "+6281234567890" in bodies[("dsdabm", f"/api/v1/complaints/{open_code}")]
    secret_for_admin = bodies[("admin", f"/api/v1/complaints/{secret}")]
    assert "Bambang Kuncoro" in secret_for_admin and NIK in secret_for_admin and "+6281298765432" in secret_for_admin
    assert "[NIK]" in bodies[("dsdabm", f"/api/v1/complaints/{secret}")]  # redacted, not dropped
    assert '"actor":"pelapor"' in bodies[("admin", f"/api/v1/complaints/{chat}")]
    assert "[nama pelapor]" in bodies[("dsdabm", f"/api/v1/complaints/{chat}")]  # "saya Ratna" in the answer


async def test_each_key_has_its_own_rate_limit(engine):
    async with api_for(engine, rate_per_minute=3) as api:
        first = [(await api.get("/api/v1/complaints", key="public")).status_code for _ in range(4)]
        limited = await api.get("/api/v1/complaints", key="public")
        other_key = await api.get("/api/v1/complaints", key="dlh")
        anonymous = [(await api.get("/open311/v2/services.json", key=None)).status_code for _ in range(4)]
        api.timer.now += 20  # one token back: 3 a minute
        again = [(await api.get("/api/v1/complaints", key="public")).status_code for _ in range(2)]
    assert first == [200, 200, 200, 429]
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "20"
    assert limited.json()["error"]["code"] == "rate_limited" and "20 detik" in limited.json()["error"]["message"]
    assert other_key.status_code == 200
    assert anonymous == [200, 200, 200, 429]  # without a key: per client address
    assert again == [200, 429]


def test_keys_are_made_listed_and_revoked_on_the_command_line(database_url, engine, tmp_path, monkeypatch):
    monkeypatch.setenv("ADUAN_DATABASE_URL", database_url)
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    runner = CliRunner()

    def aduan(*args: str):
        return runner.invoke(main, ["apikey", *args], catch_exceptions=False)

    made = aduan("create", "--scope", "officer", "--officer", "petugas-dsdabm", "--label", "aplikasi dinas")
    assert made.exit_code == 0, made.output
    key = made.stdout.strip()
    assert key.startswith("aduan_") and "dibuat" in made.stderr
    assert aduan("create", "--scope", "officer").exit_code == 1  # an officer key names its officer
    assert aduan("create", "--scope", "public", "--officer", "admin-pusat").exit_code == 1
    assert aduan("create", "--scope", "admin", "--officer", "tidak-ada").exit_code == 1
    listed = aduan("list").stdout
    assert key[:12] in listed and key not in listed and "aplikasi dinas" in listed and "aktif" in listed

    async def status_with_key() -> int:
        checked = create_engine(database_url)
        try:
            app = await make_app(checked)
            transport = httpx.ASGITransport(app=create_http_app(app))
            async with httpx.AsyncClient(transport=transport, base_url="http://aduan") as http:
                return (await http.get("/api/v1/complaints", headers={"X-API-Key": key})).status_code
        finally:
            await checked.dispose()

    assert asyncio.run(status_with_key()) == 200
    assert aduan("revoke", "1").exit_code == 0
    assert aduan("revoke", "1").exit_code == 1  # not twice
    assert "dicabut" in aduan("list").stdout
    assert asyncio.run(status_with_key()) == 401


async def test_an_officer_key_lists_only_what_was_disposed_to_its_unit(engine):
    async with api_for(engine) as api:
        _, supervisor = await add_key(api.app, "officer", "supervisor-dsdabm", "supervisor")
        api.keys["supervisor"] = supervisor
        waiting = await api.file(service_code="jalan")  # suggested for dsdabm, not disposed
        disposed = await api.file(service_code="jalan")
        refused = await api.set_status(disposed, "didisposisikan", key="supervisor")
        assert (await api.set_status(disposed, "didisposisikan")).status_code == 200
        listed = (await api.get("/api/v1/complaints", key="dsdabm")).json()
        undisposed = (await api.get(f"/api/v1/complaints/{waiting}", key="dsdabm")).json()
        public_channel = await api.get("/api/v1/complaints?channel=api", key="public")
        staff_channel = await api.get("/api/v1/complaints?channel=api", key="admin")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_authorised"
    assert "hanya dapat dilakukan oleh admin" in refused.json()["error"]["message"]
    assert [item["code"] for item in listed["items"]] == [disposed] and listed["total"] == 1
    assert undisposed["view"] == "public" and undisposed["assignee"] is None
    assert public_channel.status_code == 403 and public_channel.json()["error"]["code"] == "forbidden_filter"
    assert staff_channel.status_code == 200 and staff_channel.json()["total"] == 2
