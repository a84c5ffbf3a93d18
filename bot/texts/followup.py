"""What a citizen reads about their own case after filing it: why it is where it is (the
answer to "kenapa laporan saya ditolak?", "sudah sampai mana?"), the news that it closed
itself because nobody rated the answer, their rating beside the officer's answer in a
status check, what the receipt says of a place outside the organisation's region, and what
they are told when they edit or delete a message of their report (bot/edits.py).

Filled in by bot/render/case.py, bot/render/citizen.py (status_view) and bot/notices.py.
Keep the tone polite and plain (Anda, Bapak/Ibu). Reviewers change wording here only.
"""

from complaints.taxonomy import Status

# --- why the case is where it is (bot/render/case.py: explain) ------------------------------

EXPLAIN_TITLE = "Laporan {code} — {status}"
EXPLAIN_REJECTED = "Laporan ini tidak dapat diproses oleh admin pengaduan, dengan alasan: {reason}"
EXPLAIN_REJECTED_NO_REASON = "Laporan ini tidak dapat diproses oleh admin pengaduan."
EXPLAIN_REJECTED_NEXT = (
    "Jika menurut Anda keputusan ini keliru, silakan buat laporan baru dengan keterangan yang lebih "
    "lengkap dan sebutkan kode {code}."
)
EXPLAIN_FORWARDED = (
    "Masalah ini berada di luar kewenangan kami, sehingga laporan Anda sudah disalurkan kepada: {to}. "
    "Tindak lanjut berikutnya dilakukan oleh instansi tersebut."
)
EXPLAIN_FORWARDED_NO_NOTE = (
    "Masalah ini berada di luar kewenangan kami, sehingga laporan Anda sudah disalurkan kepada instansi "
    "yang berwenang. Tindak lanjut berikutnya dilakukan oleh instansi tersebut."
)
EXPLAIN_CLOSED_SATISFIED = "Laporan ini sudah ditutup: petugas sudah menjawab dan Anda menyatakan puas."
EXPLAIN_CLOSED_AUTO = (
    "Laporan ini ditutup otomatis karena tidak ada penilaian dari Anda dalam batas waktu setelah "
    "petugas menyatakan selesai."
)
EXPLAIN_CLOSED_BY_ADMIN = "Laporan ini ditutup oleh admin pengaduan."
EXPLAIN_CLOSED_NEXT = (
    "Laporan yang sudah ditutup tidak dapat dibuka kembali. Jika masalahnya belum teratasi, silakan "
    "buat laporan baru dan sebutkan kode {code}."
)
EXPLAIN_ANSWERED = "Petugas sudah menjawab laporan ini dan menunggu penilaian Anda: puas atau tidak puas."
EXPLAIN_WAITING = "Petugas menunggu informasi dari Anda: {question}"
EXPLAIN_WAITING_NEXT = (
    "Batas waktu penanganan berhenti sampai Anda menjawab. Silakan balas dengan informasi yang diminta; "
    "foto juga boleh."
)
EXPLAIN_IN_PROCESS: dict[Status, str] = {
    Status.DITERIMA: "Laporan ini sedang diperiksa oleh admin pengaduan sebelum diteruskan ke unit yang berwenang.",
    Status.DIVERIFIKASI: "Laporan ini sudah diperiksa oleh admin pengaduan dan akan segera diteruskan ke unit "
                         "yang berwenang.",
    Status.DIDISPOSISIKAN: "Laporan ini sudah diteruskan ke {unit} dan menunggu tindak lanjut pertama.",
    Status.DIPROSES: "Laporan ini sedang ditindaklanjuti oleh {unit}.",
    Status.DIBUKA_KEMBALI: "Laporan ini dibuka kembali karena Anda belum puas, dan sedang ditangani lagi oleh {unit}.",
}
EXPLAIN_UNIT_FALLBACK = "unit yang berwenang"
EXPLAIN_REROUTED = "Admin pengaduan mengalihkan laporan ini ke {unit}, unit yang berwenang menangani masalahnya."
EXPLAIN_NEXT_DUE = "Batas waktu tahap ini: {moment}."
EXPLAIN_RESOLVE_DUE = "Target penyelesaian: {date}."
EXPLAIN_OFFICER_NOTE = "Catatan terakhir petugas: {note}"
EXPLAIN_ANSWER = "Jawaban petugas: {answer}"
EXPLAIN_YOUR_REASON = "Alasan yang Anda sampaikan: {reason}"
EXPLAIN_STATUS_ONLY = "Status laporan {code}: {status}. Rincian hanya dapat dilihat dari akun yang mengirim laporan."

