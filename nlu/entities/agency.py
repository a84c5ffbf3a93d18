"""Public bodies named in the text: a small curated dictionary, value = canonical name.

Aliases are matched on the normalised text ("rs" is already "rumah sakit").
``AGENCY_CATEGORY`` gives the category a body usually stands for (the classifier's own
keyword lists carry the same hints).
"""

from __future__ import annotations

from functools import lru_cache

from complaints.taxonomy import Category as C

from ..keywords import PhraseList
from ..normalize import Normalized, per_text
from ..result import Entity

AGENCIES: dict[str, tuple[str, ...]] = {
    "Dinas Kependudukan dan Pencatatan Sipil": ("dukcapil", "disdukcapil", "dispendukcapil", "capil", "dinas kependudukan"),
    "PDAM": ("pdam", "perumda air minum", "surya sembada"),
    "PLN": ("pln",),
    "Puskesmas": ("puskesmas", "pustu"),
    "RSUD": ("rsud", "rumah sakit umum daerah"),
    "Rumah Sakit": ("rumah sakit",),
    "Kelurahan": ("kelurahan", "kantor kelurahan", "lurah"),
    "Kecamatan": ("kecamatan", "kantor kecamatan", "camat"),
    "Pemerintah Desa": ("kantor desa", "balai desa", "kepala desa", "kades", "perangkat desa"),
    "RT/RW": ("ketua rt", "bapak rt", "ketua rw", "bapak rw"),
    "Satpol PP": ("satpol pp", "satpol", "pol pp", "satpolpp"),
    "Dinas Perhubungan": ("dishub", "dinas perhubungan"),
    "Dinas Lingkungan Hidup": ("dlh", "dinas lingkungan hidup", "dkrth"),
    "Dinas Pekerjaan Umum": ("dinas pu", "dpu", "dpupr", "pupr", "dinas pekerjaan umum", "bina marga", "dsda"),
    "Dinas Sosial": ("dinsos", "dinas sosial"),
    "Dinas Kesehatan": ("dinkes", "dinas kesehatan"),
    "Dinas Pendidikan": ("dispendik", "disdik", "dinas pendidikan", "diknas"),
    "Dinas Tenaga Kerja": ("disnaker", "disnakertrans", "dinas tenaga kerja"),
    "Dinas Perumahan dan Permukiman": ("disperkim", "dprkpp", "dinas perumahan"),
    "DPMPTSP": ("dpmptsp", "ptsp", "mal pelayanan publik"),
    "Badan Pendapatan Daerah": ("bapenda", "dispenda", "badan pendapatan daerah"),
    "Sekolah": ("sekolah",),
    "SD": ("sd", "sdn"),
    "SMP": ("smp", "smpn"),
    "SMA": ("sma", "sman"),
    "SMK": ("smk", "smkn"),
    "BPJS Kesehatan": ("bpjs", "bpjs kesehatan"),
    "BPJS Ketenagakerjaan": ("bpjs ketenagakerjaan", "bpjs tk", "jamsostek"),
    "Samsat": ("samsat",),
    "Badan Pertanahan Nasional": ("bpn", "kantor pertanahan"),
}

AGENCY_CATEGORY: dict[str, C] = {
    "Dinas Kependudukan dan Pencatatan Sipil": C.ADMINDUK,
    "PDAM": C.AIR_BERSIH,
    "PLN": C.LISTRIK,
    "Puskesmas": C.KESEHATAN,
    "RSUD": C.KESEHATAN,
    "Rumah Sakit": C.KESEHATAN,
    "Kelurahan": C.PELAYANAN_APARATUR,
    "Kecamatan": C.PELAYANAN_APARATUR,
    "Pemerintah Desa": C.PELAYANAN_APARATUR,
    "RT/RW": C.PELAYANAN_APARATUR,
    "Satpol PP": C.KETERTIBAN,
    "Dinas Perhubungan": C.LALU_LINTAS,
    "Dinas Lingkungan Hidup": C.LINGKUNGAN,
    "Dinas Pekerjaan Umum": C.JALAN,
    "Dinas Sosial": C.SOSIAL,
    "Dinas Kesehatan": C.KESEHATAN,
    "Dinas Pendidikan": C.PENDIDIKAN,
    "Dinas Tenaga Kerja": C.KETENAGAKERJAAN,
    "Dinas Perumahan dan Permukiman": C.PERUMAHAN,
    "DPMPTSP": C.PERIZINAN,
    "Badan Pendapatan Daerah": C.PERIZINAN,
    "Sekolah": C.PENDIDIKAN,
    "SD": C.PENDIDIKAN,
    "SMP": C.PENDIDIKAN,
    "SMA": C.PENDIDIKAN,
    "SMK": C.PENDIDIKAN,
    "BPJS Kesehatan": C.KESEHATAN,
    "BPJS Ketenagakerjaan": C.KETENAGAKERJAAN,
    "Samsat": C.PERIZINAN,
    "Badan Pertanahan Nasional": C.PERIZINAN,
}


@lru_cache(maxsize=1)
def _tables() -> tuple[PhraseList, dict[str, str]]:
    by_alias = {alias: name for name, aliases in AGENCIES.items() for alias in aliases}
    return PhraseList(list(by_alias)), by_alias


@per_text  # the parser and the model's features ask
def extract(norm: Normalized) -> list[Entity]:
    pattern, by_alias = _tables()
    found: list[Entity] = []
    for match in pattern.finditer(norm.text):
        name = by_alias.get(" ".join(match.group().split()))
        if name is None:
            continue
        surface, start, end = norm.surface(match.start(), match.end())
        found.append(Entity("agency", name, surface, start, end))
    return found
