"""Everything a citizen or an officer reads, in one place (this package), in Bahasa
Indonesia: the chat here, the recap book in ``report.py``, the REST API, API keys and
Rasa in ``integrations.py``.

Keep the tone polite and plain (Anda, Bapak/Ibu). Reviewers change wording here only.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from complaints.deadlines import DeadlinePolicy
from complaints.errors import DomainError
from complaints.notifications import Button
from complaints.org import Officer, Organisation, Unit
from complaints.ports import UnitSummary
from complaints.taxonomy import CATEGORY_LABELS, Category, PrivacyMode, Role, Status
from complaints.tracking import CodeProblem
from complaints.visibility import CaseView, EntryView
from complaints.workflow import TABLE

from ..buttons import CaseAction, EditField, OfficerAction, Rate, Skm

MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}

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


# --- formatting -----------------------------------------------------------------------

def zone_name(tz: ZoneInfo) -> str:
    return ZONE_NAMES.get(tz.key, tz.key)


def format_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_day(moment: datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    return f"{DAYS[local.weekday()]}, {format_date(local.date())}"


def format_moment(moment: datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    return f"{format_day(local, tz)} pukul {local:%H.%M} {zone_name(tz)}"


def category_label(category: Category | str | None) -> str:
    if category is None:
        return "-"
    return CATEGORY_LABELS.get(Category(category), str(category))


def status_label(status: Status | str) -> str:
    return STATUS_LABELS[Status(status)]


def shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- buttons ---------------------------------------------------------------------------

BTN_NEW = "Buat laporan"
BTN_CHECK = "Cek status"
BTN_MINE = "Laporan saya"
BTN_HELP = "Bantuan"
BTN_SEND = "Kirim"
BTN_EDIT = "Ubah"
BTN_CANCEL = "Batal"
BTN_CONTINUE = "Lanjutkan"
BTN_RESTART = "Mulai baru"
BTN_CHAT_CONTACT = "Cukup lewat chat ini"
BTN_DATE_UNKNOWN = "Tidak ingat"
BTN_OTHER_CATEGORY = "Lainnya"

EDIT_FIELD_LABELS: dict[EditField, str] = {
    EditField.DESCRIPTION: "Isi laporan",
    EditField.PLACE: "Lokasi",
    EditField.DATE: "Waktu kejadian",
    EditField.SERVICE: "Layanan/instansi",
    EditField.IDENTITY: "Identitas",
}


# --- general ---------------------------------------------------------------------------

GREETING = (
    "Halo, selamat datang di layanan pengaduan pelayanan publik. 🙏\n"
    "Silakan ceritakan masalah yang Anda alami dengan bahasa sehari-hari, "
    "misalnya: \"jalan depan SD di Kebraon berlubang sudah 2 minggu\".\n"
    "Anda juga bisa mengecek status laporan dengan mengetik \"cek\" diikuti kode laporan."
)
THANKS = "Sama-sama. Terima kasih sudah peduli pada pelayanan publik di lingkungan Anda."
HELP = (
    "Yang bisa Anda lakukan di sini:\n"
    "• Buat laporan: ceritakan saja masalahnya, saya akan menanyakan yang masih kurang.\n"
    "• Cek status: ketik \"cek\" diikuti kode, misalnya \"cek LPR-7KQ3-MN\".\n"
    "• Laporan saya: ketik \"laporan saya\" untuk melihat laporan yang pernah Anda kirim.\n"
    "• Batal: ketik \"batal\" kapan saja untuk membatalkan laporan yang sedang dibuat.\n"
    "Anda boleh melapor secara rahasia atau anonim."
)
OFFICERS_ONLY = (
    "Perintah itu hanya untuk petugas yang terdaftar, jadi tidak ada yang diubah. "
    "Untuk melihat status laporan, ketik \"cek\" diikuti kode laporan."
)
NOT_UNDERSTOOD = (
    "Maaf, saya belum memahami maksud Anda. Jika ingin melapor, ceritakan masalahnya "
    "(apa yang terjadi dan di mana). Ketik \"bantuan\" untuk melihat pilihan lain."
)
TOO_LONG = (
    "Maaf, pesan Anda terlalu panjang (lebih dari {limit} karakter). "
    "Mohon kirim versi yang lebih singkat atau bagi menjadi beberapa pesan."
)
EMPTY_MESSAGE = "Maaf, pesan Anda kosong atau tidak dapat dibaca. Mohon ketik ulang dengan huruf biasa."
STALE_BUTTON = "Maaf, tombol itu sudah tidak berlaku."
SLOW_DOWN = (
    "Mohon maaf, pesan Anda terlalu banyak dalam waktu singkat. Mohon tunggu sekitar satu menit, "
    "lalu kirim kembali pesan Anda."
)
TRY_AGAIN_LATER = "Maaf, sistem sedang mengalami gangguan. Mohon coba lagi sebentar lagi; pesan Anda belum tersimpan."
NOTHING_TO_CANCEL = "Saat ini tidak ada laporan yang sedang Anda buat."
MEDIA_SAVED = "Terima kasih, {kind} sudah kami lampirkan ke laporan ini."
MEDIA_KIND = {"photo": "foto", "document": "dokumen"}
LOCATION_INVALID = "Maaf, titik lokasi itu tidak valid. Silakan bagikan lokasi lagi, atau tuliskan alamatnya."

# --- intake ----------------------------------------------------------------------------

START_INTAKE = "Baik, saya bantu membuat laporan."
ASK_DESCRIPTION = "Silakan ceritakan apa yang terjadi: masalahnya apa, dan sejak kapan?"
ASK_DESCRIPTION_AGAIN = "Mohon ceritakan masalahnya dalam satu atau dua kalimat, misalnya \"lampu jalan di depan gang 5 mati\"."
ASK_PLACE = (
    "Di mana lokasinya? Sebutkan nama jalan atau patokan, beserta kelurahan/desa atau kecamatannya. "
    "Anda juga bisa membagikan lokasi."
)
ASK_PLACE_REGION = (
    "Saya sudah mencatat lokasinya: \"{detail}\". Di kelurahan/desa atau kecamatan mana tepatnya?"
)
PLACE_UNKNOWN = (
    "Maaf, saya tidak menemukan kelurahan atau kecamatan \"{text}\"{scope}. "
    "Mohon periksa ejaannya, atau sebutkan nama kecamatannya."
)
PLACE_SCOPE = " di {area}"
PLACE_ACCEPTED_UNRESOLVED = (
    "Baik, lokasinya saya catat apa adanya. Petugas akan memastikan wilayahnya."
)
ASK_DATE = "Kapan kejadiannya atau sejak kapan masalah ini terjadi? (misalnya: kemarin, 2 minggu lalu, 5 November)"
DATE_FUTURE = "Tanggal itu belum terjadi. Mohon sebutkan kapan kejadiannya (hari ini atau sebelumnya)."
DATE_UNPARSED = "Maaf, saya belum bisa membaca tanggalnya. Contoh: \"kemarin\", \"3 hari lalu\", atau \"12 November 2026\"."
ASK_SERVICE = "Layanan atau instansi apa yang Anda laporkan? (misalnya: PDAM, kelurahan, puskesmas, jalan, sampah)"
ASK_SERVICE_CHOICES = "Laporan ini paling sesuai dengan layanan apa? Pilih salah satu, atau ketik nama layanan/instansinya."
ASK_PRIVACY = (
    "Bagaimana Anda ingin melapor?\n"
    "• Biasa: nama dan nomor Anda terlihat oleh petugas unit yang menangani.\n"
    "• Rahasia: identitas Anda (nama, nomor, NIK) hanya diketahui admin pengaduan, "
    "tidak ditunjukkan ke unit yang Anda laporkan.\n"
    "• Anonim: tanpa nama dan nomor; Anda tetap bisa mengecek status lewat kode laporan.\n"
    "Untuk umum, laporan ditampilkan tanpa data pribadi; laporan rahasia dan anonim tanpa isinya."
)
PRIVACY_BUTTONS = {PrivacyMode.BIASA: "Biasa", PrivacyMode.RAHASIA: "Rahasia", PrivacyMode.ANONIM: "Anonim"}
ASK_NAME = "Boleh kami tahu nama Anda?"
NAME_INVALID = "Mohon tuliskan nama Anda dengan huruf (2 sampai 100 karakter)."
ASK_CONTACT = (
    "Nomor HP/WhatsApp yang bisa dihubungi petugas? "
    "Jika cukup dihubungi lewat chat ini, tekan \"Cukup lewat chat ini\"."
)
CONTACT_INVALID = "Nomor itu sepertinya tidak valid. Contoh yang benar: 0812 3456 7890 atau +62 812 3456 7890."
EMPTY_ANSWER = "Jawaban Anda kosong. {question}"
ASK_EDIT_FIELD = "Bagian mana yang ingin Anda ubah?"
CANCELLED = "Laporan dibatalkan dan tidak disimpan. Jika ingin melapor lagi, ceritakan saja masalahnya kapan pun."
RESUME_OFFER = (
    "Anda masih punya laporan yang belum dikirim: \"{summary}\".\n"
    "Ingin melanjutkannya atau memulai laporan baru?"
)
RESUMED = "Baik, kita lanjutkan."
RESTARTED = "Baik, laporan sebelumnya saya hapus. Kita mulai dari awal."
SUMMARY_HEADER = "Mohon periksa ringkasan laporan Anda:"
SUMMARY_FOOTER = "Jika sudah benar, tekan \"Kirim\". Tekan \"Ubah\" untuk memperbaiki, atau \"Batal\"."
LATE_FILING_NOTE = (
    "Catatan: kejadian ini sudah lebih dari {days} hari yang lalu. Laporan tetap kami terima "
    "dan akan diperiksa oleh petugas verifikasi."
)
LATE_FILING_FLAG = "Perhatian: dilaporkan lebih dari {days} hari setelah kejadian."


def summary(draft: dict, tz: ZoneInfo) -> str:
    place = draft.get("place") or {}
    place_text = ", ".join(p for p in (place.get("detail"), place.get("region_name")) if p) or "-"
    if place.get("latitude") is not None and not place.get("detail"):
        place_text = f"Titik lokasi ({place['latitude']:.5f}, {place['longitude']:.5f})"
    when = draft.get("event_date")
    when_text = format_date(date.fromisoformat(when)) if when and when != "unknown" else "Tidak diingat"
    service = draft.get("agency") or "-"
    if draft.get("category"):
        service = category_label(draft["category"]) + (f" ({draft['agency']})" if draft.get("agency") else "")
    privacy = PrivacyMode(draft.get("privacy") or PrivacyMode.BIASA)
    lines = [
        SUMMARY_HEADER,
        f"• Isi laporan: {draft.get('description', '-')}",
        f"• Lokasi: {place_text}",
        f"• Waktu kejadian: {when_text}",
        f"• Layanan: {service}",
        f"• Cara melapor: {PRIVACY_LABELS[privacy]}",
    ]
    if privacy is not PrivacyMode.ANONIM:
        lines.append(f"• Nama: {draft.get('name') or '-'}")
        lines.append(f"• Kontak: {draft.get('phone') or 'lewat chat ini'}")
    if draft.get("evidence"):
        lines.append(f"• Lampiran: {len(draft['evidence'])} berkas")
    lines.append(SUMMARY_FOOTER)
    return "\n".join(lines)


def receipt(case: CaseView, unit: Unit, policy: DeadlinePolicy) -> str:
    """The tanda bukti, from the complainant's own view of what they filed."""
    tz = unit.timezone
    lines = [
        "Terima kasih, laporan Anda sudah kami terima. ✅",
        f"Kode laporan: {case.code}",
        f"Tanggal: {format_moment(case.created_at, tz)}",
        f"Ditangani oleh: {unit.name}",
    ]
    if case.due_at:
        lines.append(f"Batas waktu verifikasi: {format_day(case.due_at, tz)}")
    if case.details and case.details.resolve_due_at:
        lines.append(f"Target penyelesaian: {format_date(case.details.resolve_due_at.astimezone(tz).date())}")
    if case.late_filing:
        lines.append(LATE_FILING_NOTE.format(days=policy.late_filing_days))
    lines.append(
        f"Simpan kode ini. Untuk mengecek status, ketik \"cek {case.code}\". "
        "Kami akan mengabari Anda setiap ada perkembangan."
    )
    return "\n".join(lines)


