"""Keyword evidence for each complaint category (TAXONOMY.md, "typical content").

Phrases are matched as whole words on the *normalised* text (so "jl" is already
"jalan", "gak" is "tidak", "numpuk" is "menumpuk"); a trailing ``*`` allows any ending
("sampah*" also matches "sampahnya"). Weights: 3 = only ever about that service,
2 = usually, 1 = a weak hint. Where phrases overlap, the longest wins ("lampu lalu
lintas" is traffic, not street lighting). Pair rules add evidence when a subject and a
state word both appear ("air" + "keruh").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from complaints.taxonomy import Category as C

KEYWORDS: dict[C, dict[str, float]] = {
    C.ADMINDUK: {
        "ktp": 3, "e-ktp": 3, "ektp": 3, "ktp-el": 3, "ktp el": 3, "kartu keluarga": 3, "kk": 2,
        "akta*": 3, "akte*": 3, "kia": 2, "kartu identitas anak": 3, "nik": 2, "nik ganda": 3,
        "dukcapil": 3, "disdukcapil": 3, "dispendukcapil": 3, "capil": 3, "pencatatan sipil": 3,
        "kependudukan": 3, "adminduk": 3, "pindah datang": 3, "surat pindah": 3, "skpwni": 3,
        "pindah domisili": 2, "blangko": 3, "perekaman": 3, "rekam ktp": 3, "cetak ktp": 3,
        "biodata": 1, "klampid": 3, "data ganda": 2, "status perkawinan": 2,
    },
    C.JALAN: {
        "jalan rusak": 3, "jalan berlubang": 3, "jalan bolong": 3, "jalan retak": 3, "jalan amblas": 3,
        "jalan ambles": 3, "jalan bergelombang": 3, "bolong*": 2.5, "berlubang": 2.5, "lubang*": 2,
        "aspal*": 2, "pengaspalan": 3, "diaspal": 3, "paving*": 2, "trotoar*": 3, "jembatan*": 3,
        "jalan": 1, "jalanan*": 1, "tambal": 1, "ditambal": 2, "makadam": 2, "betonisasi": 2,
        "bekas galian": 3, "galian": 2, "bina marga": 3, "dinas pu": 2, "pekerjaan umum": 2,
        "jalan licin": 2, "jalan becek": 2, "jalan berdebu": 2, "gang rusak": 3,
        "ruksak": 1.5, "dalane": 1, "jalanna": 1,
    },
    C.DRAINASE: {
        "saluran*": 2, "got": 2, "selokan*": 3, "gorong-gorong": 3, "drainase": 3, "tersumbat": 2,
        "mampet": 2, "banjir*": 3, "kebanjiran": 3, "genangan*": 3, "tergenang": 3, "menggenang": 2,
        "meluap": 2, "air meluap": 3, "tanggul*": 3, "sungai*": 2, "kali": 1, "rumah pompa": 3,
        "box culvert": 3, "sedimentasi": 2, "normalisasi": 2, "air hujan": 1, "rob": 2,
        "saluran air": 3, "pengerukan": 2, "dikeruk": 2, "bozem": 3, "waduk": 2,
    },
    C.PENERANGAN: {
        "pju": 3, "lampu jalan": 3, "lampu penerangan": 3, "penerangan jalan": 3, "penerangan": 2,
        "lampu*": 1, "gelap*": 1.5, "tiang lampu": 3, "lampu taman": 2, "redup": 1, "berkedip": 1,
        "lampu gang": 3, "penerangan jalan umum": 3,
    },
    C.LALU_LINTAS: {
        "traffic light": 3, "bangjo": 4, "lampu bangjo": 4, "lampu abang ijo": 4, "lampu merah": 3, "lampu lalu lintas": 3, "lampu lalin": 3, "apill": 3,
        "rambu*": 3, "marka": 3, "zebra cross": 3, "penyeberangan": 2, "jpo": 3, "parkir*": 2,
        "parkir liar": 3, "jukir*": 3, "juru parkir": 3, "tukang parkir": 3, "karcis parkir": 3,
        "bus": 2, "angkot": 3, "angkutan*": 2, "halte": 3, "suroboyo bus": 3, "ojek": 1,
        "macet*": 3, "kemacetan": 3, "lalu lintas": 3, "lalin": 3, "putar balik": 2, "u-turn": 2,
        "dishub": 3, "perhubungan": 2, "polisi tidur": 2, "ngetem": 3, "terminal": 2,
        "kendaraan": 1, "truk": 1, "odol": 2,
    },
    C.SAMPAH: {
        "sampah*": 3, "tps": 3, "tpa": 3, "tempat sampah": 3, "bak sampah": 3, "truk sampah": 3,
        "gerobak sampah": 3, "tidak diangkut": 2, "belum diangkut": 2, "diangkut": 1,
        "kebersihan": 2, "kotor": 1, "jorok": 1, "berserakan": 2, "dibuang sembarangan": 2,
        "petugas kebersihan": 3, "penyapu jalan": 3, "iuran sampah": 3, "bank sampah": 2,
        "menumpuk": 1, "tumpukan": 1, "dkrth": 2, "tong sampah": 3, "limbah rumah tangga": 2,
    },
    C.LINGKUNGAN: {
        "pohon*": 2, "pohon tumbang": 3, "tumbang": 2, "ranting*": 2, "dahan*": 2, "pangkas*": 2,
        "pemangkasan": 2, "dipangkas": 2, "taman*": 2, "ruang terbuka hijau": 3, "rth": 2,
        "pencemaran": 3, "tercemar": 3, "limbah*": 3, "polusi": 3, "bau": 1.5, "bau busuk": 2,
        "bau menyengat": 2, "asap*": 2, "bising": 3, "kebisingan": 3, "debu": 2, "pabrik": 1.5,
        "penebangan": 2, "ditebang": 2, "hutan kota": 3, "lingkungan hidup": 3, "mangrove": 2,
        "dlh": 1, "pembakaran sampah": 3, "bakar sampah": 3, "membakar sampah": 3, "air sungai hitam": 3,
    },
    C.AIR_BERSIH: {
        "pdam": 3, "air pdam": 3, "air mati": 3, "air tidak mengalir": 3, "air tidak keluar": 3,
        "air keruh": 3, "keruh": 2, "air kotor": 2, "air bau": 2, "pipa bocor": 3, "pipa pecah": 3,
        "pipa*": 1.5, "air bersih": 3, "air minum": 2, "meteran air": 3, "meter air": 3,
        "tagihan air": 3, "rekening air": 3, "debit air": 2, "air kecil": 2, "aliran air": 2,
        "kran": 1, "keran": 1, "sambungan air": 2, "surya sembada": 3, "perumda air minum": 3,
    },
    C.LISTRIK: {
        "pln": 3, "listrik*": 3, "padam*": 1.5, "mati lampu": 4, "byarpet": 3, "token listrik": 3,
        "token": 2, "meteran listrik": 3, "kwh": 3, "tiang listrik": 3, "kabel listrik": 3,
        "kabel*": 1.5, "gardu": 3, "trafo": 3, "travo": 3, "korsleting": 2, "konslet": 2,
        "tagihan listrik": 3, "sutet": 3, "voltase": 2, "tegangan": 1.5,
    },
    C.KESEHATAN: {
        "puskesmas": 3, "pustu": 3, "rumah sakit": 3, "rsud": 3, "klinik": 2, "dokter": 2,
        "perawat": 2, "bidan": 2, "pasien": 2, "bpjs": 2, "bpjs kesehatan": 3, "kis": 2, "jkn": 3,
        "rujukan": 3, "dirujuk": 3, "vaksin*": 3, "imunisasi": 3, "fogging": 3,
        "demam berdarah": 3, "dbd": 3, "nyamuk": 2, "jentik*": 2, "posyandu": 3, "obat": 2,
        "igd": 3, "ugd": 3, "rawat inap": 3, "ambulans": 3, "ambulan": 3, "berobat": 3,
        "stunting": 3, "gizi buruk": 3, "dinkes": 3, "kesehatan": 2, "apotek": 2, "sakit": 1,
        "rawat jalan": 3, "antrean obat": 3, "faskes": 3,
    },
    C.PENDIDIKAN: {
        "sekolah*": 2, "sd": 1, "sdn": 2, "smp": 2, "smpn": 2, "sma": 2, "sman": 2, "smk": 2,
        "smkn": 2, "ppdb": 3, "spmb": 3, "zonasi": 3, "pip": 3, "kip": 2, "kartu indonesia pintar": 3,
        "beasiswa": 3, "spp": 3, "ijazah": 3, "rapor": 2, "raport": 2, "guru": 2, "murid": 2,
        "siswa": 2, "uang gedung": 3, "seragam": 2, "buku paket": 2, "lks": 2, "pendidikan": 2,
        "dispendik": 3, "disdik": 3, "daftar ulang": 2, "kepala sekolah": 3, "paud": 2,
        "study tour": 2, "wisuda": 1,
    },
    C.SOSIAL: {
        "bansos": 3, "bantuan sosial": 3, "blt": 3, "pkh": 3, "bpnt": 3, "sembako": 2, "mbr": 3,
        "masyarakat berpenghasilan rendah": 3, "keluarga miskin": 3, "gakin": 3, "warga miskin": 3,
        "miskin": 2, "permakanan": 3, "bpjs pbi": 3, "pbi": 3, "dtks": 3, "dtsen": 3, "dinsos": 3,
        "dinas sosial": 3, "sktm": 2, "bantuan": 1, "dana bantuan": 2, "kartu sembako": 3,
        "terlantar": 2, "gelandangan": 2, "odgj": 2, "bantuan langsung tunai": 3, "kpm": 2,
        "tidak dapat bantuan": 3, "belum cair": 1.5, "tidak cair": 1.5, "pencairan": 1.5,
    },
    C.PERUMAHAN: {
        "rusunawa": 3, "rusun": 3, "rumah susun": 3, "rumah tidak layak huni": 3, "rtlh": 3,
        "rutilahu": 3, "bedah rumah": 3, "perumahan": 2, "permukiman": 3, "pemukiman": 2,
        "fasum": 3, "fasos": 2, "fasilitas umum": 2, "psu": 2, "makam": 2, "pemakaman": 3,
        "permakaman": 3, "tpu": 3, "kuburan": 2, "lahan makam": 3, "sewa rusun": 3, "kumuh": 2,
        "balai rw": 2, "balai rt": 2, "developer": 2, "pengembang": 2,
    },
    C.PERIZINAN: {
        "pbg": 3, "imb": 3, "izin mendirikan bangunan": 3, "izin usaha": 3, "nib": 3, "oss": 3,
        "izin": 2, "ijin": 2, "perizinan": 3, "pbb": 3, "pajak bumi": 3, "bphtb": 3, "retribusi": 3,
        "pajak daerah": 3, "pajak reklame": 3, "pajak*": 2, "sppt": 3, "njop": 3, "bapenda": 3,
        "dpmptsp": 3, "ptsp": 3, "slf": 3, "sertifikat laik fungsi": 3, "samsat": 2,
        "pajak kendaraan": 2, "mal pelayanan publik": 2,
    },
    C.KETERTIBAN: {
        "pkl": 4, "pedagang kaki lima": 4, "jualan": 1.5, "berjualan": 1.5, "lapak": 2, "pedagang liar": 3,
        "lapak liar": 3, "bangunan liar": 4,
        "bangli": 4, "petasan": 3, "mercon": 3, "keramaian": 2, "balap liar": 3, "trek-trekan": 3,
        "knalpot brong": 3, "brong": 2, "miras": 3, "minuman keras": 3, "mabuk*": 2, "tawuran": 3,
        "preman*": 3, "judi*": 3, "sabung ayam": 3, "satpol pp": 3, "satpol": 3, "pengamen": 2,
        "pengemis": 2, "anak jalanan": 2, "gangguan keamanan": 3, "maling": 2, "pencurian": 2,
        "begal": 3, "karaoke": 1.5, "tempat hiburan": 2, "tutup jalan": 2, "orkes": 2,
        "sound system": 2, "berisik": 1, "gaduh": 1, "spanduk liar": 3, "reklame liar": 3,
        "baliho": 2, "ketertiban": 3, "speaker": 2, "pengeras suara": 2, "toa": 1.5, "terlalu keras": 1.5,
        "suara keras": 2,
    },
    C.KETENAGAKERJAAN: {
        "lowongan kerja": 3, "loker": 3, "lowongan": 2, "phk": 3, "dipecat": 3, "pesangon": 3,
        "upah*": 3, "gaji*": 2, "umk": 3, "ump": 3, "thr": 3, "bpjs ketenagakerjaan": 3,
        "jamsostek": 3, "pekerja": 2, "buruh": 2, "karyawan": 2, "kontrak kerja": 3,
        "outsourcing": 2, "pelatihan kerja": 3, "kartu kuning": 3, "ak1": 3, "umkm": 3,
        "usaha mikro": 3, "koperasi": 3, "modal usaha": 3, "pasar": 1.5, "pedagang pasar": 3,
        "los pasar": 3, "kios": 1.5, "disnaker": 3, "pengangguran": 2, "tenaga kerja": 3,
        "magang": 2, "pinjaman usaha": 2, "harga sembako": 2,
    },
    C.PELAYANAN_APARATUR: {
        "kelurahan": 1.5, "kecamatan": 1.5, "lurah": 2, "camat": 2, "kantor kelurahan": 2,
        "kantor kecamatan": 2, "balai desa": 2, "kantor desa": 2, "kepala desa": 2, "kades": 2,
        "perangkat desa": 2, "surat pengantar": 3, "surat keterangan": 3, "surat domisili": 3,
        "keterangan domisili": 3, "ketua rt": 3, "bapak rt": 3, "ibu rt": 3, "bapak rw": 3,
        "ketua rw": 3, "loket": 2, "antrean": 1, "antre": 1, "antri": 1, "petugas": 1, "pegawai": 2,
        "pns": 2, "asn": 2, "aparat": 2, "aparatur": 3, "pelayanan": 1, "tanda tangan": 1.5,
        "stempel": 2, "legalisir": 2, "jam kerja": 2, "tidak ada di tempat": 2, "kantor tutup": 2,
        "inspektorat": 3, "disiplin": 2, "main hp": 2, "oknum": 1.5, "jam pelayanan": 2, "staf": 1,
    },
}

# (subjects, states, bonus): both present in the message -> extra evidence
PAIRS: dict[C, tuple[tuple[str, ...], tuple[str, ...], float]] = {
    C.JALAN: (
        ("jalan", "jalanan", "aspal", "gang", "trotoar", "jembatan", "paving"),
        ("rusak", "retak", "amblas", "ambles", "ambrol", "hancur", "bergelombang", "mengelupas", "licin", "bolong*",
         "berlubang", "lubang*"),
        2,
    ),
    C.PENERANGAN: (
        ("lampu", "pju", "penerangan"),
        ("mati", "padam", "redup", "kedip", "berkedip", "gelap", "tidak menyala", "putus", "rusak"),
        2,
    ),
    C.AIR_BERSIH: (
        ("air", "pdam", "kran", "keran", "pipa"),
        ("mati", "keruh", "kotor", "bau", "kecil", "tidak mengalir", "tidak keluar", "bocor", "kuning", "coklat", "berwarna"),
        2,
    ),
    C.LISTRIK: (
        ("listrik", "pln", "token", "kabel"),
        ("padam", "mati", "putus", "byarpet", "naik turun", "korslet", "menjuntai"),
        2,
    ),
    C.SAMPAH: (
        ("sampah",),
        ("menumpuk", "tidak diangkut", "berserakan", "bau", "penuh", "dibakar", "dibuang"),
        2,
    ),
    C.DRAINASE: (
        ("saluran", "got", "selokan", "gorong-gorong", "drainase"),
        ("tersumbat", "mampet", "buntu", "penuh", "meluap", "dangkal", "bau", "rusak", "jebol"),
        2,
    ),
}


def phrase_pattern(phrase: str) -> str:
    body = re.escape(phrase.rstrip("*")).replace(r"\ ", r"\s+")
    return body + (r"[a-z]*" if phrase.endswith("*") else "")


def compile_phrases(phrases: list[str]) -> re.Pattern[str]:
    """One alternation over whole-word phrases, longest first.

    The alternatives are written as a trie on their first letters (``_alternation``):
    the same matches as the flat ``a|b|c`` of ``phrase_pattern``s, several times faster,
    since the regex engine no longer tries every phrase at every word."""
    ordered = sorted(set(phrases), key=lambda p: (-len(p.rstrip("*")), p))
    return re.compile(rf"(?<![a-z0-9])(?:{alternation(ordered)})(?![a-z0-9])")


def alternation(phrases: list[str]) -> str:
    """The regex alternation of ``phrase_pattern``s of ``phrases`` (tried in this order),
    written as a trie (``_alternation``)."""
    return _alternation([_atoms(p) for p in phrases])


class PhraseList:
    """``compile_phrases(phrases)`` with a quick test first: a phrase can only be found
    where one of the text's words ([a-z0-9]+) is its first word (or, for "rusak*",
    begins with it), so a text with none of those words is not scanned at all."""

    def __init__(self, phrases: list[str]) -> None:
        self.pattern = compile_phrases(phrases)
        heads = [_head(p) for p in phrases]
        self._checked = all(head is not None for head in heads)  # no test for a phrase opening with "/", "-", ...
        self._words = frozenset(head[0] for head in heads if head is not None and not head[1])
        self._prefixes = tuple(head[0] for head in heads if head is not None and head[1])

    def search(self, text: str) -> re.Match[str] | None:
        """``pattern.search(text)``."""
        return self.pattern.search(text) if self.may_occur(text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """``pattern.finditer(text)``."""
        return self.pattern.finditer(text) if self.may_occur(text) else iter(())

    def may_occur(self, text: str) -> bool:
        """False only when no phrase can be in ``text``."""
        return not self._checked or not self._words.isdisjoint(text_words(text)) or any(p in text for p in self._prefixes)


def _head(phrase: str) -> tuple[str, bool] | None:
    """(the text's word a match of the phrase starts at, whether that word only begins
    with it), or None when the phrase does not open with a letter or digit.

    ``compile_phrases`` matches only where no letter or digit precedes, so a match starts
    a word of the text. The phrase's leading letters and digits are that whole word when
    anything follows them (a space: ``\\s+``; "-" in "e-ktp"; the end of the pattern:
    no letter or digit may follow), and only its beginning when "*" follows them."""
    body = phrase.rstrip("*")
    lead = re.match(r"[a-z0-9]+", body)
    if lead is None:
        return None
    return lead.group(), phrase.endswith("*") and lead.group() == body


@lru_cache(maxsize=64)
def text_words(text: str) -> frozenset[str]:
    """The words ([a-z0-9]+) of a text (the last few texts' remembered: they are asked
    about phrase after phrase)."""
    return frozenset(_WORDS.findall(text))


_WORDS = re.compile(r"[a-z0-9]+")
_SPACE, _ANY_ENDING = r"\s+", "[a-z]*"


def _atoms(phrase: str) -> list[str]:
    """``phrase_pattern(phrase)`` cut into its pieces: one escaped character, ``\\s+`` or ``[a-z]*``."""
    atoms = [_SPACE if ch == " " else re.escape(ch) for ch in phrase.rstrip("*")]
    return atoms + [_ANY_ENDING] if phrase.endswith("*") else atoms


def _alternation(items: list[list[str]]) -> str:
    """The alternation of ``items`` (each a list of atoms), tried in their order.

    A run of neighbouring items that each start with a literal character is grouped by
    that character: items starting with different characters can never match at the same
    place, and within a group the order is kept, so the regex engine picks the same item
    as it would in the flat alternation (and backtracks the same way). An item that is
    empty or starts with ``\\s+`` or ``[a-z]*`` stays where it is, ending the run.
    """
    parts: list[str] = []
    k = 0
    while k < len(items):
        if not items[k] or items[k][0] in (_SPACE, _ANY_ENDING):
            parts.append("".join(items[k]))
            k += 1
            continue
        groups: dict[str, list[list[str]]] = {}
        while k < len(items) and items[k] and items[k][0] not in (_SPACE, _ANY_ENDING):
            groups.setdefault(items[k][0], []).append(items[k][1:])
            k += 1
        for first, rests in groups.items():
            parts.append(first + ("".join(rests[0]) if len(rests) == 1 else f"(?:{_alternation(rests)})"))
    return "|".join(parts)


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """Every word used in the keyword lists (for telling place names from vocabulary)."""
    words: set[str] = set()
    for table in KEYWORDS.values():
        for phrase in table:
            words.update(re.findall(r"[a-z0-9]+", phrase))
    for subjects, states, _ in PAIRS.values():
        for phrase in subjects + states:
            words.update(re.findall(r"[a-z0-9]+", phrase))
    return frozenset(words)
