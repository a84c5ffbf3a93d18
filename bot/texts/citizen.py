"""What a citizen reads in the chat (Telegram, WhatsApp, the terminal, Rasa): the
questions of the intake, the summary and the receipt, status checks, ratings, the news of
their complaint, and the refusals of what a channel cannot take.

Keep the tone polite and plain (Anda, Bapak/Ibu). Reviewers change wording here only.
"""

from complaints.taxonomy import PrivacyMode, Status
from complaints.tracking import CodeProblem

from ..buttons import EditField

# --- buttons ---------------------------------------------------------------------------

BTN_NEW = "Buat laporan"
BTN_CHECK = "Cek status"
BTN_MINE = "Laporan saya"
BTN_HELP = "Bantuan"
BTN_SEND = "Kirim"
BTN_SEND_RAHASIA = "Kirim rahasia"
BTN_SEND_ANONIM = "Kirim anonim"
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
MEDIA_KIND = {"photo": "foto", "document": "dokumen", "voice": "pesan suara", "video": "video"}
LOCATION_INVALID = "Maaf, titik lokasi itu tidak valid. Silakan bagikan lokasi lagi, atau tuliskan alamatnya."

# --- intake ----------------------------------------------------------------------------

START_INTAKE = "Baik, saya bantu membuat laporan."
ASK_DESCRIPTION = (
    "Silakan ceritakan apa yang terjadi: masalahnya apa, di mana (jalan dan kelurahan), dan sejak kapan? "
    "Satu pesan saja cukup."
)
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
ASK_NAME = (
    "Boleh kami tahu nama Anda? Nama hanya untuk petugas yang berwenang. "
    "Jika tidak ingin menyebutkan nama, ketik \"anonim\"."
)
NAME_INVALID = "Mohon tuliskan nama Anda saja, dengan huruf (2 sampai 100 karakter), misalnya \"Sulastri\"."
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
SUMMARY_FOOTER = (
    "Jika sudah benar, tekan \"Kirim\". Pilih \"Kirim rahasia\" agar identitas Anda hanya diketahui admin "
    "pengaduan, atau \"Kirim anonim\" untuk melapor tanpa nama dan nomor. Ada yang keliru? Tekan \"Ubah\" "
    "atau langsung ketik perbaikannya."
)
SUMMARY_FOOTER_SENSITIVE = (
    "Untuk laporan seperti ini kami sarankan \"Kirim rahasia\": identitas Anda hanya diketahui admin pengaduan, "
    "tidak oleh unit yang Anda laporkan. \"Kirim anonim\" berarti tanpa nama dan nomor; \"Kirim\" biasa "
    "menampilkan nama Anda kepada petugas yang menangani. Ada yang keliru? Tekan \"Ubah\" atau ketik perbaikannya."
)
LATE_FILING_NOTE = (
    "Catatan: kejadian ini sudah lebih dari {days} hari yang lalu. Laporan tetap kami terima "
    "dan akan diperiksa oleh petugas verifikasi."
)

# the summary before sending (bot/render/citizen.py: summary)
SUMMARY_DESCRIPTION = "• Isi laporan: {description}"
SUMMARY_PLACE = "• Lokasi: {place}"
SUMMARY_POINT = "titik lokasi yang Anda bagikan"
SUMMARY_DATE = "• Waktu kejadian: {date}"
SUMMARY_DATE_UNKNOWN = "Tidak diingat"
SUMMARY_SERVICE = "• Layanan: {service}"
SUMMARY_SERVICE_AGENCY = "{category} ({agency})"
SUMMARY_PRIVACY = "• Cara melapor: {privacy}"
SUMMARY_ONGOING = "{date} (masih berlangsung)"
SUMMARY_NAME_PROFILE = "• Nama: {name} (dari profil akun Anda)"
SUMMARY_PHONE = "• Nomor HP: {phone}"
SUMMARY_NAME = "• Nama: {name}"
SUMMARY_CONTACT = "• Kontak: {contact}"
SUMMARY_CONTACT_CHAT = "lewat chat ini"
SUMMARY_EVIDENCE = "• Lampiran: {count} berkas"