# --- status checks ---------------------------------------------------------------------

ASK_CODE = "Silakan ketik kode laporan Anda, misalnya LPR-7KQ3-MN."
CODE_NOT_FOUND = "Laporan dengan kode {code} tidak ditemukan. Mohon periksa kembali kodenya."
CODE_PROBLEMS = {
    CodeProblem.FORMAT: "\"{typed}\" bukan kode laporan yang lengkap. Kode laporan berbentuk LPR-XXXX-XX, misalnya LPR-7KQ3-MN.",
    CodeProblem.CHARACTER: (
        "Kode \"{typed}\" sepertinya salah ketik: kode laporan tidak pernah memakai huruf O, I, L "
        "atau angka 0 dan 1. Mohon periksa kembali."
    ),
    CodeProblem.CHECKSUM: "Kode \"{typed}\" sepertinya salah ketik (ada huruf atau angka yang tertukar). Mohon periksa kembali.",
}
NO_COMPLAINTS = "Anda belum pernah mengirim laporan dari akun ini."
MY_COMPLAINTS_HEADER = "Laporan Anda:"


def status_view(case: CaseView, unit: Unit | None) -> str:
    """A status reply. Only the complainant's own chat reads what they wrote and the
    officer's note; from any other chat the status only, never personal data."""
    tz = unit.timezone if unit else ZoneInfo("Asia/Jakarta")
    last_change = case.updated_at or case.created_at
    lines = [
        f"Laporan {case.code}",
        f"Status: {status_label(case.status)} (sejak {format_moment(last_change, tz)})",
        f"Layanan: {category_label(case.category)}",
        f"Ditangani oleh: {unit.name if unit else '-'}",
        f"Diterima: {format_date(case.created_at.astimezone(tz).date())}",
    ]
    if case.details is not None:
        lines.insert(1, f"Isi: {shorten(case.description or '-', 120)}")
        if case.public_note:
            lines.append(f"Catatan petugas: {case.public_note}")
    return "\n".join(lines)


