"""The officers' web console (/petugas/) and the public board (/papan/): the messages its
pages show. The pages' own wording is in aduan/web/templates."""

WEB_SIGNIN_REFUSED = {
    "unknown_link": "Tautan masuk ini tidak dikenal. Mohon minta tautan baru.",
    "expired_link": "Tautan masuk ini sudah kedaluwarsa (berlaku 15 menit). Mohon minta tautan baru.",
    "used_link": "Tautan masuk ini sudah dipakai. Setiap tautan hanya berlaku sekali; mohon minta tautan baru.",
    "unknown_officer": "ID petugas atau kata sandi salah.",
    "no_password": "ID petugas atau kata sandi salah.",
    "bad_password": "ID petugas atau kata sandi salah.",
    "locked": "Terlalu banyak percobaan yang gagal. Mohon coba lagi pukul {until}, atau masuk dengan tautan.",
    "wait": "Mohon tunggu sebentar sebelum mencoba lagi (pukul {until}).",
}
WEB_SIGNIN_TOO_OFTEN = "Terlalu sering mencoba masuk dari alamat ini. Mohon tunggu satu menit lalu coba lagi."
WEB_ASK_LINK = (
    "Untuk mendapatkan tautan masuk, kirim /masuk di chat petugas Anda, atau minta admin "
    "menjalankan: aduan officer login-link ID_PETUGAS"
)
WEB_SIGNED_OUT = "Anda sudah keluar."
WEB_SESSION_ENDED = "Sesi Anda sudah berakhir. Mohon masuk kembali."
WEB_CSRF_REFUSED = (
    "Formulir ini tidak dapat diproses karena tanda pengamannya tidak cocok atau sudah kedaluwarsa. "
    "Tidak ada yang diubah. Mohon muat ulang halaman lalu coba lagi."
)
WEB_FORBIDDEN = "Anda tidak berwenang membuka laporan ini."
WEB_BAD_REQUEST = "Permintaan ini tidak dapat dibaca. Tidak ada yang diubah; mohon kembali lalu coba lagi."
WEB_UNAVAILABLE = "Basis data sedang tidak dapat dihubungi. Tidak ada yang diubah; mohon coba lagi sebentar lagi."
WEB_NOT_FOUND = "Halaman atau laporan yang Anda cari tidak ditemukan."
WEB_DONE = "{code}: {label}."
WEB_BULK_DONE = "{done} laporan diubah menjadi {label}."
WEB_BULK_FAILED = "{code} tidak diubah: {reason}"
WEB_BULK_NONE = "Belum ada laporan yang dipilih."
WEB_ASSIGNED = "{code} diserahkan kepada {officer}."
WEB_MERGED = "{duplicate} digabungkan ke {kept}."
WEB_BAD_CODE = "Kode laporan \"{typed}\" tidak dikenali."
WEB_UNKNOWN_OFFICER = "Petugas tidak dikenal."
WEB_NOTE_REQUIRED = "Mohon isi catatan untuk pelapor."
WEB_MORE_THAN = "lebih dari {count}"
WEB_STATUS_WAITING = "Menunggu verifikasi dan disposisi"
WEB_STATUS_OPEN = "Semua yang masih terbuka"
WEB_STATUS_ALL = "Semua status"
WEB_URGENCY = {"none": "tidak berjalan", "on_time": "tepat waktu", "due_soon": "jatuh tempo ≤ 1 hari kerja",
               "overdue": "terlambat"}
WEB_NO_ACCESS_DASHBOARD = "Dasbor hanya untuk kepala unit, supervisor, dan admin."

# the officer's chat: /masuk
OFFICER_LOGIN_LINK = (
    "Tautan masuk konsol petugas (berlaku 15 menit, hanya sekali pakai):\n{url}\n"
    "Jangan teruskan tautan ini kepada siapa pun."
)
# aduan officer
CLI_LOGIN_LINK_ISSUED = "Tautan masuk untuk {officer} (berlaku sampai {until}, sekali pakai):"
CLI_NO_LOGINS = "Belum ada catatan masuk."
CLI_PASSWORD_SET = "Kata sandi {officer} sudah disimpan; {ended} sesi yang terbuka diakhiri."
PASSWORD_PROBLEMS = {
    "too_short": "Kata sandi minimal 10 karakter.",
    "spaces": "Kata sandi tidak boleh diawali atau diakhiri spasi, atau berisi karakter yang tidak tercetak.",
}

# the case page's forms: status -> (heading, button, the note's label or "" when none is asked)
WEB_ACTIONS = {
    "diverifikasi": ("Verifikasi", "Verifikasi", ""),
    "didisposisikan": ("Disposisi ke unit", "Disposisikan", ""),
    "diproses": ("Tindak lanjut", "Tandai diproses", "Catatan untuk pelapor"),
    "menunggu_informasi": ("Minta informasi dari pelapor", "Tanya pelapor", "Pertanyaan untuk pelapor"),
    "selesai": ("Selesaikan", "Selesaikan", "Jawaban untuk pelapor"),
    "disalurkan": ("Salurkan ke instansi lain", "Salurkan", "Instansi tujuan dan penjelasan untuk pelapor"),
    "ditolak": ("Tolak", "Tolak", "Alasan penolakan untuk pelapor"),
    "ditutup": ("Tutup laporan", "Tutup", ""),
    "dibuka_kembali": ("Buka kembali", "Buka kembali", ""),
}
WEB_WITHHELD = "(tidak ditampilkan untuk Anda)"
WEB_COMPLAINANT_HIDDEN = "Identitas pelapor dirahasiakan."