# the tanda bukti, once the report is filed (bot/render/citizen.py: receipt)
RECEIPT_HEADER = "Terima kasih, laporan Anda sudah kami terima. ✅"
RECEIPT_HEADER_NAMED = "Terima kasih, {salutation}, laporan Anda sudah kami terima. ✅"
RECEIPT_OUTSIDE = (
    "Lokasi ini berada di luar wilayah kami ({region}). Admin pengaduan akan menyalurkan laporan Anda "
    "kepada instansi yang berwenang dan mengabari Anda di sini."
)
RECEIPT_CODE = "Kode laporan: {code}"
RECEIPT_DATE = "Tanggal: {moment}"
HANDLED_BY = "Ditangani oleh: {unit}"
RECEIPT_VERIFY_DUE = "Batas waktu verifikasi: {day}"
RECEIPT_RESOLVE_DUE = "Target penyelesaian: {date}"
RECEIPT_FOOTER = (
    "Simpan kode ini. Untuk mengecek status, ketik \"cek {code}\". "
    "Kami akan mengabari Anda setiap ada perkembangan."
)

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
MY_COMPLAINTS_ROW = "• {code} ({date}): {status} — {description}"
MY_COMPLAINTS_FOOTER = "Ketik \"cek\" diikuti kode untuk melihat rinciannya."

# one complaint's status (bot/render/citizen.py: status_view)
STATUS_VIEW_TITLE = "Laporan {code}"
STATUS_VIEW_STATUS = "Status: {status} (sejak {moment})"
STATUS_VIEW_SERVICE = "Layanan: {category}"
STATUS_VIEW_RECEIVED = "Diterima: {date}"
STATUS_VIEW_DESCRIPTION = "Isi: {description}"
STATUS_VIEW_NOTE = "Catatan petugas: {note}"

# --- news of their complaint (bot/notices.py: status_changed) ---------------------------

STATUS_NEWS_TITLE = "Kabar terbaru laporan {code}:"
STATUS_NEWS_STATUS = "Status: {status}"
NOTE_LABELS = {
    Status.MENUNGGU_INFORMASI: "Pertanyaan petugas",
    Status.SELESAI: "Jawaban petugas",
    Status.DITOLAK: "Alasan",
    Status.DISALURKAN: "Disalurkan kepada",
}
NOTE_LABEL_OTHER = "Catatan"
NOTE_LINE = "{label}: {note}"
STATUS_NEWS_ASK_INFO = "Silakan balas pesan ini dengan informasi yang diminta; foto juga boleh."
STATUS_NEWS_ASK_RATING = "Apakah Anda puas dengan tindak lanjut ini? Mohon pilih salah satu."
STATUS_NEWS_FOOTER = "Ketik \"cek {code}\" untuk melihat rinciannya."


# --- ratings (what the citizen reads) ----------------------------------------------------

RATED_SATISFIED = (
    "Terima kasih atas penilaian Anda. Laporan {code} kami tutup.\n"
    "Satu pertanyaan lagi: bagaimana kualitas jawaban petugas?"
)
RATED_UNSATISFIED = (
    "Terima kasih sudah menyampaikan penilaian Anda. Laporan {code} kami buka kembali dan kami teruskan "
    "kepada {level} {unit} untuk ditindaklanjuti."
)
RATED_REASON_KEPT = "Alasan Anda (\"{reason}\") sudah kami sampaikan kepada petugas."
NEXT_STEP_ATASAN = (
    "Jika setelah itu Anda masih belum puas, Anda dapat menyampaikannya lagi di sini "
    "dan laporan akan diteruskan ke pimpinan yang lebih tinggi."
)
NEXT_STEP_OMBUDSMAN = (
    "Jika Anda tetap belum puas, Anda berhak menyampaikan pengaduan ke Ombudsman Republik Indonesia "
    "(www.ombudsman.go.id, telepon 137) dengan menyebutkan kode laporan {code}."
)
LEVEL_AUDIENCE = {2: "atasan langsung di", 3: "pimpinan"}
SKM_THANKS = "Terima kasih, nilai Anda ({label}) sudah kami catat untuk perbaikan layanan."
NOT_RATEABLE = "Laporan {code} saat ini tidak dapat dinilai (status: {status})."
ALREADY_SCORED = "Nilai untuk laporan {code} sudah tercatat sebelumnya. Terima kasih."
WHICH_TO_RATE = "Anda punya beberapa laporan yang menunggu penilaian. Mohon pilih lewat tombol pada pesan laporan yang dimaksud."
INFO_FORWARDED = (
    "Terima kasih, informasi Anda untuk laporan {code} sudah kami teruskan kepada petugas. "
    "Kami akan mengabari perkembangan berikutnya."
)

