"""Spam and prank control (complaints.spam): what a blocked chat reads once, the day's limit
of new reports, the request to keep the language courteous; the admins' notice of one text
sent from many chats; the ``aduan sender`` commands and their refusals.

Reviewers change wording here only.
"""

# --- to the citizen ---------------------------------------------------------------------------

SENDER_PAUSED = (
    "Mohon maaf, akses Anda ke layanan pengaduan ini sedang dihentikan sementara oleh admin. "
    "Apabila Bapak/Ibu memerlukan bantuan, silakan menghubungi atau datang langsung ke kantor "
    "{office} pada jam kerja. Terima kasih atas pengertiannya."
)
DAILY_LIMIT_REACHED = (
    "Mohon maaf, hari ini Anda sudah mengirim {limit} laporan baru, batas laporan per hari. "
    "Laporan yang sedang Anda susun tetap kami simpan dan tidak hilang. Silakan kirim pesan kepada kami "
    "besok, lalu pilih \"Lanjutkan\" untuk mengirimkannya. Terima kasih atas pengertiannya."
)
COURTESY_REQUEST = (
    "Kami memahami Bapak/Ibu mungkin sedang kesal. Agar laporan dapat ditangani dengan baik, "
    "mohon sampaikan dengan bahasa yang sopan. Laporan Anda tetap kami terima dan tanggapi."
)

# --- to the central admins ----------------------------------------------------------------------

COPIES_SUSPECTED = (
    "Perhatian: teks laporan yang sama dikirim dari {senders} pengirim berbeda dalam {minutes} menit. "
    "Mohon periksa apakah ini spam atau laporan iseng: {codes}. Jika benar, laporan tersebut dapat "
    "ditolak sebagai spam sehingga tidak dihitung dalam capaian batas waktu unit."
)

# --- `aduan sender` ---------------------------------------------------------------------------------

SENDER_BLOCKED = "Pengirim {sender} diblokir. Alasan: {reason}"
SENDER_UNBLOCKED = "Blokir pengirim {sender} dicabut. Alasan: {reason}"
SENDER_NONE_BLOCKED = "Tidak ada pengirim yang diblokir."
SENDER_ROW = "{sender}: diblokir oleh {by} pada {at}. Alasan: {reason}. Pesan selama diblokir: {attempts}{last}"
SENDER_LAST_ATTEMPT = " (terakhir {at})"
SENDER_NO_HISTORY = "Belum ada riwayat blokir."
SENDER_HISTORY_ROW = "{at} {sender}: {action} oleh {actor}. {reason}"
SENDER_ACTIONS = {"blocked": "diblokir", "unblocked": "blokir dicabut", "reminded": "diingatkan agar berbahasa sopan"}

# refusals of the domain (bot/render/errors.py), by error code
SPAM_ERRORS = {
    "invalid_sender": "\"{sender}\" bukan pengirim yang valid. Tuliskan KANAL:ID, misalnya telegram:12345.",
    "admin_only": "Hanya admin yang dapat memblokir atau membuka blokir pengirim ({actor} bukan admin).",
    "officer_chat": "{sender} adalah akun petugas; akun petugas tidak dapat diblokir.",
    "reason_required": "Tuliskan alasannya dengan --reason \"...\".",
    "already_blocked": "Pengirim {sender} sudah diblokir.",
    "not_blocked": "Pengirim {sender} tidak sedang diblokir.",
    "too_many_complaints": "Batas {limit} laporan baru per hari untuk pengirim ini sudah tercapai.",
    "rejection_needs_ditolak": "Alasan penolakan (misalnya spam) hanya dapat diberikan bersama status ditolak.",
}