def my_complaints(cases: list[CaseView], tz: ZoneInfo) -> str:
    lines = [MY_COMPLAINTS_HEADER]
    for c in cases:
        lines.append(
            f"• {c.code} ({format_date(c.created_at.astimezone(tz).date())}): "
            f"{status_label(c.status)} — {shorten(c.description or '-', 50)}"
        )
    lines.append("Ketik \"cek\" diikuti kode untuk melihat rinciannya.")
    return "\n".join(lines)


# --- officers --------------------------------------------------------------------------

WITHHELD = "(isi laporan dirahasiakan)"
PERSON_WITHHELD = {PrivacyMode.ANONIM: "Anonim", PrivacyMode.RAHASIA: "Dirahasiakan", PrivacyMode.BIASA: "-"}


def complainant_line(case: CaseView) -> str:
    """Who reported, as far as the reader may know: the name and contact, or why not."""
    details = case.details
    if details is None:
        return PERSON_WITHHELD[PrivacyMode.RAHASIA]
    person = details.complainant
    if person is None:
        return PERSON_WITHHELD[details.privacy]
    who = person.name or "-"
    contact = ", ".join(c for c in (person.phone, person.email) if c)
    return f"{who} ({contact})" if contact else who


def place_line(case: CaseView) -> str:
    details = case.details
    detail = details.place_detail if details else ""
    parts = [p for p in (detail, case.region_name) if p]
    if len(parts) == 2 and parts[1].casefold().startswith(parts[0].casefold()):
        parts = parts[1:]  # "Kebraon" is already in "Kebraon, Karang Pilang, ..."
    if not parts and details is not None and details.latitude is not None and details.longitude is not None:
        parts.append(f"titik ({details.latitude:.5f}, {details.longitude:.5f})")
    return ", ".join(parts) or "-"