# the buttons of the rating and of the SKM question
RATE_SATISFIED = "Puas"
RATE_UNSATISFIED = "Tidak puas"
SKM_LABELS = {1: "1 · Tidak baik", 2: "2 · Kurang baik", 3: "3 · Baik", 4: "4 · Sangat baik"}


# --- photos and documents, and what a channel cannot take -------------------------------

# A photo or document refused, on every channel (bot/media.py decides; nothing is stored)
MEDIA_TOO_BIG = (
    "Mohon maaf, berkas Anda terlalu besar (paling besar {limit}). Mohon kirim berkas yang lebih kecil, "
    "misalnya foto biasa atau PDF yang sudah dikompres. Berkas ini tidak kami simpan."
)
MEDIA_TYPE = (
    "Mohon maaf, jenis berkas ini belum dapat kami terima. Silakan kirim foto (JPG, PNG, atau WEBP), "
    "dokumen (PDF, Word, atau Excel), pesan suara, atau video. Berkas ini tidak kami simpan."
)
MEDIA_FAILED = "Mohon maaf, berkas Anda belum berhasil kami terima. Mohon kirim ulang sebentar lagi."
MEDIA_INVALID = MEDIA_TYPE  # the engine's answer to media no channel would deliver

# --- a shared location, a contact card (bot/places.py, bot/contacts.py) ------------------
LOCATION_OUTSIDE = (
    "Maaf, titik lokasi itu berada di luar {area}, jadi tidak dapat kami gunakan. Silakan bagikan lokasi kejadian, "
    "atau tuliskan alamatnya."
)
LOCATION_ABROAD, LOCATION_AREA = "Indonesia", "wilayah {area}"  # what {area} says; no area name: OUTSIDE_AREA_SCOPE
ASK_CARD_PHONE = "Gunakan nomor {phone} dari kartu kontak itu agar petugas dapat menghubungi Anda?"
BTN_CARD_PHONE_YES, BTN_CARD_PHONE_NO = "Ya, gunakan", "Tidak"
CONTACT_CARD_REFUSED = "Maaf, kartu kontak tidak kami terima; isinya tidak kami simpan."

# --- any channel: what no adapter can take, and group chats
UNSUPPORTED = (
    "Maaf, jenis pesan itu belum bisa kami proses. Silakan kirim teks, foto, dokumen, pesan suara, video, "
    "atau bagikan lokasi."
)
PRIVATE_ONLY = "Untuk melapor, silakan kirim pesan langsung (chat pribadi) ke nomor atau bot ini, bukan di grup."


# --- WhatsApp
WA_LIST_BUTTON = "Pilih"
WA_CHOOSE = "Silakan pilih:"
WA_MORE_CHOICES = "Pilihan lainnya:"

# --- the database is down or restarting (nothing of the message was stored) ---------------
DATABASE_UNAVAILABLE = (
    "Mohon maaf, sistem kami sedang mengalami gangguan sementara, jadi pesan Anda belum tersimpan. "
    "Mohon coba lagi sebentar lagi; percakapan Anda akan dilanjutkan dari langkah terakhir."
)


# --- the conversation around the intake (bot/conversation.py) -----------------------------

SALAM_REPLIES = {
    "islam": "Waalaikumsalam warahmatullahi wabarakatuh.",
    "pagi": "Selamat pagi.", "siang": "Selamat siang.", "sore": "Selamat sore.", "malam": "Selamat malam.",
    "punten": "Mangga.",
    "kulonuwun": "Monggo, silakan.",
    "om_swastiastu": "Om Swastiastu.",
    "salam_sejahtera": "Salam sejahtera juga untuk Anda.",
    "permisi": "Silakan.",
    "halo": "Halo.",
}
GREETING_SHORT = (
    "Ada yang bisa kami bantu? Ceritakan saja masalah pelayanan publik yang Anda alami, "
    "atau ketik \"cek\" dan kode laporan untuk melihat statusnya."
)
GOODBYE = "Terima kasih, sampai jumpa. Jika ada masalah lain, silakan kirim pesan kapan saja."
ASK_WANT_REPORT = "Apakah Anda ingin membuat laporan tentang hal ini?"
BTN_YES_REPORT = "Ya, buat laporan"
BTN_NO = "Tidak"
OFFER_DECLINED = "Baik. Jika nanti ingin melapor atau bertanya, silakan kirim pesan kapan saja."

