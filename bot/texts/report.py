"""The recap book (Buku Rekapitulasi Pengaduan): everything `aduan report` writes (xlsx,
csv, html) and says; aduan/report/ lays it out. Statuses, categories, ratings and
escalation levels use the chat's labels (``bot.texts``)."""

REPORT_TITLE = "Buku Rekapitulasi Pengaduan"
REPORT_SHEET_ROWS = "Buku Rekapitulasi"  # xlsx sheet names: at most 31 characters
REPORT_SHEET_SUMMARY = "Ringkasan"
REPORT_SUMMARY_TITLE = "Ringkasan Rekapitulasi Pengaduan"
REPORT_COLUMNS = {
    "no": "No",
    "date": "Tanggal Masuk",
    "code": "Kode Laporan",
    "channel": "Kanal",
    "category": "Kategori",
    "weight": "Bobot",
    "unit": "Unit",
    "status": "Status",
    "days_working": "Lama (hari kerja)",
    "days_calendar": "Lama (hari kalender)",
    "on_time": "Sesuai Batas Waktu",
    "verify": "Verifikasi Tepat Waktu",
    "follow_up": "Tindak Lanjut Tepat Waktu",
    "resolve": "Penyelesaian Tepat Waktu",
    "rating": "Penilaian",
    "skm": "Nilai SKM",
    "supporters": "Pendukung",
}
REPORT_CHANNELS = {"console": "Terminal", "telegram": "Telegram", "whatsapp": "WhatsApp", "web": "Web"}
REPORT_WEIGHTS = {"ringan": "Ringan", "sedang": "Sedang", "berat": "Berat"}
REPORT_VERDICTS = {"tepat_waktu": "Ya", "terlambat": "Tidak", "berjalan": "Dalam proses", "tidak_berlaku": "-"}
REPORT_STAGES = {
    "verifikasi": "Verifikasi dan disposisi",
    "tindak_lanjut": "Tindak lanjut pertama oleh unit",
    "penyelesaian": "Penyelesaian",
}
REPORT_DEADLINE_WORKING = "{normal} hari kerja (berat: {urgent})"
REPORT_DEADLINE_CALENDAR = "{normal} hari (berat: {urgent})"
REPORT_GRADES = {"A": "A (Sangat Baik)", "B": "B (Baik)", "C": "C (Kurang Baik)", "D": "D (Tidak Baik)"}
REPORT_ALL_UNITS = "Semua unit"
REPORT_NONE = "-"
REPORT_PERIOD = "Periode: {start} s.d. {end} (tanggal laporan masuk, {zone})"
REPORT_UNIT_FILTER = "Unit: {unit}"
REPORT_AS_OF = "Keadaan per: {moment}"
REPORT_SECTIONS = {
    "overview": "Ikhtisar",
    "category": "Jumlah laporan per kategori",
    "unit": "Jumlah laporan per unit",
    "channel": "Jumlah laporan per kanal",
    "stages": "Ketepatan waktu per tahap",
    "compliance": "Ketepatan waktu per unit",
    "escalations": "Eskalasi per unit",
    "weeks": "Tren mingguan",
    "skm": "Survei Kepuasan Masyarakat (SKM)",
    "rows": "Daftar laporan",
    "notes": "Catatan",
}
REPORT_OVERVIEW = {
    "total": "Jumlah laporan masuk",
    "resolved": "Selesai atau ditutup",
    "open": "Masih dalam proses",
    "forwarded": "Disalurkan ke instansi yang berwenang",
    "rejected": "Tidak dapat diproses",
    "rejected_spam": "Di antaranya ditolak sebagai spam (tidak dihitung dalam capaian batas waktu)",
    "merged": "Di antaranya digabungkan ke laporan lain yang sama (duplikat)",
    "supporters": "Warga yang mendukung laporan yang sudah ada (tidak melapor ulang)",
    "supported_cases": "Laporan yang didukung warga lain",
    "on_time": "Laporan yang seluruh tahapnya tepat waktu",
    "avg_working": "Rata-rata lama penyelesaian (hari kerja)",
    "avg_calendar": "Rata-rata lama penyelesaian (hari kalender)",
    "ikm": "Indeks Kepuasan Masyarakat (IKM, skala 25-100)",
    "grade": "Mutu pelayanan",
    "respondents": "Jumlah responden SKM",
    "satisfied": "Pelapor menyatakan puas",
    "unsatisfied": "Pelapor menyatakan tidak puas",
    "routed_automatically": "Laporan lewat percakapan yang layanannya ditentukan otomatis",
    "rerouted_after_automatic": "Di antaranya dialihkan admin ke unit lain saat disposisi",
}
REPORT_HEADERS = {
    "item": "Uraian",
    "value": "Nilai",
    "count": "Jumlah",
    "share": "Persentase",
    "category": "Kategori",
    "unit": "Unit",
    "channel": "Kanal",
    "stage": "Tahap",
    "deadline": "Batas waktu",
    "met": "Tepat waktu",
    "missed": "Terlambat",
    "running": "Dalam proses",
    "met_share": "% tepat waktu",
    "week": "Minggu",
    "submitted": "Laporan masuk",
    "resolved": "Laporan selesai",
    "score": "Nilai SKM",
    "escalations": "Jumlah eskalasi",
}
REPORT_NOTES = (
    "Tepat waktu dihitung per tahap menurut batas waktu organisasi. Tahap yang belum selesai "
    "dihitung terlambat bila batas waktunya sudah lewat, selain itu \"dalam proses\".",
    "Lama dihitung sejak laporan masuk sampai selesai, disalurkan atau ditolak (bagi yang masih "
    "berjalan: sampai waktu keadaan per di atas), termasuk waktu menunggu informasi dari pelapor. "
    "Hari kerja tidak menghitung Sabtu, Minggu, hari libur nasional dan cuti bersama.",
    "IKM = rata-rata nilai SKM (1-4) x 25. Mutu pelayanan menurut PermenPANRB Nomor 14 Tahun 2017: "
    "A 88,31-100; B 76,61-88,30; C 65,00-76,60; D 25,00-64,99.",
)
REPORT_CHART_TITLES = {
    "weeks": "Tren laporan per minggu",
    "category": "Laporan per kategori",
    "compliance": "Ketepatan waktu per unit",
}
REPORT_CHART_AXES = {"weeks": "Jumlah laporan", "category": "Jumlah laporan", "compliance": "Persentase tahap (%)"}
REPORT_CHARTS_UNAVAILABLE = (
    "Grafik tidak ditampilkan karena paket matplotlib belum terpasang. "
    "Pasang dengan: pip install 'aduan[charts]', lalu buat ulang laporan ini."
)
REPORT_ROWS_TRUNCATED = (
    "Ditampilkan {shown} dari {total} laporan. Daftar lengkapnya ada di ekspor xlsx atau csv "
    "(aduan report --format xlsx)."
)
REPORT_MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")