def case_detail(case: CaseView, unit: Unit | None, policy: DeadlinePolicy) -> str:
    """The whole case for an officer, as the visibility policy lets them see it."""
    tz = unit.timezone if unit else ZoneInfo("Asia/Jakarta")
    d = case.details
    lines = [
        f"Laporan {case.code} — {status_label(case.status)} [{case.status.value}]",
        f"Isi: {case.description if case.description is not None else WITHHELD}",
    ]
    if d is not None:
        lines += [
            f"Layanan: {category_label(case.category)} | Jenis: {d.report_type.value} | Bobot: {d.weight.value}"
            + (f" | Maladministrasi: {d.maladministration.value}" if d.maladministration else ""),
            f"Lokasi: {place_line(case)}" + (f" [kode wilayah {d.region_code}]" if d.region_code else ""),
            f"Waktu kejadian: {format_date(d.event_date) if d.event_date else 'tidak diingat'}",
            f"Instansi disebut: {d.agency or '-'}",
            f"Pelapor: {complainant_line(case)}",
            f"Kanal: {d.channel}",
        ]
    else:
        lines += [f"Layanan: {category_label(case.category)}", f"Lokasi: {place_line(case)}"]
    lines += [f"Unit: {unit.name if unit else '-'}", f"Diterima: {format_moment(case.created_at, tz)}"]
    if case.due_at:
        lines.append(f"Batas tahap ini: {format_moment(case.due_at, tz)}")
    if case.late_filing:
        lines.append(LATE_FILING_FLAG.format(days=policy.late_filing_days))
    if d is not None and d.evidence:
        lines.append(f"Lampiran: {len(d.evidence)} berkas")
    lines.append("Riwayat:")
    for entry in case.history:
        note = f" — {entry.note}" if entry.note else ""
        lines.append(f"  {format_moment(entry.at, tz)} · {entry.actor or '-'} · {history_label(entry, tz)}{note}")
    return "\n".join(lines)


def history_label(entry: EntryView, tz: ZoneInfo) -> str:
    """What an audit entry records, from its facts as the viewer may see them (the officers'
    Riwayat, the API's history)."""
    if entry.action == "escalated":
        name = LEVEL_NAMES.get(entry.level or 0)
        parts = [f"Eskalasi tingkat {entry.level} ({name})" if name else "Eskalasi"]
        if entry.unit_id:
            parts.append(f"unit {entry.unit_id}")
        if entry.due_at is not None:
            parts.append(f"batas {format_moment(entry.due_at, tz)}")
        if entry.officers:
            parts.append(f"dikabari: {', '.join(entry.officers)}")
        return ", ".join(parts)
    if entry.action == "assigned":
        return f"Ditugaskan ke {entry.officer_id}" if entry.officer_id else "Penugasan petugas"
    if entry.action == "rated":
        score = SKM_LABELS.get(entry.skm_score or 0)
        return f"Nilai SKM {score}" if score else "Nilai SKM"
    if entry.action == "info":
        return "Jawaban pelapor"
    if entry.to_status is None:
        return "Catatan"
    label = status_label(entry.to_status)
    if entry.unit_id:
        label += f" ({entry.unit_id}" + (f", dialihkan dari {entry.from_unit_id})" if entry.from_unit_id else ")")
    if entry.satisfied is not None:
        label += " (pelapor puas)" if entry.satisfied else " (pelapor tidak puas)"
    return label


def case_row(case: CaseView) -> str:
    return (
        f"{case.code}  {case.status.value:<18} {case.category.value:<18} "
        f"{(case.unit_id or '-'):<14} {shorten(case.description if case.description is not None else WITHHELD, 50)}"
    )