# emergencies: the numbers first, then the offer to file a report
EMERGENCY_HEADER = "⚠️ Jika ada nyawa yang terancam, segera hubungi:"
EMERGENCY_LINE = "• {label}: {number}"
EMERGENCY_LABELS = {"general": "Nomor darurat", "fire": "Pemadam kebakaran", "police": "Polisi", "ambulance": "Ambulans"}
EMERGENCY_FOOTER = (
    "Setelah keadaan aman, Anda juga bisa membuat laporan di sini agar ditindaklanjuti dengan segera."
)
BTN_EMERGENCY_REPORT = "Buat laporan"

# questions answered rather than filed
FAQ_ANSWER_FOOTER = "Ada lagi yang bisa kami bantu?"
QUESTION_UNKNOWN = (
    "Maaf, kami belum punya jawaban pasti untuk pertanyaan itu. Pertanyaan Anda bisa kami teruskan kepada "
    "petugas sebagai permintaan informasi; jawabannya akan dikirim ke chat ini."
)
BTN_ASK_OFFICER = "Teruskan ke petugas"
NO_CASE_TO_EXPLAIN = (
    "Kami belum menemukan laporan dari akun ini. Jika Anda melapor dari nomor atau akun lain, "
    "ketik \"cek\" diikuti kode laporannya."
)

# cancelling a draft with content, two problems in one message
ASK_CANCEL_CONFIRM = "Laporan yang sedang Anda buat akan dihapus dan tidak disimpan. Yakin ingin membatalkan?"
BTN_CANCEL_YES = "Ya, batalkan"
BTN_CANCEL_NO = "Tidak, lanjutkan"
ASK_SPLIT = (
    "Sepertinya Anda menyampaikan {count} masalah berbeda:\n{items}\n"
    "Agar masing-masing ditangani oleh unit yang tepat, kami sarankan dibuat terpisah. "
    "Buat {count} laporan?"
)
SPLIT_ITEM = "{number}. {text}"
BTN_SPLIT = "Ya, buat terpisah"
BTN_ONE = "Satu laporan saja"
NEXT_PROBLEM = "Sekarang laporan berikutnya: \"{text}\"."

# places outside the deployment's area
OUTSIDE_AREA = (
    "{place} termasuk wilayah {regency}, di luar wilayah {area}. Laporan tentang tempat itu tidak ditangani "
    "langsung oleh unit-unit kami. Anda bisa:\n"
    "• meminta kami meneruskannya: admin pengaduan akan menyalurkannya kepada instansi yang berwenang;\n"
    "• melapor langsung lewat SP4N-LAPOR! (www.lapor.go.id);\n"
    "• atau mengubah lokasinya jika tadi keliru."
)
OUTSIDE_AREA_SCOPE = "kami"
BTN_FORWARD = "Teruskan"
BTN_LAPOR = "Lewat SP4N-LAPOR!"
BTN_CHANGE_PLACE = "Ubah lokasi"
LAPOR_POINTER = (
    "Baik. Silakan sampaikan laporan Anda di www.lapor.go.id atau aplikasi SP4N-LAPOR!, yang meneruskannya "
    "kepada instansi di {regency}. Draf di sini kami hapus."
)

# corrections typed in free text, and what a citizen adds after filing
CORRECTED = {
    "place": "Baik, lokasinya sudah kami perbaiki.",
    "date": "Baik, waktu kejadiannya sudah kami perbaiki.",
    "category": "Baik, layanannya sudah kami perbaiki.",
    "description": "Baik, isi laporannya sudah kami perbaiki.",
    "name": "Baik, nama Anda sudah kami perbaiki.",
}
CORRECTION_NOTE = "(ralat: {text})"
ADDED_TO_CASE = (
    "Terima kasih, {what} sudah kami tambahkan ke laporan {code} dan diteruskan kepada petugas. "
    "Jika ini masalah lain, ketik \"laporan baru\"."
)
ADDED_TEXT = "keterangan Anda"
MEDIA_NEEDS_TEXT = (
    "{kind} sudah kami simpan sebagai lampiran. Kami belum bisa mendengarkan atau menonton lampiran secara "
    "otomatis, jadi mohon tuliskan satu kalimat singkat tentang masalahnya."
)
MEDIA_NEEDS_TEXT_KINDS = frozenset({"voice", "video"})
