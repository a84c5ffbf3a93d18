"""What the command line says (``aduan ...``): to officers running case commands, to the
operators starting the server and the scheduler, and in the terminal chat (``aduan chat``).

Reviewers change wording here only.
"""

CLI_NOTE_HINT = "Tuliskan catatannya dengan --note \"...\"."
UNKNOWN_STATUS = "Status \"{status}\" tidak dikenal. Pilihan: {choices}."
BAD_MOMENT = "\"{value}\" bukan waktu ISO dengan zona waktu, misalnya 2026-11-30T09:00:00+07:00."
SWEEP_DONE = "Sapuan selesai: {escalated} laporan dieskalasi, {closed} ditutup otomatis, {queued} pesan diantrekan."
SCHEDULER_ALREADY_RUNNING = (
    "Scheduler lain sudah berjalan untuk database SQLite ini. SQLite hanya mendukung satu scheduler; "
    "hentikan yang lain, atau gunakan PostgreSQL untuk menjalankan beberapa proses."
)
SCHEDULER_STARTED = "Scheduler berjalan: sapuan eskalasi, pengiriman pesan, dan ringkasan harian. Tekan Ctrl+C untuk berhenti."

SERVE_STARTED = (
    "aduan berjalan: kanal {channels}; server HTTP di {url} (/healthz). Konsol petugas: {url}/petugas/ "
    "(tautan masuk: aduan officer login-link ID_PETUGAS); papan publik: {url}/papan/. Tekan Ctrl+C untuk berhenti."
)
SERVE_NO_CHANNELS = (
    "tidak ada (isi ADUAN_TELEGRAM_BOT_TOKEN, atau ADUAN_WHATSAPP_ACCESS_TOKEN dan "
    "ADUAN_WHATSAPP_PHONE_NUMBER_ID; lihat README)"
)

OUTBOX_NONE_FAILED = "Tidak ada pesan yang gagal terkirim."
OUTBOX_FAILED_ROW = (
    "#{id} [{channel} → {recipient}] laporan {code}: gagal setelah {attempts} percobaan, {at}. "
    "Kode galat: {error}. Alasan: {reason}"
)
OUTBOX_NOT_FAILED = "Pesan #{id} tidak ada atau tidak berstatus gagal."
OUTBOX_REQUEUED = "Pesan #{id} diantrekan kembali."

# `aduan org show` (bot/render/officer.py: organisation_summary)
ORG_REGION = "Wilayah: {region} | Unit pusat: {unit}"
ORG_HOURS = "Jam kerja: {start}-{end}"
ORG_WEIGHT_NORMAL = "Biasa"
ORG_WEIGHT_URGENT = "Berat"
ORG_DEADLINES = (
    "Batas waktu ({label}): verifikasi {verify} hari kerja, tindak lanjut {follow_up} "
    "hari kerja, penyelesaian {resolve} hari, tutup otomatis {auto_close} hari kerja"
)
ORG_HOLIDAYS = "Libur daerah: {days}"
ORG_UNITS = "Unit:"
ORG_UNIT = "• {id}: {name} ({kind}, {zone})"
ORG_UNIT_ROUTES = " — {categories}"
ORG_OFFICER = "    {id} · {name} · {role} · {chats}"
ORG_ESCALATION = "    eskalasi {level}: {who}"

# --- the terminal (aduan chat) ---------------------------------------------------------

JSONL_LINE = "Baris {number} diabaikan: {problem}"
JSONL_BAD_JSON = "bukan JSON yang valid ({error})."
JSONL_NOT_OBJECT = "harus berupa objek JSON, misalnya {\"from\": \"warga-1\", \"text\": \"halo\"}."
JSONL_BAD_SENDER = "kolom \"from\" wajib diisi teks (paling banyak 64 karakter)."
JSONL_ONE_KIND = (
    "isi tepat satu dari \"text\", \"button\", \"location\", \"photo\", \"document\", \"voice\" atau \"video\"."
)
JSONL_BAD_PROFILE = (
    "kolom \"profile\" harus berupa objek yang hanya berisi \"name\" dan/atau \"phone\", "
    "misalnya {\"name\": \"Budi Santoso\", \"phone\": \"081234567890\"}."
)
JSONL_BAD_PROFILE_NAME = "kolom \"profile.name\" harus berupa teks nama (paling banyak {limit} karakter)."
JSONL_BAD_PROFILE_PHONE = (
    "kolom \"profile.phone\" harus berupa nomor telepon yang valid, misalnya \"081234567890\" atau \"+6281234567890\"."
)
JSONL_NOT_STRING = "kolom \"{field}\" harus berupa teks."
JSONL_BAD_LOCATION = "lokasi harus berupa {\"lat\": angka, \"lon\": angka} yang masuk akal."
CONSOLE_NO_SUCH_BUTTON = "pilih nomor tombol 1 sampai {count}."
CONSOLE_FOR_OTHER = "📨 [untuk {recipient}] "
CONSOLE_OTHERS_BUTTONS = "(tombol: {labels})"
CONSOLE_WELCOME = (
    "Layanan pengaduan — percakapan di terminal. Ketik pesan Anda lalu tekan Enter.\n"
    "Ketik nomor untuk menekan tombol, \"/lokasi LAT,LON\" untuk berbagi lokasi, "
    "\"/foto PATH\", \"/dokumen PATH\", \"/suara PATH\" atau \"/video PATH\" untuk melampirkan berkas. "
    "Tekan Ctrl+D untuk keluar.\n"
    "Pesan untuk petugas ditampilkan dengan tanda 📨."
)
