"""The trained classifier: in sync with its data, quick to load, sensible on real-looking
messages. Messages here were written for these tests (not from any public data set)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from complaints.taxonomy import Category as C
from complaints.taxonomy import Weight as W
from nlu import rasa
from nlu.model import MODEL_FILE, Model
from nlu.parser import RuleNlu

TZ = ZoneInfo("Asia/Jakarta")
NOW = datetime(2025, 3, 19, 10, 0, tzinfo=TZ)


@pytest.fixture(scope="module")
def nlu() -> RuleNlu:
    return RuleNlu(region_scope="35.78", tz=TZ)


def test_artefact_is_in_sync_with_the_training_data() -> None:
    assert MODEL_FILE.exists(), "run: python -m nlu.train"
    assert Model.load().data_hash == rasa.data_hash(), "training data changed: run python -m nlu.train"


def test_model_loads_quickly_without_training_or_scikit_learn() -> None:
    code = (
        "import sys, time, json\n"
        "t = time.perf_counter()\n"
        "from nlu.model import Model\n"
        "m = Model.load()\n"
        "v = m.vector('lampu jalan mati')\n"
        "p = m.predict('category', v)\n"
        "print(json.dumps({'seconds': time.perf_counter() - t, 'sklearn': 'sklearn' in sys.modules,\n"
        "                  'best': max(p, key=p.get)}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    result = json.loads(out.stdout)
    assert result["sklearn"] is False  # nothing is trained at start-up
    assert result["best"] == "penerangan"
    assert result["seconds"] < 3.0  # ~0.15 s here; generous for slow machines


def test_heads_and_classes() -> None:
    model = Model.load()
    assert set(model.heads) == {"intent", "category", "weight", "report_type", "maladministration"}
    assert set(model.heads["category"].classes) == {c.value for c in C}
    vector = model.vector("sampah numpuk")
    # the two paths add up in a different order: the last digits may differ (seen: 1.1e-6 relative)
    assert model.predict_all(vector)["category"] == pytest.approx(model.predict("category", vector), rel=1e-5)


CASES = [
    ("bu, lubang di jalan depan balai rw makin dalem, motor sering oleng", C.JALAN),
    ("ada aspal yg mengelupas parah di tanjakan dekat jembatan", C.JALAN),
    ("kalo hujan deres air got naik ke teras rumah", C.DRAINASE),
    ("kali di kampung dangkal banyak lumpur, mohon dikeruk", C.DRAINASE),
    ("pju deket lapangan mati dari minggu lalu", C.PENERANGAN),
    ("jalan kampung gelap, lampu penerangannya cuma satu yg nyala", C.PENERANGAN),
    ("lampu merah di perempatan rusak, kendaraan saling serobot", C.LALU_LINTAS),
    ("jukir minta uang parkir lebih mahal dari tarif", C.LALU_LINTAS),
    ("sampah di pinggir jalan dibiarkan berhari-hari sampai bau", C.SAMPAH),
    ("gerobak sampah udah ga lewat lagi di gang kami", C.SAMPAH),
    ("pohon besar depan rumah rantingnya mau patah", C.LINGKUNGAN),
    ("limbah pabrik tahu bikin kali item dan bau", C.LINGKUNGAN),
    ("air pdam ga keluar dari subuh", C.AIR_BERSIH),
    ("air ledeng keruh kayak susu coklat", C.AIR_BERSIH),
    ("listrik mati terus tiap sore, pln ga ada kabar", C.LISTRIK),
    ("token listrik sudah dibeli tapi tidak bisa dimasukkan", C.LISTRIK),
    ("pasien bpjs disuruh pulang padahal masih demam tinggi", C.KESEHATAN),
    ("puskesmas kehabisan obat diabetes", C.KESEHATAN),
    ("sekolah negeri minta uang seragam mahal", C.PENDIDIKAN),
    ("anak sy ga keterima ppdb padahal dekat sekolah", C.PENDIDIKAN),
    ("bantuan sembako tidak sampai ke warga yang berhak", C.SOSIAL),
    ("nama ibu saya dicoret dari penerima pkh", C.SOSIAL),
    ("lift rusunawa mati, warga lantai atas kesulitan", C.PERUMAHAN),
    ("tagihan pbb naik tanpa pemberitahuan", C.PERIZINAN),
    ("izin usaha saya sudah 2 bulan belum terbit", C.PERIZINAN),
    ("pedagang kaki lima menutup trotoar dekat stasiun", C.KETERTIBAN),
    ("anak muda balapan motor tiap malam bikin resah", C.KETERTIBAN),
    ("pabrik belum bayar thr karyawan", C.KETENAGAKERJAAN),
    ("saya diberhentikan kerja tanpa pesangon", C.KETENAGAKERJAAN),
    ("ktp saya belum jadi padahal sudah rekam 3 bulan lalu", C.ADMINDUK),
    ("akta lahir anak salah nama bapaknya", C.ADMINDUK),
    ("petugas kelurahan tidak ada di tempat saat jam kerja", C.PELAYANAN_APARATUR),
    ("pak rt minta uang buat tanda tangan surat pengantar", C.PELAYANAN_APARATUR),
]


@pytest.mark.parametrize(("text", "category"), CASES)
def test_realistic_messages(nlu: RuleNlu, text: str, category: C) -> None:
    parse = nlu.parse(text, NOW)
    assert parse.category is category, (parse.category, parse.category_ranking)
    assert parse.intent == "new_complaint"


def test_most_realistic_messages_are_confident(nlu: RuleNlu) -> None:
    confident = sum(nlu.parse(text, NOW).category_confidence >= 0.5 for text, _ in CASES)
    assert confident >= 0.8 * len(CASES)


@pytest.mark.parametrize("text", ["asdfgh jkl", "qwerty uiop zxcv", "blablabla", "xyz 123", "hmm hmm", "🙂🙂"])
def test_gibberish_gets_no_confident_category(nlu: RuleNlu, text: str) -> None:
    parse = nlu.parse(text, NOW)
    assert parse.category is None or parse.category_confidence < 0.5
    assert parse.intent != "new_complaint"


def test_a_vague_message_is_asked_about_not_guessed(nlu: RuleNlu) -> None:
    parse = nlu.parse("pak tolong dong ini gimana sudah lama sekali tidak ada yang peduli", NOW)
    assert parse.category is None or parse.category_confidence < 0.5


def test_taxonomy_weights_are_kept(nlu: RuleNlu) -> None:
    assert nlu.parse("pohon tumbang menutup jalan kampung", NOW).weight is W.BERAT
    assert nlu.parse("petugas minta tiga ratus ribu buat ktp", NOW).weight is W.BERAT
    assert nlu.parse("usul dipasang lampu jalan di gang kami", NOW).weight is W.RINGAN


def test_rules_only_mode_still_works() -> None:
    parse = RuleNlu(region_scope="35.78", tz=TZ, model=None).parse("lampu pju mati", NOW)
    assert parse.category is C.PENERANGAN


def test_rating_and_edit_intents(nlu: RuleNlu) -> None:
    assert nlu.parse("tidak puas", NOW).intent == "rate_unsatisfied"
    assert nlu.parse("puas sekali min", NOW).intent == "rate_satisfied"
    parse = nlu.parse("nilai 4", NOW)
    assert parse.intent == "rate_score" and parse.entity("score").value == 4
    assert nlu.parse("4", NOW).intent != "rate_score"  # a bare digit is a button press
    assert nlu.parse("ubah", NOW).intent == "edit"


def test_number_words(nlu: RuleNlu) -> None:
    parse = nlu.parse("jalan bolong udah dua minggu, tiap lewat diminta lima ribu", NOW)
    assert parse.entity("date").value.isoformat() == "2025-03-05"
    assert parse.entity("money").value == 5000


PARITY_TEXTS = [
    "jalan berlubang depan SDN 3 Kebraon rt 02 rw 05, tolong ditambal",
    "air pdam mati dari subuh di gg. Melati",
    "pungli di kelurahan, pak lurah minta uang 50rb buat surat pengantar",
    "lampu pju mati dekat pasar Wonokromo",
    "sampah numpuk di tps belakang masjid",
    "halo min",
]


@pytest.mark.parametrize("feature_set", ["base", "evidence"])
def test_run_time_vector_is_the_training_vector(tmp_path, feature_set: str) -> None:
    """Parity: Model.vector (numpy, run time) gives the rows scikit-learn's vectoriser gave
    at training, entity-evidence features included."""
    import numpy as np

    from nlu import train
    from nlu.features import Featurizer, vocabulary_of

    texts = PARITY_TEXTS * 2  # min_df=2: every feature of these texts survives
    rows = [(t, label) for t, label in zip(texts, ["a", "b", "c"] * 4)]
    data = {head: rows for head in ("intent", "category", "weight", "report_type", "maladministration")}
    arrays = train.fit(data, feature_set, "logreg")
    arrays["data_hash"] = "test"
    path = tmp_path / "m.npz"
    np.savez(path, **train.as_arrays(arrays))
    model = Model._read(path)
    vectorizer = train._vectorizer(Featurizer(vocabulary_of(sorted(set(texts))), feature_set))
    expected = vectorizer.fit_transform(PARITY_TEXTS).toarray()
    assert list(vectorizer.get_feature_names_out()) == list(model.index)
    for text, row in zip(PARITY_TEXTS, expected):
        idx, weights = model.vector(text)
        got = np.zeros(len(model.index), dtype=np.float32)
        got[idx] = weights
        assert got == pytest.approx(row, abs=1e-6), text
    evidence = [f for f in model.index if f[:2] in ("k:", "a:", "l:", "d:")]
    assert bool(evidence) is (feature_set == "evidence")


def test_the_artefact_carries_its_calibration() -> None:
    model = Model.load()
    calibration = model.calibration
    assert 0.2 <= calibration.routing_threshold < 1.0
    assert 0.05 < calibration.temperature < 20
    assert 0.0 <= calibration.rule_weight <= 1.0
    nlu = RuleNlu(model=model)
    assert nlu.routing_threshold == calibration.routing_threshold
    parse = nlu.parse("lampu pju di jalan Kebraon mati total sudah seminggu", NOW)
    assert parse.category_certain is (parse.category_confidence >= calibration.routing_threshold)
    from nlu import ensemble

    assert RuleNlu(model=None).routing_threshold == ensemble.ROUTING_THRESHOLD  # the rules' default
