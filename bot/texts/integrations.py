"""What the integrations say: the REST API (/open311/v2, /api/v1), `aduan apikey`, and
the Rasa action server (bot/channels/rasa/)."""

from complaints.taxonomy import PrivacyMode, Status

# --- the REST API (/open311/v2, /api/v1): error messages and notices ------------------------

API_KEY_MISSING = "Kunci API diperlukan. Kirimkan lewat header X-API-Key (atau parameter api_key)."
API_KEY_INVALID = "Kunci API tidak dikenal atau sudah dicabut."
API_KEY_OFFICER_UNKNOWN = (
    "Kunci API ini terhubung ke petugas \"{officer}\" yang tidak lagi terdaftar di konfigurasi organisasi."
)
API_FORBIDDEN_SCOPE = "Kunci API dengan cakupan \"{scope}\" tidak berwenang melakukan tindakan ini."
API_FORBIDDEN_FILTER = (
    "Penyaring \"{name}\" hanya tersedia untuk kunci API petugas atau admin, karena data itu tidak "
    "ditampilkan untuk umum."
)
API_RATE_LIMITED = "Terlalu banyak permintaan. Mohon coba lagi dalam {seconds} detik."
API_NOT_FOUND = "Alamat yang diminta tidak ditemukan."
API_COMPLAINT_NOT_FOUND = "Laporan {code} tidak ditemukan."
API_METHOD_NOT_ALLOWED = "Metode {method} tidak didukung untuk alamat ini."
API_INVALID_REQUEST = "Permintaan tidak valid. Mohon periksa: {fields}."
API_UNSUPPORTED_MEDIA = "Isi permintaan harus berupa formulir (application/x-www-form-urlencoded) atau JSON."
API_BAD_JSON = "Isi permintaan bukan objek JSON yang valid."
API_BODY_TOO_LARGE = "Isi permintaan terlalu besar (paling besar {limit} KB)."
API_UNREADABLE_BODY = "Isi permintaan tidak dapat dibaca (periksa format dan pengodean UTF-8)."
API_DESCRIPTION_TOO_SHORT = "Mohon jelaskan masalahnya dalam satu atau dua kalimat (description)."
API_DESCRIPTION_TOO_LONG = "Deskripsi terlalu panjang (paling banyak {limit} karakter)."
API_LOCATION_REQUIRED = "Lokasi wajib diisi: lat dan long, atau address_string."
API_LOCATION_INVALID = "Titik lokasi (lat, long) tidak valid."
API_NAME_REQUIRED = (
    "Untuk laporan biasa atau rahasia, nama pelapor (first_name/last_name) wajib diisi. "
    "Pilih attribute[privacy]=anonim bila tidak ingin mencantumkan identitas."
)
API_EMAIL_INVALID = "Alamat email tidak valid."
API_NOTE_REQUIRED = "Perubahan ke \"{target}\" wajib disertai catatan (kolom note) yang akan dibaca pelapor."
API_BAD_UNIT = "Unit \"{unit}\" tidak dikenal, atau unit hanya dapat dipilih saat mendisposisikan laporan."
API_UNAVAILABLE = "Basis data sedang tidak dapat dijangkau. Mohon coba lagi sebentar lagi."
API_INTERNAL_ERROR = "Terjadi kesalahan pada sistem. Mohon coba lagi nanti."
OPEN311_SERVICE_DESCRIPTION = "Pengaduan tentang {label}, ditangani oleh {unit}."
OPEN311_RECEIVED = (
    "Laporan Anda sudah kami terima dengan kode {code} dan akan diverifikasi paling lambat {due}. "
    "Simpan kode ini untuk mengecek statusnya."
)
OPEN311_MEDIA_URL_INVALID = (
    "Alamat foto (media_url) harus berupa tautan http:// atau https:// yang lengkap, paling panjang 2.000 karakter."
)

