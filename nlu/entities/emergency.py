"""Lives at risk right now: the entity "emergency", whose value names the kind.

Kinds: "fire", "flood_trapped", "accident_injured", "violence", "unconscious",
"collapse", "live_cable", "drowning". A kind needs its own evidence (a fire, people
trapped by water, an accident with someone hurt, ...) and is dropped when the message
speaks of the past or of a risk ("bekas kebakaran", "kemarin ada kecelakaan", "rawan
kecelakaan", "sering banjir", "minta dipasang ..."): those are complaints, not calls for
help. Works on the normalised text (``nlu.normalize``); spans are mapped to the original.
"""

from __future__ import annotations

from complaints.org import EmergencyNumbers

from ..keywords import PhraseList
from ..normalize import Normalized, per_text
from ..result import Entity

KINDS = ("fire", "flood_trapped", "accident_injured", "violence", "unconscious", "collapse", "live_cable", "drowning")

# which of EmergencyNumbers' lines to show for each kind, most useful first
NUMBERS: dict[str, tuple[str, ...]] = {
    "fire": ("fire", "general"),
    "flood_trapped": ("general", "fire"),  # 112 reaches the SAR/BPBD teams; firefighters rescue too
    "accident_injured": ("ambulance", "police", "general"),
    "violence": ("police", "general"),
    "unconscious": ("ambulance", "general"),
    "collapse": ("general", "fire", "ambulance"),
    "live_cable": ("general", "fire"),
    "drowning": ("general", "fire"),
}


def numbers(kind: str, lines: EmergencyNumbers | None = None) -> tuple[str, ...]:
    """The phone numbers to show for an emergency of this kind (national defaults if no lines)."""
    lines = lines or EmergencyNumbers()
    return tuple(getattr(lines, name) for name in NUMBERS.get(kind, ("general",)))


_P = PhraseList

# (kind, what happens, what makes it urgent; None = the event alone is enough)
RULES: tuple[tuple[str, PhraseList, PhraseList | None], ...] = (
    ("live_cable",
     _P(["kabel*", "listrik", "tiang listrik", "tiang pln"]),
     _P(["nyetrum", "menyetrum", "setrum", "tersetrum", "kesetrum", "nyetrum*", "beraliran", "ada aliran*",
         "masih hidup", "masih ada arus", "percikan api", "memercik*", "keluar api", "terbakar", "meledak",
         "tersengat"])),
    ("fire",
     _P(["kebakaran", "terbakar", "ada api", "api besar", "apinya", "api membesar", "rumah terbakar",
         "kebakar", "dilalap api", "dilahap api", "si jago merah",
       # Javanese and Sundanese
       "kobongan", "kobong", "geni gede", "ana geni", "geni nang", "kahuruan"]),
     None),
    ("drowning",
     _P(["tenggelam", "hanyut", "terseret arus", "terbawa arus", "kelelep", "tenggelem", "kecemplung", "kecebur",
         "tercebur", "terjun ke sungai", "jatuh ke sungai", "jatuh ke kali", "jatuh ke selokan", "kintir"]),
     _P(["anak*", "orang", "warga", "bocah", "balita", "bayi", "korban", "seseorang", "teman*", "adik*",
         "bapak", "ibu", "nenek", "kakek", "pemuda", "siswa", "tolong"])),
    ("flood_trapped",
     _P(["banjir*", "kebanjiran", "air naik", "air masuk", "terendam", "air setinggi*"]),
     _P(["terjebak", "terjebak*", "terkurung", "tidak bisa keluar", "butuh evakuasi", "minta evakuasi",
         "perlu evakuasi", "mohon evakuasi", "dievakuasi", "naik ke atap", "di atap", "lantai 2", "lantai dua",
         "terisolasi", "terperangkap", "tolong selamatkan", "butuh perahu", "minta perahu"])),
    ("collapse",
     _P(["ambruk", "roboh", "runtuh", "longsor", "tertimpa", "tertimbun", "ketiban", "ambrol", "rubuh"]),
     _P(["ada orang", "orang di dalam", "di dalam", "tertimpa", "tertimbun", "ketiban", "terjebak", "korban",
         "penghuni*", "terjepit", "terkubur", "menimpa orang", "menimpa warga", "menimpa pengendara"])),
    ("accident_injured",
     _P(["kecelakaan", "ditabrak", "tertabrak", "tabrakan", "terlindas", "dilindas", "jatuh dari motor",
         "kena tabrak", "laka", "lakalantas"]),
     _P(["berdarah", "darah*", "luka*", "terluka", "korban*", "pingsan", "tidak sadar*", "patah", "meninggal",
         "tergeletak", "parah", "kritis", "tidak bergerak", "ambulans", "ambulan", "butuh pertolongan"])),
    ("violence",
     _P(["tawuran", "dibacok", "membacok", "pembacokan", "celurit", "clurit", "sajam", "senjata tajam",
         "penusukan", "ditusuk", "menusuk", "dipukuli", "dikeroyok", "pengeroyokan", "perampokan", "dirampok",
         "merampok", "begal sedang", "dibegal", "penganiayaan", "dianiaya", "kdrt", "mengamuk", "ngamuk",
         "bawa pisau", "membawa pisau", "pistol", "penembakan", "disandera", "penculikan", "diculik",
         "mukulin", "memukuli", "pukulin", "digebuki", "gebukin", "dihajar", "menghajar",
         "berkelahi", "perkelahian", "carok", "teriak minta tolong", "teriak-teriak minta tolong",
         "menjerit minta tolong"]),
     None),
    ("unconscious",
     _P(["pingsan", "tidak sadarkan diri", "kejang", "kejang-kejang", "kejangnya", "kejang2", "tidak bernapas", "tidak bernafas", "henti napas",
         "sesak napas", "sesak nafas", "serangan jantung", "overdosis", "keracunan massal", "orang tergeletak"]),
     None),
)

