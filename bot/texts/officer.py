"""What an officer reads: the case as the visibility policy lets them see it, its history,
the messages the domain sends them (new cases, escalations, the daily digest), their own
chat's commands and buttons, and the domain's refusals (chat, command line, API).

Reviewers change wording here only.
"""

from complaints.taxonomy import PrivacyMode, Role

from ..buttons import OfficerAction

WITHHELD = "(isi laporan dirahasiakan)"
PERSON_WITHHELD = {PrivacyMode.ANONIM: "Anonim", PrivacyMode.RAHASIA: "Dirahasiakan", PrivacyMode.BIASA: "-"}
LATE_FILING_FLAG = "Perhatian: dilaporkan lebih dari {days} hari setelah kejadian."
LEVEL_NAMES = {1: "Pengingat", 2: "Lewat batas waktu", 3: "Eskalasi ke pimpinan"}
ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: "admin", Role.OFFICER: "petugas unit", Role.SUPERVISOR: "supervisor", Role.HEAD: "kepala unit",
    Role.COMPLAINANT: "pelapor", Role.SYSTEM: "sistem", Role.PUBLIC: "publik",
}
UNKNOWN_OFFICER = "Petugas \"{officer}\" tidak terdaftar di konfigurasi organisasi."
STATUS_CHANGED = "Status {code} diubah menjadi \"{label}\"."
ASSIGNED = "Laporan {code} sekarang ditangani oleh {officer}."

# --- one case (bot/render/officer.py: case_detail, and the lines of bot/notices.py) -------

CASE_TITLE = "Laporan {code} — {status} [{value}]"
CASE_DESCRIPTION = "Isi: {description}"
CASE_SERVICE = "Layanan: {category}"
CASE_WEIGHT = " | Bobot: {weight}"
CASE_SERVICE_FULL = "Layanan: {category} | Jenis: {report_type} | Bobot: {weight}"
CASE_MALADMINISTRATION = " | Maladministrasi: {value}"
CASE_PLACE = "Lokasi: {place}"
CASE_REGION_CODE = " [kode wilayah {code}]"
CASE_POINT = "titik ({latitude:.5f}, {longitude:.5f})"
CASE_EVENT_DATE = "Waktu kejadian: {date}"
CASE_EVENT_DATE_UNKNOWN = "tidak diingat"
CASE_AGENCY = "Instansi disebut: {agency}"
CASE_COMPLAINANT = "Pelapor: {who}"
CASE_CHANNEL = "Kanal: {channel}"
CASE_UNIT = "Unit: {unit}"
CASE_RECEIVED = "Diterima: {moment}"
CASE_STAGE_DUE = "Batas tahap ini: {moment}"
CASE_ONGOING = "Masalah masih berlangsung (menurut pelapor)."
CASE_UNDELIVERED = "⚠️ Warga belum menerima kabar terakhir ({channel}, sejak {moment}){error}."
CASE_UNDELIVERED_ERROR = ": {error}"
CASE_EVIDENCE = "Lampiran: {count} berkas"
CASE_HISTORY = "Riwayat:"
CASE_HISTORY_ROW = "  {moment} · {actor} · {label}{note}"
CASE_HISTORY_NOTE = " — {note}"

# what an audit entry records (bot/render/officer.py: history_label)
HISTORY_ESCALATED = "Eskalasi"
HISTORY_ESCALATED_LEVEL = "Eskalasi tingkat {level} ({name})"
HISTORY_UNIT = "unit {unit}"
HISTORY_DUE = "batas {moment}"
HISTORY_NOTIFIED = "dikabari: {officers}"
HISTORY_ASSIGNED_TO = "Ditugaskan ke {officer}"
HISTORY_ASSIGNED = "Penugasan petugas"
HISTORY_RATED = "Nilai SKM"
HISTORY_RATED_SCORE = "Nilai SKM {score}"
HISTORY_INFO = "Jawaban pelapor"
HISTORY_NOTE = "Catatan"
# the bot's note on a case whose citizen changed number (bot/identity.py); never the numbers themselves
CHAT_MOVED_NOTE = "Nomor chat pelapor berganti; laporan ini dan kabarnya kini mengikuti nomor barunya."
CHAT_MOVED_SUPPORTER_NOTE = "Nomor chat seorang pendukung berganti; dukungan dan kabarnya kini mengikuti nomor barunya."
HISTORY_TO_UNIT = " ({unit})"
HISTORY_REROUTED = " ({unit}, dialihkan dari {from_unit})"
HISTORY_SATISFIED = " (pelapor puas)"
HISTORY_UNSATISFIED = " (pelapor tidak puas)"
HISTORY_RATING_REASON = " — alasan pelapor: {note}"  # the complainant's words, redacted as every text
HISTORY_STAGE_DUE = ", batas waktu {moment}"  # the deadline of the stage a filing or move started