RATE_SATISFIED = "Puas"
RATE_UNSATISFIED = "Tidak puas"
SKM_LABELS = {1: "1 · Tidak baik", 2: "2 · Kurang baik", 3: "3 · Baik", 4: "4 · Sangat baik"}
LEVEL_NAMES = {1: "Pengingat", 2: "Lewat batas waktu", 3: "Eskalasi ke pimpinan"}


def rating_buttons(code: str) -> tuple[Button, ...]:
    return (Rate(code, True).button(RATE_SATISFIED), Rate(code, False).button(RATE_UNSATISFIED))


def skm_buttons(code: str) -> tuple[Button, ...]:
    return tuple(Skm(code, score).button(label) for score, label in SKM_LABELS.items())


# The first line of an escalation message; an organisation file may replace each under
# `templates:` using the placeholders {kode}, {unit} and {batas}.
ESCALATION_HEADLINES = {
    "dibuka_kembali": "🔁 Laporan {kode} dibuka kembali: pelapor tidak puas dengan jawabannya.",
    "pengingat": "⏰ Pengingat: batas waktu laporan {kode} jatuh hari ini ({batas}).",
    "lewat_batas": "⚠️ Laporan {kode} melewati batas waktu ({batas}).",
    "pimpinan": "🚨 Laporan {kode} sudah lewat batas waktu lebih dari satu hari kerja ({batas}).",
}
TEMPLATE_FIELDS = frozenset({"kode", "unit", "batas"})


NOTE_LABELS = {
    Status.MENUNGGU_INFORMASI: "Pertanyaan petugas",
    Status.SELESAI: "Jawaban petugas",
    Status.DITOLAK: "Alasan",
    Status.DISALURKAN: "Disalurkan kepada",
}


class IndonesianNotices:
    """The notification texts the domain asks for (complaints.notifications.Notices), each
    worded from the case as its reader may see it."""

    def __init__(self, templates: dict[str, str] | None = None, policy: DeadlinePolicy | None = None) -> None:
        self.headlines = {**ESCALATION_HEADLINES, **(templates or {})}
        self.policy = policy or DeadlinePolicy()

    @staticmethod
    def _case_lines(case: CaseView) -> list[str]:
        weight = f" | Bobot: {case.details.weight.value}" if case.details else ""
        return [
            f"Layanan: {category_label(case.category)}{weight}",
            f"Isi: {shorten(case.description, 300) if case.description is not None else WITHHELD}",
            f"Lokasi: {place_line(case)}",
            f"Pelapor: {complainant_line(case)}",
        ]

    def verification_needed(self, case: CaseView, suggested: Unit, officer: Officer) -> str:
        lines = [f"📥 Laporan baru perlu verifikasi: {case.code}", *self._case_lines(case),
                 f"Saran unit: {suggested.name} ({suggested.id})"]
        if case.late_filing:
            lines.append(LATE_FILING_FLAG.format(days=self.policy.late_filing_days))
        if case.due_at:
            lines.append(f"Batas verifikasi dan disposisi: {format_moment(case.due_at, suggested.timezone)}")
        lines.append(f"Disposisi: aduan case set-status {case.code} didisposisikan --by {officer.id}")
        return "\n".join(lines)

    def new_case(self, case: CaseView, unit: Unit, officer: Officer) -> str:
        lines = [f"📥 Laporan baru untuk {unit.name}: {case.code}", *self._case_lines(case)]
        if case.due_at:
            lines.append(f"Batas tindak lanjut pertama: {format_moment(case.due_at, unit.timezone)}")
        lines.append(f"Rincian: aduan case show {case.code} --by {officer.id}")
        return "\n".join(lines)

    def status_changed(self, case: CaseView, note: str, unit: Unit) -> str:
        lines = [
            f"Kabar terbaru laporan {case.code}:",
            f"Status: {status_label(case.status)}",
        ]
        if note:
            lines.append(f"{NOTE_LABELS.get(case.status, 'Catatan')}: {note}")
        if case.status is Status.MENUNGGU_INFORMASI:
            lines.append("Silakan balas pesan ini dengan informasi yang diminta; foto juga boleh.")
        if case.status is Status.SELESAI:
            lines.append("Apakah Anda puas dengan tindak lanjut ini? Mohon pilih salah satu.")
        lines.append(f"Ketik \"cek {case.code}\" untuk melihat rinciannya.")
        return "\n".join(lines)

    def rating_buttons(self, code: str) -> tuple[Button, ...]:
        return rating_buttons(code)

    def case_buttons(self, code: str, stage: str) -> tuple[Button, ...]:
        actions = VERIFIER_ACTIONS if stage == "verify" else UNIT_ACTIONS
        return officer_buttons(code, actions)

    def info_received(self, case: CaseView, text: str | None, officer: Officer) -> str:
        answer = shorten(text, 1000) if text is not None else WITHHELD
        return (
            f"💬 Pelapor {case.code} menjawab permintaan informasi:\n{answer}\n"
            "Batas waktu berjalan kembali. Status: Sedang ditindaklanjuti."
        )

    def escalation(self, case: CaseView, unit: Unit, level: int, officer: Officer, reason: str) -> str:
        tz = unit.timezone
        key = "dibuka_kembali" if reason == "reopened" else {1: "pengingat", 2: "lewat_batas"}.get(level, "pimpinan")
        due = format_moment(case.due_at, tz) if case.due_at else "-"
        head = self.headlines[key].format(kode=case.code, unit=unit.name, batas=due)
        lines = [head, f"Unit: {unit.name} | Status: {status_label(case.status)}", *self._case_lines(case)[:2]]
        if case.due_at:
            lines.append(f"Batas waktu: {format_moment(case.due_at, tz)}")
        if case.details is not None and case.details.assignee:
            lines.append(f"Ditangani: {case.details.assignee}")
        lines.append(f"Rincian: aduan case show {case.code} --by {officer.id}")
        return "\n".join(lines)

    def digest(self, unit: Unit, summary: UnitSummary, officer: Officer, now: datetime,
               officers: dict[str, Officer]) -> str:
        lines = [
            f"📊 Ringkasan harian {unit.name}, {format_day(now, unit.timezone)}",
            f"Laporan terbuka: {summary.open}",
            f"Jatuh tempo dalam {summary.soon_days} hari kerja: {summary.due_soon}",
            f"Lewat batas waktu: {summary.overdue}",
        ]
        if summary.by_assignee:
            lines.append("Per petugas (terbuka / lewat batas):")
            for assignee, (open_count, overdue) in sorted(summary.by_assignee.items(), key=lambda kv: kv[0] or ""):
                name = officers[assignee].name if assignee in officers else (assignee or "Belum diambil")
                lines.append(f"• {name}: {open_count} / {overdue}")
        return "\n".join(lines)

    def satisfied_note(self) -> str:
        return "Pelapor puas dengan tindak lanjut."

    def unsatisfied_note(self) -> str:
        return "Pelapor tidak puas dengan tindak lanjut."

    def auto_close_note(self, working_days: int) -> str:
        return (f"Ditutup otomatis: tidak ada tanggapan pelapor dalam {working_days} hari kerja "
                "setelah laporan selesai.")


