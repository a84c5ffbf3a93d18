"""The dashboard of heads and the admin (/petugas/dasbor): what it shows besides the template."""

# the period form
DASHBOARD_FIELDS = {"dari": "Tanggal awal", "sampai": "Tanggal akhir"}
DASHBOARD_BAD_DATE = (
    "{field} \"{value}\" tidak dapat dibaca. Mohon tulis tanggal seperti 2026-11-01 atau 01-11-2026."
)
DASHBOARD_BAD_RANGE = "Tanggal awal ({start}) jatuh sesudah tanggal akhir ({end}). Mohon periksa kembali periodenya."
DASHBOARD_TOO_LONG = "Periode paling panjang {days} hari. Mohon pilih periode yang lebih pendek."
DASHBOARD_SHOWING_DEFAULT = "Di bawah ini ditampilkan angka bulan ini."
DASHBOARD_PERIOD = "{start} s.d. {end}"

# figures
DASHBOARD_EMPTY = "-"
DASHBOARD_ALL_UNITS = "Semua unit"
DASHBOARD_DAYS_HOURS = "{days} hari {hours} jam"
DASHBOARD_DAYS = "{days} hari"
DASHBOARD_HOURS_MINUTES = "{hours} jam {minutes} menit"
DASHBOARD_HOURS = "{hours} jam"
DASHBOARD_MINUTES = "{minutes} menit"

# the chart (its text alternative too)
DASHBOARD_CHART_TITLE = "Laporan terbuka dan terlambat per unit"
DASHBOARD_CHART_LEGEND = {"open": "Terbuka", "overdue": "Terlambat"}
DASHBOARD_CHART_UNIT = "{unit}: {open} terbuka, {overdue} terlambat."