# --- messages to officers (bot/notices.py) -------------------------------------------------

# The first line of an escalation message; an organisation file may replace each under
# `templates:` using the placeholders {kode}, {unit} and {batas}.
ESCALATION_HEADLINES = {
    "dibuka_kembali": "🔁 Laporan {kode} dibuka kembali: pelapor tidak puas dengan jawabannya.",
    "pengingat": "⏰ Pengingat: batas waktu laporan {kode} jatuh hari ini ({batas}).",
    "lewat_batas": "⚠️ Laporan {kode} melewati batas waktu ({batas}).",
    "pimpinan": "🚨 Laporan {kode} sudah lewat batas waktu lebih dari satu hari kerja ({batas}).",
}
TEMPLATE_FIELDS = frozenset({"kode", "unit", "batas"})

VERIFICATION_NEEDED = "📥 Laporan baru perlu verifikasi: {code}"
SUGGESTED_UNIT = "Saran unit: {unit} ({unit_id})"
# how the category was chosen (complaints.taxonomy.CategoryOrigin); an uncertain one is flagged
CATEGORY_ORIGIN = {
    "automatic": "Layanan dipilih otomatis oleh sistem{confidence}.",
    "citizen": "⚠️ Layanan belum pasti: sistem ragu{confidence}, pelapor memilih sendiri. Mohon periksa sebelum disposisi.",
    "unknown": "⚠️ Layanan belum pasti: sistem dan pelapor tidak menentukannya{confidence}. Mohon tentukan unit saat disposisi.",
    "given": "",
}
CATEGORY_CONFIDENCE = " (keyakinan {percent}%)"
VERIFY_DUE = "Batas verifikasi dan disposisi: {moment}"
DISPOSE_HINT = "Disposisi: aduan case set-status {code} didisposisikan --by {officer}"
NEW_CASE = "📥 Laporan baru untuk {unit}: {code}"
FIRST_FOLLOW_UP_DUE = "Batas tindak lanjut pertama: {moment}"
SHOW_HINT = "Rincian: aduan case show {code} --by {officer}"
INFO_RECEIVED = (
    "💬 Pelapor {code} menjawab permintaan informasi:\n{answer}\n"
    "Batas waktu berjalan kembali. Status: Sedang ditindaklanjuti."
)
INFO_ADDED = "📎 Pelapor {code} menambahkan keterangan pada laporannya:\n{answer}"
INFO_ADDED_FILES = "(disertai {count} lampiran; lihat dengan perintah /lihat {code})"
ESCALATION_UNIT_STATUS = "Unit: {unit} | Status: {status}"
ESCALATION_DUE = "Batas waktu: {moment}"
ESCALATION_ASSIGNEE = "Ditangani: {assignee}"
DIGEST_TITLE = "📊 Ringkasan harian {unit}, {day}"
DIGEST_OPEN = "Laporan terbuka: {count}"
DIGEST_DUE_SOON = "Jatuh tempo dalam {days} hari kerja: {count}"
DIGEST_OVERDUE = "Lewat batas waktu: {count}"
DIGEST_BY_ASSIGNEE = "Per petugas (terbuka / lewat batas):"
DIGEST_ROW = "• {name}: {open} / {overdue}"
DIGEST_NOT_TAKEN = "Belum diambil"
DIGEST_UNDELIVERED = "⚠️ Warga belum menerima kabar terakhir tentang laporan: {codes}"

REOPEN_REASON = "Alasan pelapor: {reason}"
REOPEN_NO_REASON = "Pelapor tidak menyampaikan alasan."
CREATED_NOTE = "Catatan: {note}"

