"""Similar cases, supporters and merged duplicates: what the citizen and the officers read."""

# --- the citizen, before the summary: the same problem is already reported ---------------------

SIMILAR_FOUND = (
    "Sudah ada laporan serupa yang sedang ditangani:\n{items}\n\n"
    "Anda dapat mendukung laporan itu: Anda akan menerima setiap kabar perkembangannya, "
    "dan keterangan serta foto Anda ikut kami sampaikan kepada petugas. "
    "Atau Anda tetap dapat membuat laporan baru."
)
SIMILAR_ITEM = "{number}. {code} · {summary} · {status} sejak {since}"
SIMILAR_ITEM_NO_TEXT = "{number}. {code} · {category}{area} · {status} sejak {since}"
SIMILAR_AREA = ", {area}"
BTN_SUPPORT = "Dukung laporan ini"
BTN_SUPPORT_CODE = "Dukung {code}"
BTN_NEW_ANYWAY = "Tetap buat laporan baru"
SIMILAR_CHOICE_AGAIN = (
    "Mohon pilih salah satu: tekan \"Dukung\" pada laporan yang sama dengan masalah Anda, "
    "atau \"Tetap buat laporan baru\"."
)
ASK_SUPPORT_PRIVACY = (
    "Baik, Anda akan mendukung laporan {code}. Bagaimana identitas Anda dicatat?\n"
    "• Biasa: nama Anda dapat dilihat petugas yang menangani.\n"
    "• Rahasia: identitas Anda hanya diketahui admin.\n"
    "• Anonim: identitas Anda tidak disimpan."
)
SUPPORTED = (
    "Terima kasih, dukungan Anda untuk laporan {code} sudah tercatat; "
    "kini {count} warga menunggu penyelesaiannya. Anda akan menerima kabar setiap kali statusnya berubah; "
    "ketik \"cek {code}\" kapan saja untuk melihatnya."
)
SUPPORTED_WITH_WORDS = "Keterangan Anda sudah kami teruskan kepada petugas yang menangani."
SUPPORTED_WITH_FILES = "Keterangan dan berkas Anda sudah kami teruskan kepada petugas yang menangani."
SUPPORT_NOT_OPEN = (
    "Mohon maaf, laporan {code} baru saja selesai ditangani sehingga tidak dapat didukung lagi. "
    "Silakan lanjutkan laporan Anda sendiri."
)
SUPPORT_ALREADY = "Anda sudah mendukung laporan {code}. Kabar perkembangannya akan tetap kami kirimkan."

# --- a supporter's news ------------------------------------------------------------------------

SUPPORTER_NEWS_TITLE = "Kabar terbaru laporan {code} yang Anda dukung:"
STATUS_VIEW_SUPPORTER = "Anda mendukung laporan ini; {count} warga menunggu penyelesaiannya."
MY_SUPPORTED_HEADER = "Laporan yang Anda dukung:"
SUPPORTER_ADDED = "Terima kasih, {what} Anda sudah kami teruskan ke petugas yang menangani laporan {code} yang Anda dukung."
SUPPORTER_RATED = "Terima kasih atas penilaian Anda untuk laporan {code}."

# --- merging: the complainant of the duplicate -------------------------------------------------

MERGED_REASON = "duplikat {code}"
MERGED_NOTICE = (
    "Laporan Anda {duplicate} ternyata sama dengan laporan {kept} yang sedang ditangani, "
    "sehingga keduanya kami gabungkan agar ditangani sekaligus. Keterangan dan berkas Anda ikut dipindahkan.\n"
    "Anda kini tercatat sebagai pendukung laporan {kept} dan akan menerima setiap kabar perkembangannya. "
    "Ketik \"cek {kept}\" untuk melihatnya."
)
UNMERGED_NOTICE = (
    "Mohon maaf, laporan Anda {duplicate} sebelumnya keliru digabungkan dengan {kept}. "
    "Laporan Anda kini ditangani kembali secara terpisah; status dan kabarnya tetap kami kirimkan."
)

# --- officers ----------------------------------------------------------------------------------

SUPPORTERS_LINE = "Pendukung: {count} warga"
SUPPORT_NOTICE = "Laporan {code} mendapat dukungan warga (kini {count} pendukung).{words}"
SUPPORT_NOTICE_WORDS = "\nKeterangan pendukung: {words}"
MERGED_DONE = "Laporan {duplicate} digabungkan ke {kept}; pelapornya kini menerima kabar dari laporan {kept}."
UNMERGED_DONE = "Penggabungan {duplicate} ke {kept} dibatalkan; {duplicate} kembali berstatus {status}."
BTN_MERGE = "Gabungkan (duplikat)"
SUPPORTERS_ROW = "  · Pendukung: {count} warga"  # after a row of the case list
HISTORY_SUPPORTERS = "Perubahan pendukung"  # a Riwayat entry: a supporter joined, was merged in, or left
HISTORY_UNMERGED = "Penggabungan dibatalkan, kembali {status}"
MERGE_ASK_TARGET = "Laporan {code} duplikat dari laporan mana? Balas dengan kode laporan yang dipertahankan (contoh: LPR-7KQ3-MN)."
MERGE_ERRORS = {
    "merge_self": "Laporan tidak dapat digabungkan ke dirinya sendiri.",
    "merge_target_closed": "Laporan {into} sudah tidak terbuka, jadi tidak dapat menjadi laporan yang dipertahankan.",
    "merge_chain": "Laporan {into} sendiri sudah digabungkan ke laporan lain; gabungkan ke laporan itu.",
    "not_merged": "Laporan {code} tidak sedang digabungkan ke laporan lain.",
}
