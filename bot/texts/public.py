"""Words anyone may read: dates and time zones, the labels of statuses and of the ways to
report. Category labels live with the categories (``complaints.taxonomy.CATEGORY_LABELS``)."""

from complaints.taxonomy import PrivacyMode, Status

MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}

# "23 November 2026", "Senin, 23 November 2026", "Senin, 23 November 2026 pukul 09.00 WIB"
DATE = "{day} {month} {year}"
DAY_AND_DATE = "{weekday}, {date}"
MOMENT = "{day} pukul {time} {zone}"

STATUS_LABELS: dict[Status, str] = {
    Status.DITERIMA: "Diterima",
    Status.DIVERIFIKASI: "Diverifikasi",
    Status.DIDISPOSISIKAN: "Diteruskan ke unit terkait",
    Status.DIPROSES: "Sedang ditindaklanjuti",
    Status.MENUNGGU_INFORMASI: "Menunggu informasi dari pelapor",
    Status.SELESAI: "Selesai ditindaklanjuti",
    Status.DITUTUP: "Ditutup",
    Status.DIBUKA_KEMBALI: "Dibuka kembali",
    Status.DISALURKAN: "Disalurkan ke instansi yang berwenang",
    Status.DITOLAK: "Tidak dapat diproses",
}

PRIVACY_LABELS: dict[PrivacyMode, str] = {
    PrivacyMode.BIASA: "Biasa (identitas terlihat oleh petugas)",
    PrivacyMode.RAHASIA: "Rahasia (identitas hanya diketahui admin pengaduan)",
    PrivacyMode.ANONIM: "Anonim (tanpa identitas)",
}