# --- Rasa (the rasa-sdk action server, bot/channels/rasa/) -----------------------------
RASA_PRIVACY_UNCLEAR = "Mohon pilih salah satu cara melapor: Biasa, Rahasia, atau Anonim."
RASA_CONFIRM_UNCLEAR = (
    "Mohon jawab \"Kirim\" untuk mengirim laporan, \"Ubah\" untuk memperbaikinya, atau \"Batal\"."
)
RASA_ACTIONS_STARTED = (
    "Server aksi Rasa berjalan di {url} (endpoints.yml: action_endpoint url {url}/webhook). "
    "Tekan Ctrl+C untuk berhenti."
)
RASA_ACTIONS_CANNOT_LISTEN = "Server aksi Rasa tidak dapat berjalan di {host}:{port}: {error}"
RASA_SDK_MISSING = "Paket rasa-sdk belum terpasang. Pasang dengan: pip install 'aduan[rasa]'"

# aduan apikey ...
APIKEY_CREATED = "Kunci API #{id} (cakupan {scope}) dibuat. Simpan kunci di atas sekarang: kunci ini tidak akan ditampilkan lagi."
APIKEY_OFFICER_REQUIRED = "Kunci dengan cakupan officer wajib menyebut petugasnya: --officer ID (dari konfigurasi organisasi)."
APIKEY_PUBLIC_NO_OFFICER = "Kunci dengan cakupan public tidak bertindak sebagai petugas; hapus --officer atau pilih --scope officer."
APIKEY_ROW = "#{id}  {prefix}…  {scope:<8} petugas: {officer}  dibuat: {created}  {state}  {label}"
APIKEY_ACTIVE = "aktif"
APIKEY_REVOKED_STATE = "dicabut {at}"
APIKEY_NONE = "Belum ada kunci API. Buat dengan: aduan apikey create --scope public"
APIKEY_REVOKED = "Kunci API #{id} dicabut; permintaan dengan kunci itu kini ditolak."
APIKEY_NOT_ACTIVE = "Kunci API #{id} tidak ada atau sudah dicabut."

# the HTTP server's refusals (aduan/http.py, aduan/api/errors.py)
API_MORE_FIELDS = "dan {count} isian lainnya"

# Open311 service definitions and discovery (aduan/api/discovery.py)
OPEN311_SERVICE_NOT_FOUND = "Layanan \"{code}\" tidak dikenal. Daftar layanan tersedia di services.json."
OPEN311_PRIVACY_QUESTION = (
    "Bagaimana identitas pelapor diperlakukan? Bila tidak dipilih: Biasa bila nama pelapor diisi, "
    "selain itu Anonim."
)
OPEN311_PRIVACY_HINT = "Pilih salah satu kunci: biasa, rahasia, atau anonim."
OPEN311_PRIVACY_CHOICES = {
    PrivacyMode.BIASA: "Biasa (identitas terlihat oleh unit yang menangani)",
    PrivacyMode.RAHASIA: "Rahasia (identitas disimpan, tetapi hanya diketahui admin pengaduan)",
    PrivacyMode.ANONIM: "Anonim (identitas tidak disimpan)",
}
OPEN311_CONTACT = "Untuk bantuan atau melaporkan gangguan layanan ini, hubungi admin pengaduan {org} melalui {url}."
OPEN311_KEY_SERVICE = (
    "Kunci API diberikan oleh admin pengaduan {org}. Membaca laporan tidak memerlukan kunci; "
    "mengirim laporan memerlukannya."
)

# Open311: what a request says of its outcome and its place (aduan/api/views.py)
# the precise outcome of a closed request, before the unit's latest note (or alone)
OPEN311_OUTCOMES: dict[Status, str] = {
    Status.SELESAI: "Selesai ditindaklanjuti",
    Status.DITUTUP: "Ditutup",
    Status.DISALURKAN: "Disalurkan ke instansi yang berwenang",
    Status.DITOLAK: "Ditolak (tidak dapat diproses)",
}
OPEN311_OUTCOME_NOTE = "{outcome}. {note}"
OPEN311_OUTCOME_ONLY = "{outcome}."
# a complaint located by a point only, when the deployment's area has no name
OPEN311_ADDRESS_POINT = "Titik lokasi pada peta"
