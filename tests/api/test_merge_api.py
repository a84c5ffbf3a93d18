"""/api/v1 merging: POST .../merge and .../unmerge with the workflow table's rules (the
admin), the supporters of every complaint in every view, and the list sorted by them."""

from complaints.model import Supporter
from complaints.taxonomy import PrivacyMode, Status
from complaints.usecases import supporting
from tests.api_harness import add_key, api_for
from tests.chat_harness import START, stored

HOLE = {"service_code": "jalan", "description": "jalan depan gang 5 berlubang besar", "address_string": "Kebraon"}
HOLE_AGAIN = {**HOLE, "description": "lubang besar di jalan gang 5 kebraon, motor jatuh"}


async def support(api, code: str, sender: str) -> None:
    async with api.app.uow() as uow:
        await supporting.support(api.app.context(), uow, code, Supporter("console", sender, PrivacyMode.ANONIM, START),
                                 "", [], api.clock())
        await uow.commit()


async def file_again(api) -> str:
    """The same hole, filed through another key (another complainant: the sender is the key)."""
    api.keys["neighbour"] = (await add_key(api.app, "public", None, "neighbour"))[1]
    return await api.file(key="neighbour", **HOLE_AGAIN)


async def merge(api, code: str, into: str, key: str = "admin"):
    return await api.post(f"/api/v1/complaints/{code}/merge", key, json={"into": into})


async def test_only_the_admin_merges_and_the_answer_is_the_duplicate_with_the_kept_code(engine):
    async with api_for(engine) as api:
        kept = await api.file(**HOLE)
        api.clock.advance(hours=1)
        duplicate = await file_again(api)
        for code in (kept, duplicate):  # the unit's officer now handles both: still not theirs to merge
            assert (await api.set_status(code, "didisposisikan")).status_code == 200
        before = {code: await stored(api.app, code) for code in (kept, duplicate)}
        refused = {
            "public key": await merge(api, duplicate, kept, key="public"),
            "unit officer": await merge(api, duplicate, kept, key="dsdabm"),
            "public unmerge": await api.post(f"/api/v1/complaints/{duplicate}/unmerge", "public"),
            "unit unmerge": await api.post(f"/api/v1/complaints/{duplicate}/unmerge", "dsdabm"),
        }
        assert {code: await stored(api.app, code) for code in before} == before  # nothing changed

        merged = await merge(api, duplicate.lower(), kept.lower())
        kept_staff = (await api.get(f"/api/v1/complaints/{kept}", key="dsdabm")).json()
        kept_public = (await api.get(f"/api/v1/complaints/{kept}", key="public")).json()
        target = await stored(api.app, kept)

    assert {name: r.status_code for name, r in refused.items()} == {
        "public key": 403, "unit officer": 403, "public unmerge": 403, "unit unmerge": 403}
    assert refused["public key"].json()["error"]["code"] == "forbidden_scope"
    unit = refused["unit officer"].json()["error"]
    assert unit["code"] == "not_authorised" and "hanya dapat dilakukan oleh admin" in unit["message"]

    assert merged.status_code == 200, merged.text
    body = merged.json()
    assert body["code"] == duplicate and body["kept"] == kept and body["status"] == "ditolak"
    assert body["view"] == "staff" and body["supporters"] == 0
    assert body["deadlines"]["stage_due_at"] is None and body["escalation"]["next_at"] is None
    assert (body["history"][-1]["to_status"], body["history"][-1]["note"]) == ("ditolak", f"duplikat {kept}")
    assert kept_staff["supporters"] == 1 and kept_public["supporters"] == 1  # public information
    assert [s.merged_from for s in target.supporters] == [duplicate]


