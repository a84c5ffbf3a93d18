"""Everyday words that are also region names somewhere ("Baru", "Pasar", "Ujung").

A region name made only of such words is matched in free text only after a specific
cue ("kel", "desa", "kec", ...), never on its own or after a plain "di".
"""

from __future__ import annotations

COMMON_WORDS = frozenset(
    """
    ada adalah admin agar air aja akan aku alam alas anak antara apa atas atau ayo
    bagian bagus bahwa baik balai banjar banget bangun banyak bapak baru barat batu bawah
    bayar beberapa begitu belakang belum benar benteng beringin berapa besar biasa bikin
    bisa blok bola bolong buat bukan bukit bulan bumi bunga cepat cot dalam dan dapat
    darat dari datang daerah dekat depan desa di dia dua duku ekor empat enam gading
    gang gedung gelap gunung hari harus hijau hilir hulu ibu indah ini itu jadi jalan
    jam jati jauh jaya jembatan jeruk juga kali kalau kami kampung kanan kantor karang
    karena kasih kayu ke kebun kecil kelurahan kemarin kembang kenapa kepada kiri kita
    kota kulon kuning lagi lama lampu langsung lapangan lapor laut lewat lima lor luar
    lurus made maju makam makmur malam mana mandiri manis mas masih masjid mati mau
    merah mesjid minggu mohon muara mulia mulya nanti negeri pada pagi pagar pakai
    panjang pantai pasar pasir perak permai pinggir pojok pondok pulau pulo puri putih
    raja raya rumah rusak saat sabar saja saja sakit sama sampai samping sangat saya
    sebelah sehat sekali sekarang sekolah selatan semua sendiri sentosa seperti sering
    setia siang sinar sore suka sumber sungai sudah tadi tahun taman tambak tanah tanjung
    tapi tawang telaga teluk tempat tengah terus tidak timur tinggi tiga toko tolong
    tua tujuh ujung utama utara wetan yang genteng lontar
    """.split()
)
