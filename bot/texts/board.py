"""The public board (/papan/): what its pages show besides the template."""

BOARD_TITLE = "Papan Pengaduan {org}"
BOARD_MONTH = "{month} {year}"
BOARD_AS_OF = "Keadaan per {moment}."
BOARD_PERCENT = "{value}%"
BOARD_NO_FIGURE = "Belum ada"
BOARD_NO_PLACE = "Tidak disebutkan"
BOARD_NO_ANSWER = "Jawaban tidak dicantumkan."
BOARD_RESOLVED_ON = "selesai {date}"
# A promised repair: the recap's verdict of the resolution stage (complaints.recap_rows.Verdict)
BOARD_PROMISE_VERDICTS = {
    "tepat_waktu": "Ditepati",
    "terlambat": "Terlambat",
    "berjalan": "Belum jatuh tempo",
}
BOARD_SHOWING = "Ditampilkan {shown} dari {total} laporan. Laporan rahasia dan anonim hanya dihitung, tidak ditampilkan."