# the past, a risk or a request: a complaint about danger, not a call for help
NOT_NOW = _P([
    "bekas", "sisa", "pasca", "kemarin", "kemarin malam", "kemarin sore", "minggu lalu", "bulan lalu",
    "tahun lalu", "hari lalu", "beberapa hari", "dulu", "pernah", "sering", "sering*", "rawan", "kerap",
    "setiap", "tiap", "kalau hujan", "jika hujan", "saat hujan", "musim hujan", "langganan", "minta dipasang",
    "mohon dipasang", "tolong dipasang", "agar tidak", "supaya tidak", "biar tidak", "takut", "khawatir",
    "berpotensi", "bisa membahayakan", "sudah padam", "sudah dipadamkan", "sudah dievakuasi",
    "sudah ditangani", "sudah dibawa", "hampir", "nyaris", "berkali-kali", "mau roboh", "hampir roboh",
    "akan roboh", "miring", "retak", "bahaya kebakaran", "pembakaran sampah", "bakar sampah", "membakar sampah",
    "sampah dibakar", "antisipasi", "pencegahan", "simulasi", "pelatihan", "bagaimana", "cara", "nomor",
    "pengungsian", "bantuan korban", "korban banjir kemarin", "korban kebakaran",
    # a risk spoken of ("bahaya kalau kebakaran"), the means against it, the aftermath and its aid
    "kalau kebakaran", "jika kebakaran", "bila kebakaran", "kalau ada kebakaran", "kalau terjadi", "jika terjadi",
    "bahaya kalau", "alat pemadam", "apar", "hidran", "hydrant", "pengungsi", "terdampak", "hunian sementara",
    "huntara", "korban longsor", "korban gempa", "korban bencana", "kebakaran hutan", "kebakaran lahan",
    "kabut asap", "tidak diganti", "ga diganti", "gak diganti", "belum diganti", "meninggal karena",
    # already in someone's hands: a complaint about how it is handled
    "ditolak", "visum", "sudah lapor", "sudah dilaporkan", "laporan di polres", "laporan di polsek",
    "laporan penganiayaan",
])


@per_text
def extract(norm: Normalized) -> list[Entity]:
    """At most one emergency (the first kind that fits, in the order of RULES)."""
    text = norm.text
    if not text or NOT_NOW.search(text) is not None:
        return []
    for kind, event, urgent in RULES:
        found = event.search(text)
        if found is None:
            continue
        if urgent is not None and urgent.search(text) is None:
            continue
        surface, start, end = norm.surface(found.start(), found.end())
        return [Entity("emergency", kind, surface, start, end, 0.85)]
    return []