# notes the system writes into a case's history
AUTO_CLOSE_NOTE = (
    "Ditutup otomatis: tidak ada tanggapan pelapor dalam {days} hari kerja "
    "setelah laporan selesai."
)

# --- the domain's refusals (bot/render/errors.py: domain_error) ------------------------

ERROR_ILLEGAL_TRANSITION = (
    "Status laporan tidak dapat diubah dari \"{current}\" ke \"{target}\": "
    "perpindahan itu tidak diizinkan oleh alur penanganan. Tidak ada yang diubah."
)
ERROR_NOTE_REQUIRED = (
    "Perubahan ke \"{target}\" wajib disertai catatan yang akan dibaca pelapor. "
    "Tidak ada yang diubah."
)
ERROR_NOT_DISPOSED = (
    "Laporan {code} belum didisposisikan ke unit Anda, jadi belum dapat dilihat atau "
    "ditindaklanjuti. Verifikasi dan disposisi dilakukan oleh admin; Anda akan diberi tahu bila "
    "laporan diteruskan ke unit Anda."
)
ERROR_NOT_AUTHORISED_STATUS = (
    "Petugas {actor} ({role}) tidak berwenang mengubah status ke \"{target}\": "
    "perubahan itu hanya dapat dilakukan oleh {allowed}. Tidak ada yang diubah."
)
ERROR_NOT_AUTHORISED = "Laporan {code} bukan kewenangan {actor} ({role}). Tidak ada yang diubah."
ERROR_NOT_FOUND = "Laporan {code} tidak ditemukan."
ERROR_BAD_UNIT = "Unit \"{unit}\" tidak dikenal, atau unit hanya dapat dipilih saat disposisi."
ERROR_OTHER = "Permintaan tidak dapat diproses ({code})."


# --- officers in their own chat ----------------------------------------------------------

OFFICER_HELP = (
    "Halo {name}. Perintah petugas (KODE = kode laporan):\n"
    "/daftar — laporan terbuka di unit Anda\n"
    "/lihat KODE — rincian laporan\n"
    "/ambil KODE — tangani laporan ini\n"
    "/verifikasi KODE — laporan sudah diperiksa\n"
    "/disposisi KODE [unit] — teruskan ke unit (tanpa unit: sesuai saran)\n"
    "/proses KODE catatan — sedang ditindaklanjuti\n"
    "/tanya KODE pertanyaan — minta informasi dari pelapor\n"
    "/selesai KODE jawaban — selesai, dengan jawaban untuk pelapor\n"
    "/salurkan KODE instansi — di luar kewenangan, disalurkan ke instansi lain\n"
    "/tolak KODE alasan — tidak dapat diproses\n"
    "/gabung KODE KODE-TUJUAN — KODE duplikat dari KODE-TUJUAN: digabungkan ke sana, pelapornya menjadi pendukung\n"
    "/pisahkan KODE — batalkan penggabungan laporan ini\n"
    "/masuk — tautan masuk ke konsol petugas di peramban\n"
    "Tombol pada pesan laporan juga bisa dipakai."
)
OFFICER_ASK_NOTE = {
    "progress": "Tulis catatan tindak lanjut untuk {code} (akan dibaca pelapor):",
    "ask": "Tulis pertanyaan untuk pelapor {code}:",
    "resolve": "Tulis jawaban penyelesaian untuk pelapor {code}:",
    "forward": "Laporan {code} disalurkan kepada instansi apa?",
    "reject": "Tulis alasan penolakan {code} (akan dibaca pelapor):",
}
OFFICER_BAD_CODE = "Kode \"{typed}\" tidak valid. Contoh: /lihat LPR-7KQ3-MN"
OFFICER_LIST_HEADER = "Laporan terbuka:"
OFFICER_LIST_EMPTY = "Tidak ada laporan terbuka. 👍"
OFFICER_BUTTONS: dict[OfficerAction, str] = {
    OfficerAction.VERIFY: "Verifikasi", OfficerAction.DISPOSE: "Disposisi", OfficerAction.REJECT: "Tolak",
    OfficerAction.TAKE: "Ambil", OfficerAction.PROGRESS: "Proses", OfficerAction.ASK: "Tanya pelapor",
    OfficerAction.RESOLVE: "Selesai", OfficerAction.SHOW: "Rincian",
}
