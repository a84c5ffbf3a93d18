"""The default vocabulary of TAXONOMY.md: codes used in storage, NLU, reports and APIs."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    ADMINDUK = "adminduk"
    JALAN = "jalan"
    DRAINASE = "drainase"
    PENERANGAN = "penerangan"
    LALU_LINTAS = "lalu_lintas"
    SAMPAH = "sampah"
    LINGKUNGAN = "lingkungan"
    AIR_BERSIH = "air_bersih"
    LISTRIK = "listrik"
    KESEHATAN = "kesehatan"
    PENDIDIKAN = "pendidikan"
    SOSIAL = "sosial"
    PERUMAHAN = "perumahan"
    PERIZINAN = "perizinan"
    KETERTIBAN = "ketertiban"
    KETENAGAKERJAAN = "ketenagakerjaan"
    PELAYANAN_APARATUR = "pelayanan_aparatur"
    LAINNYA = "lainnya"


# The labels are part of the vocabulary (TAXONOMY.md, "label (id)"); a deployment may
# rename them through its configuration.
CATEGORY_LABELS: dict[Category, str] = {
    Category.ADMINDUK: "Administrasi Kependudukan",
    Category.JALAN: "Jalan, Jembatan dan Trotoar",
    Category.DRAINASE: "Saluran, Banjir dan Sungai",
    Category.PENERANGAN: "Penerangan Jalan Umum",
    Category.LALU_LINTAS: "Lalu Lintas, Parkir dan Angkutan",
    Category.SAMPAH: "Kebersihan dan Sampah",
    Category.LINGKUNGAN: "Lingkungan Hidup dan Taman",
    Category.AIR_BERSIH: "Air Bersih",
    Category.LISTRIK: "Listrik",
    Category.KESEHATAN: "Kesehatan",
    Category.PENDIDIKAN: "Pendidikan",
    Category.SOSIAL: "Bantuan Sosial",
    Category.PERUMAHAN: "Perumahan dan Permukiman",
    Category.PERIZINAN: "Perizinan dan Pajak Daerah",
    Category.KETERTIBAN: "Ketertiban Umum",
    Category.KETENAGAKERJAAN: "Ketenagakerjaan dan Ekonomi",
    Category.PELAYANAN_APARATUR: "Pelayanan Aparatur",
    Category.LAINNYA: "Lainnya",
}


class ReportType(StrEnum):
    PENGADUAN = "pengaduan"
    ASPIRASI = "aspirasi"
    PERMINTAAN_INFORMASI = "permintaan_informasi"


class Weight(StrEnum):
    RINGAN = "ringan"
    SEDANG = "sedang"
    BERAT = "berat"


class Maladministration(StrEnum):
    PENUNDAAN_BERLARUT = "penundaan_berlarut"
    TIDAK_MEMBERIKAN_PELAYANAN = "tidak_memberikan_pelayanan"
    TIDAK_KOMPETEN = "tidak_kompeten"
    PENYALAHGUNAAN_WEWENANG = "penyalahgunaan_wewenang"
    PENYIMPANGAN_PROSEDUR = "penyimpangan_prosedur"
    PERMINTAAN_IMBALAN = "permintaan_imbalan"
    TIDAK_PATUT = "tidak_patut"
    BERPIHAK = "berpihak"
    DISKRIMINASI = "diskriminasi"
    KONFLIK_KEPENTINGAN = "konflik_kepentingan"


class Status(StrEnum):
    DITERIMA = "diterima"
    DIVERIFIKASI = "diverifikasi"
    DIDISPOSISIKAN = "didisposisikan"
    DIPROSES = "diproses"
    MENUNGGU_INFORMASI = "menunggu_informasi"
    SELESAI = "selesai"
    DITUTUP = "ditutup"
    DIBUKA_KEMBALI = "dibuka_kembali"
    DISALURKAN = "disalurkan"
    DITOLAK = "ditolak"


class PrivacyMode(StrEnum):
    BIASA = "biasa"  # identity visible to the officers handling the case
    RAHASIA = "rahasia"  # identity kept, but hidden from officers and status replies
    ANONIM = "anonim"  # no identity collected


class CategoryOrigin(StrEnum):
    """Who chose a complaint's category before the admin verified it."""

    AUTOMATIC = "automatic"  # the NLU, sure enough (its confidence at or above its routing threshold)
    CITIZEN = "citizen"  # the citizen, when the NLU was unsure (a suggested button, or their own words)
    UNKNOWN = "unknown"  # nobody: filed as "lainnya" (only an agency named, or nothing understood)
    GIVEN = "given"  # the filer named it (API, Open311, command line)

    @property
    def uncertain(self) -> bool:
        """The verifier should check the category before disposing: the NLU was unsure and
        a citizen (who does not know the city's units) chose, or nobody did."""
        return self in (CategoryOrigin.CITIZEN, CategoryOrigin.UNKNOWN)


class Role(StrEnum):
    SYSTEM = "bot"
    COMPLAINANT = "pelapor"
    ADMIN = "admin"  # verifier / central admin
    OFFICER = "petugas"
    SUPERVISOR = "supervisor"
    HEAD = "kepala"
    PUBLIC = "publik"  # anyone: a public API key, an Open311 reader, a public page