async def test_refusals_of_the_merge_are_worded(engine):
    async with api_for(engine) as api:
        kept = await api.file(**HOLE)
        duplicate = await api.file(**HOLE_AGAIN)
        closed = await api.file(**{**HOLE, "description": "jalan rusak di depan balai RW 3"})
        assert (await api.set_status(closed, "ditolak", note="sudah diperbaiki bulan lalu")).status_code == 200
        answers = {
            "closed": await merge(api, duplicate, closed),
            "itself": await merge(api, duplicate, duplicate),
            "mistyped": await merge(api, duplicate, "LPR-7KQ3-M8"),
            "unknown": await merge(api, duplicate, "LPR-7KQ3-MN"),
            "unknown duplicate": await merge(api, "LPR-7KQ3-MN", kept),
            "extra field": await api.post(f"/api/v1/complaints/{duplicate}/merge", json={"into": kept, "x": 1}),
            "no body": await api.post(f"/api/v1/complaints/{duplicate}/merge"),
            "not merged": await api.post(f"/api/v1/complaints/{duplicate}/unmerge"),
        }
        assert (await stored(api.app, duplicate)).status is Status.DITERIMA
        assert (await stored(api.app, kept)).supporters == []
    expected = {"closed": (409, "merge_target_closed"), "itself": (422, "merge_self"),
                "mistyped": (422, "invalid_request"), "unknown": (404, "not_found"),
                "unknown duplicate": (404, "not_found"), "extra field": (422, "invalid_request"),
                "no body": (422, "invalid_request"), "not merged": (409, "not_merged")}
    assert {name: (r.status_code, r.json()["error"]["code"]) for name, r in answers.items()} == expected
    assert closed in answers["closed"].json()["error"]["message"]
    assert "tidak terbuka" in answers["closed"].json()["error"]["message"]
    assert "into" in answers["mistyped"].json()["error"]["message"]
    assert "tidak sedang digabungkan" in answers["not merged"].json()["error"]["message"]


async def test_unmerge_gives_back_the_status_and_the_deadline(engine):
    async with api_for(engine) as api:
        kept = await api.file(**HOLE)
        duplicate = await file_again(api)
        before = (await api.get(f"/api/v1/complaints/{duplicate}")).json()
        assert (await merge(api, duplicate, kept)).status_code == 200
        assert (await api.get(f"/api/v1/complaints/{kept}")).json()["supporters"] == 1
        api.clock.advance(hours=2)
        undone = await api.post(f"/api/v1/complaints/{duplicate}/unmerge", "admin")
        kept_after = (await api.get(f"/api/v1/complaints/{kept}")).json()
    assert undone.status_code == 200, undone.text
    body = undone.json()
    assert body["status"] == "diterima" and body["kept"] == kept
    assert body["deadlines"]["stage_due_at"] == before["deadlines"]["stage_due_at"]
    assert body["escalation"] == before["escalation"]
    assert body["history"][-1]["action"] == "unmerged"
    assert kept_after["supporters"] == 0


async def test_every_view_counts_supporters_and_the_list_sorts_by_them(engine):
    async with api_for(engine) as api:
        oldest = await api.file(**HOLE)
        api.clock.advance(hours=1)
        most = await api.file(**{**HOLE, "description": "jalan amblas di depan pasar kebraon"})
        api.clock.advance(hours=1)
        newest = await api.file(**{**HOLE, "description": "aspal mengelupas di jalan raya kebraon"})
        await support(api, oldest, "warga-4")
        await support(api, most, "warga-5")
        await support(api, most, "warga-6")

        async def listed(query: str, key: str = "admin") -> list[tuple[str, int]]:
            response = await api.get(f"/api/v1/complaints?{query}", key=key)
            assert response.status_code == 200, response.text
            return [(item["code"], item["supporters"]) for item in response.json()["items"]]

        newest_first = await listed("")
        by_support = await listed("sort=supporters")
        public = await listed("sort=supporters", key="public")
        paged = await listed("sort=supporters&page_size=1&page=2")
        explicit = await listed("sort=newest")
        bad = await api.get("/api/v1/complaints?sort=terbanyak")
        detail = (await api.get(f"/api/v1/complaints/{most}", key="public")).json()
    assert newest_first == explicit == [(newest, 0), (most, 2), (oldest, 1)]
    assert by_support == public == [(most, 2), (oldest, 1), (newest, 0)]
    assert paged == [(oldest, 1)]
    assert bad.status_code == 422 and "sort" in bad.json()["error"]["message"]
    assert detail["supporters"] == 2 and detail["view"] == "public"