# the command line
REPORT_ERROR = "Kesalahan: {message}"
REPORT_DATE_MISSING = "Mohon isi {option} dengan tanggal berformat TTTT-BB-HH, misalnya {option} 2026-11-01."
REPORT_BAD_DATE = "Tanggal {option} \"{value}\" tidak valid. Gunakan format TTTT-BB-HH, misalnya 2026-11-01."
REPORT_BAD_RANGE = "Tanggal awal ({start}) lebih akhir dari tanggal akhir ({end}). Mohon periksa --from dan --to."
REPORT_BAD_FORMAT = "Format \"{value}\" tidak dikenal. Pilihan: {choices}."
REPORT_UNKNOWN_UNIT = "Unit \"{unit}\" tidak terdaftar di konfigurasi organisasi. Pilihan: {choices}."
REPORT_NO_FOLDER = "Folder \"{folder}\" tidak ada. Buat dulu foldernya, atau pilih --output yang lain."
REPORT_PROGRESS_LABEL = "Menyusun rekap"
REPORT_PROGRESS = "Menyusun rekap: {done} dari {total} laporan ({percent}%)"
REPORT_WRITTEN = "Rekap {count} laporan tersimpan di {path}"
REPORT_WEEK_DAY = "{day} {month}"  # a week of the trend: "23–29 Nov", "30 Nov–6 Des", "1 Nov"
REPORT_WEEK = "{start}–{end}"