# --- ratings (what the citizen reads) ----------------------------------------------------

RATED_SATISFIED = (
    "Terima kasih atas penilaian Anda. Laporan {code} kami tutup.\n"
    "Satu pertanyaan lagi: bagaimana kualitas jawaban petugas?"
)
RATED_UNSATISFIED = (
    "Terima kasih atas kejujuran Anda. Laporan {code} kami buka kembali dan kami teruskan "
    "kepada {level} {unit} untuk ditindaklanjuti."
)
NEXT_STEP_ATASAN = (
    "Jika setelah itu Anda masih belum puas, Anda dapat menyampaikannya lagi di sini "
    "dan laporan akan diteruskan ke pimpinan yang lebih tinggi."
)
NEXT_STEP_OMBUDSMAN = (
    "Jika Anda tetap belum puas, Anda berhak menyampaikan pengaduan ke Ombudsman Republik Indonesia "
    "(www.ombudsman.go.id, telepon 137) dengan menyebutkan kode laporan {code}."
)
LEVEL_AUDIENCE = {2: "atasan (supervisor) di", 3: "pimpinan"}
SKM_THANKS = "Terima kasih, nilai Anda ({label}) sudah kami catat untuk perbaikan layanan."
NOT_RATEABLE = "Laporan {code} saat ini tidak dapat dinilai (status: {status})."
ALREADY_SCORED = "Nilai untuk laporan {code} sudah tercatat sebelumnya. Terima kasih."
WHICH_TO_RATE = "Anda punya beberapa laporan yang menunggu penilaian. Mohon pilih lewat tombol pada pesan laporan yang dimaksud."
INFO_FORWARDED = (
    "Terima kasih, informasi Anda untuk laporan {code} sudah kami teruskan kepada petugas. "
    "Kami akan mengabari perkembangan berikutnya."
)


# --- errors for officers on the command line -------------------------------------------

CLI_NOTE_HINT = "Tuliskan catatannya dengan --note \"...\"."


ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: "admin", Role.OFFICER: "petugas unit", Role.SUPERVISOR: "supervisor", Role.HEAD: "kepala unit",
    Role.COMPLAINANT: "pelapor", Role.SYSTEM: "sistem", Role.PUBLIC: "publik",
}


def roles_allowed(target: Status) -> str:
    """Who may move a complaint into ``target``, read from the workflow table."""
    roles = {role for row in TABLE if row.target is target for role in row.roles} - {Role.SYSTEM}
    ordered = [ROLE_LABELS[r] for r in (Role.ADMIN, Role.HEAD, Role.SUPERVISOR, Role.OFFICER, Role.COMPLAINANT)
               if r in roles]
    return ", ".join(ordered) or "-"