# --- a status check after a rating (bot/render/citizen.py: status_view) ------------------

STATUS_VIEW_RATING = {True: "Penilaian Anda: Puas", False: "Penilaian Anda: Tidak puas"}
STATUS_VIEW_RATING_REASON = " ({reason})"
STATUS_VIEW_AUTO_CLOSED = "Ditutup otomatis karena tidak ada penilaian dalam batas waktu."

# --- the case closed itself (bot/notices.py: auto_closed) ---------------------------------

AUTO_CLOSED = (
    "Laporan {code} kami tutup otomatis karena tidak ada penilaian dari Anda dalam {days} hari kerja "
    "setelah petugas menyatakan selesai."
)
AUTO_CLOSED_ANSWER = "Jawaban petugas: {answer}"
AUTO_CLOSED_NEXT = (
    "Laporan yang sudah ditutup tidak dapat dibuka kembali. Jika masalahnya belum teratasi, silakan "
    "buat laporan baru di sini dan sebutkan kode {code} agar petugas dapat melihat riwayatnya."
)

# --- a place outside the organisation's region (complaints.usecases.filing.outside_region) ---

# the note of the filing entry: the verifiers, the unit and the complainant read it
OUTSIDE_REGION_NOTE = (
    "Lokasi kejadian ({region}) berada di luar wilayah layanan ini; laporan perlu disalurkan kepada "
    "instansi yang berwenang."
)
OUTSIDE_REGION_NOTE_UNNAMED = (
    "Lokasi kejadian berada di luar wilayah layanan ini; laporan perlu disalurkan kepada instansi yang "
    "berwenang."
)

# --- words typed at the summary that are more of the report (bot/corrections.py) -----------
ADDED_AT_SUMMARY = "Baik, keterangan tambahan Anda sudah kami masukkan ke isi laporan."

# --- a message of a report edited or deleted in the chat (bot/edits.py) ---------------------
EDIT_APPLIED = "Baik, pesan Anda yang diubah sudah kami perbarui di laporan ini."
DELETE_APPLIED = "Pesan yang Anda hapus sudah kami keluarkan dari laporan ini."
EDIT_NOT_TAKEN = (
    "Mohon maaf, perubahan pada pesan yang sudah terkirim tidak kami baca ulang; kami hanya membaca pesan "
    "yang baru. Jika ada yang perlu diperbaiki, silakan kirimkan sebagai pesan baru."
)
EDIT_ADDED_TO_CASE = (
    "Terima kasih, perubahan pesan Anda sudah kami tambahkan ke laporan {code} sebagai koreksi dan "
    "diteruskan kepada petugas."
)
DELETE_NOTED_ON_CASE = (
    "Pesan yang Anda hapus sudah menjadi bagian laporan {code} yang terkirim. Isi laporan itu tetap, "
    "tetapi petugas kami beri tahu bahwa pesan tersebut Anda hapus."
)
# kept in the case, read by the unit's officers
CORRECTION_FROM_COMPLAINANT = "Koreksi dari pelapor: {text}"
DELETION_NOTE = "Pelapor menghapus salah satu pesan percakapan yang menjadi bagian laporan ini."