def domain_error(error: DomainError) -> str:
    """A refusal of the domain, worded for the officer (chat, command line, API)."""
    p = error.params
    if error.code == "illegal_transition":
        return (
            f"Status laporan tidak dapat diubah dari \"{p['current']}\" ke \"{p['target']}\": "
            "perpindahan itu tidak diizinkan oleh alur penanganan. Tidak ada yang diubah."
        )
    if error.code == "note_required":
        return (f"Perubahan ke \"{p['target']}\" wajib disertai catatan yang akan dibaca pelapor. "
                "Tidak ada yang diubah.")
    if error.code == "not_disposed":
        return (
            f"Laporan {p.get('code', '')} belum didisposisikan ke unit Anda, jadi belum dapat dilihat atau "
            "ditindaklanjuti. Verifikasi dan disposisi dilakukan oleh admin; Anda akan diberi tahu bila "
            "laporan diteruskan ke unit Anda."
        )
    if error.code == "not_authorised":
        role = ROLE_LABELS.get(Role(p["role"]), str(p["role"])) if "role" in p else "-"
        if "target" in p:
            return (
                f"Petugas {p['actor']} ({role}) tidak berwenang mengubah status ke \"{p['target']}\": "
                f"perubahan itu hanya dapat dilakukan oleh {roles_allowed(Status(p['target']))}. Tidak ada yang diubah."
            )
        return f"Laporan {p.get('code', '')} bukan kewenangan {p['actor']} ({role}). Tidak ada yang diubah."
    if error.code == "not_found":
        return f"Laporan {p.get('code', '')} tidak ditemukan."
    if error.code == "bad_unit":
        return f"Unit \"{p.get('unit', '')}\" tidak dikenal, atau unit hanya dapat dipilih saat disposisi."
    return f"Permintaan tidak dapat diproses ({error.code})."


UNKNOWN_OFFICER = "Petugas \"{officer}\" tidak terdaftar di konfigurasi organisasi."
UNKNOWN_STATUS = "Status \"{status}\" tidak dikenal. Pilihan: {choices}."
STATUS_CHANGED = "Status {code} diubah menjadi \"{label}\"."

# --- the terminal (aduan chat) ---------------------------------------------------------

JSONL_LINE = "Baris {number} diabaikan: {problem}"
JSONL_BAD_JSON = "bukan JSON yang valid ({error})."
JSONL_NOT_OBJECT = "harus berupa objek JSON, misalnya {\"from\": \"warga-1\", \"text\": \"halo\"}."
JSONL_BAD_SENDER = "kolom \"from\" wajib diisi teks (paling banyak 64 karakter)."
JSONL_ONE_KIND = "isi tepat satu dari \"text\", \"button\", \"location\", \"photo\" atau \"document\"."
JSONL_NOT_STRING = "kolom \"{field}\" harus berupa teks."
JSONL_BAD_LOCATION = "lokasi harus berupa {\"lat\": angka, \"lon\": angka} yang masuk akal."
CONSOLE_NO_SUCH_BUTTON = "pilih nomor tombol 1 sampai {count}."
CONSOLE_FOR_OTHER = "📨 [untuk {recipient}] "
CONSOLE_OTHERS_BUTTONS = "(tombol: {labels})"
CONSOLE_WELCOME = (
    "Layanan pengaduan — percakapan di terminal. Ketik pesan Anda lalu tekan Enter.\n"
    "Ketik nomor untuk menekan tombol, \"/lokasi LAT,LON\" untuk berbagi lokasi, "
    "\"/foto PATH\" untuk melampirkan foto. Tekan Ctrl+D untuk keluar.\n"
    "Pesan untuk petugas ditampilkan dengan tanda 📨."
)

ASSIGNED = "Laporan {code} sekarang ditangani oleh {officer}."
BAD_MOMENT = "\"{value}\" bukan waktu ISO dengan zona waktu, misalnya 2026-11-30T09:00:00+07:00."
SWEEP_DONE = "Sapuan selesai: {escalated} laporan dieskalasi, {closed} ditutup otomatis, {queued} pesan diantrekan."
SCHEDULER_ALREADY_RUNNING = (
    "Scheduler lain sudah berjalan untuk database SQLite ini. SQLite hanya mendukung satu scheduler; "
    "hentikan yang lain, atau gunakan PostgreSQL untuk menjalankan beberapa proses."
)
SCHEDULER_STARTED = "Scheduler berjalan: sapuan eskalasi, pengiriman pesan, dan ringkasan harian. Tekan Ctrl+C untuk berhenti."


def organisation_summary(org: Organisation) -> str:
    lines = [org.name, f"Wilayah: {org.region_code or '-'} | Unit pusat: {org.default_unit}",
             f"Jam kerja: {org.working_hours.start:%H.%M}-{org.working_hours.end:%H.%M}"]
    for label, days in (("Biasa", org.policy.normal), ("Berat", org.policy.urgent)):
        lines.append(f"Batas waktu ({label}): verifikasi {days.verify} hari kerja, tindak lanjut {days.follow_up} "
                     f"hari kerja, penyelesaian {days.resolve} hari, tutup otomatis {days.auto_close} hari kerja")
    if org.extra_holidays:
        lines.append("Libur daerah: " + ", ".join(format_date(d) for d in sorted(org.extra_holidays)))
    lines.append("Unit:")
    for unit in org.units.values():
        routed = [c for c, u in org.routing.items() if u == unit.id]
        lines.append(f"• {unit.id}: {unit.name} ({unit.kind}, {zone_name(unit.timezone)})"
                     + (f" — {', '.join(category_label(c) for c in routed)}" if routed else ""))
        for officer in org.officers_of(unit.id):
            chats = ", ".join(f"{ch}:{who}" for ch, who in officer.identities.items()) or "-"
            lines.append(f"    {officer.id} · {officer.name} · {officer.role.value} · {chats}")
        for level in (1, 2, 3):
            who = ", ".join(o.id for o in org.escalation_recipients(unit.id, level)) or "-"
            lines.append(f"    eskalasi {level}: {who}")
    return "\n".join(lines)


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
# the buttons on a case message: for the verifiers, and for the unit it was disposed to
VERIFIER_ACTIONS = (OfficerAction.VERIFY, OfficerAction.DISPOSE, OfficerAction.REJECT, OfficerAction.SHOW)
UNIT_ACTIONS = (OfficerAction.TAKE, OfficerAction.PROGRESS, OfficerAction.ASK, OfficerAction.RESOLVE)


def officer_buttons(code: str, actions: tuple[OfficerAction, ...]) -> tuple[Button, ...]:
    return tuple(CaseAction(action, code).button(OFFICER_BUTTONS[action]) for action in actions)


# --- Telegram ----------------------------------------------------------------------------

# A photo or document refused, on every channel (bot/media.py decides; nothing is stored)
MEDIA_TOO_BIG = (
    "Mohon maaf, berkas Anda terlalu besar (paling besar {limit}). Mohon kirim berkas yang lebih kecil, "
    "misalnya foto biasa atau PDF yang sudah dikompres. Berkas ini tidak kami simpan."
)
MEDIA_TYPE = (
    "Mohon maaf, jenis berkas ini belum dapat kami terima. Silakan kirim foto (JPG, PNG, atau WEBP) "
    "atau dokumen (PDF, Word, atau Excel). Berkas ini tidak kami simpan."
)
MEDIA_FAILED = "Mohon maaf, berkas Anda belum berhasil kami terima. Mohon kirim ulang sebentar lagi."
MEDIA_INVALID = MEDIA_TYPE  # the engine's answer to media no channel would deliver
TELEGRAM_UNSUPPORTED = (
    "Maaf, jenis pesan itu belum bisa kami proses. Silakan kirim teks, foto, dokumen PDF, atau lokasi."
)
TELEGRAM_PRIVATE_ONLY = "Untuk melapor, silakan kirim pesan langsung (chat pribadi) ke bot ini."


# --- WhatsApp
WA_UNSUPPORTED = (
    "Maaf, jenis pesan ini belum bisa kami proses. Silakan kirim teks, foto, dokumen (PDF), "
    "atau bagikan lokasi."
)
WA_LIST_BUTTON = "Pilih"
WA_CHOOSE = "Silakan pilih:"
WA_MORE_CHOICES = "Pilihan lainnya:"

SERVE_STARTED = "aduan berjalan: kanal {channels}; server HTTP di {url} (/healthz). Tekan Ctrl+C untuk berhenti."
SERVE_NO_CHANNELS = (
    "tidak ada (isi ADUAN_TELEGRAM_BOT_TOKEN, atau ADUAN_WHATSAPP_ACCESS_TOKEN dan "
    "ADUAN_WHATSAPP_PHONE_NUMBER_ID; lihat README)"
)

OUTBOX_NONE_FAILED = "Tidak ada pesan yang gagal terkirim."
OUTBOX_FAILED_ROW = "#{id} [{channel} → {recipient}] laporan {code}: gagal setelah {attempts} percobaan, {at}. Alasan: {reason}"
OUTBOX_NOT_FAILED = "Pesan #{id} tidak ada atau tidak berstatus gagal."
OUTBOX_REQUEUED = "Pesan #{id} diantrekan kembali."

# --- the database is down or restarting (nothing of the message was stored) ---------------
DATABASE_UNAVAILABLE = (
    "Mohon maaf, sistem kami sedang mengalami gangguan sementara, jadi pesan Anda belum tersimpan. "
    "Mohon coba lagi sebentar lagi; percakapan Anda akan dilanjutkan dari langkah terakhir."
)


# The wording of the recap book (report.py) and of the integrations (integrations.py: the
# REST API, API keys, the Rasa action server) lives beside this file, re-exported here so
# that every text is ``texts.NAME``.
from .integrations import *  # noqa: E402, F403
from .report import *  # noqa: E402, F403
