"""Match a citizen's question to the organisation's FAQ by meaning, not by exact words.

Each text is normalised (``nlu.normalize``), written with one word per concept (the
synonyms and slang below: "jam buka", "buka jam berapa", "jam operasional" all become
"jamlayanan"; "e-KTP", "KTP-el" become "ktp"; "bikin", "buat", "urus" become "urus"),
stemmed (``nlu.stemming``, against the FAQ's own words) and stripped of function words.
Two TF-IDF spaces (scikit-learn) score a question against every way an entry is asked:
word unigrams and bigrams, and character n-grams within words (typos, affixes). An entry
is returned only above a threshold, so a complaint or an unrelated question matches nothing.
Matchers are cached per FAQ tuple: the organisation snapshot is immutable.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from complaints.org import FaqEntry

from .classify import has
from .intent_rules import question_shaped
from .keywords import compile_phrases
from .normalize import normalize
from .stemming import stem

THRESHOLD = 0.25  # combined cosine similarity below which nothing matches
# for a message the rules took for a complaint that is shaped like a question: only a clear match
STRICT_THRESHOLD = 0.4
WORD_WEIGHT = 0.6  # the rest is the character n-grams' share

# concept -> ways of saying it (matched as whole phrases on the normalised text, longest first)
SYNONYMS: dict[str, list[str]] = {
    "jamlayanan": ["jam buka", "buka jam berapa", "jam berapa buka", "buka jam", "jam layanan", "jam pelayanan",
                   "jam operasional", "jam kerja", "jam kantor", "waktu layanan", "waktu pelayanan", "buka",
                   "tutup jam berapa", "jam berapa tutup", "tutup", "beroperasi", "operasional", "hari libur",
                   "hari sabtu", "sabtu", "minggu buka", "jam berapa", "sampai jam", "istirahat", "pukul berapa",
                   "sampai pukul", "jam piro", "tatap muka"],
    "ktp": ["e-ktp", "ektp", "e ktp", "ktp-el", "ktp el", "ktpel", "kartu tanda penduduk", "ktp"],
    "kk": ["kartu keluarga", "kk"],
    "adminduk": ["akta*", "akte*", "akta kelahiran", "akta lahir", "akta kematian", "kependudukan",
                 "dokumen kependudukan", "administrasi kependudukan", "adminduk", "surat pindah", "kia"],
    "urus": ["bikin", "buat", "membuat", "pembuatan", "mengurus", "urus", "pengurusan", "ngurus", "daftar",
             "mendaftar", "mengajukan", "pengajuan", "cetak", "mencetak", "dapat", "mendapatkan", "punya"],
    "biaya": ["bayar", "membayar", "dibayar", "mbayar", "bayare", "bayarnya", "biaya", "biayanya", "gratis", "tarif", "ongkos",
              "pungutan", "dipungut", "berbayar", "harga", "uang", "duit", "rupiah", "mahal", "murah",
              "dikenakan biaya", "ada biaya"],
    "syarat": ["syarat", "syaratnya", "persyaratan", "dokumen", "berkas", "bawa apa", "dibawa", "perlu apa",
               "apa saja", "yang diperlukan", "yang dibutuhkan", "kelengkapan", "membawa", "bawa"],
    "alamat": ["alamat", "alamatnya", "lokasi", "lokasinya", "letak", "letaknya", "di mana", "mana", "tempatnya",
               "posisi", "arah", "ke sana", "kesana", "peta", "maps", "google maps"],
    "mpp": ["mal pelayanan publik", "mall pelayanan publik", "mpp", "mal pelayanan", "mall pelayanan", "mal", "mall"],
    "kantor": ["kantor", "kantornya", "dinas", "dispendukcapil", "disdukcapil", "dukcapil", "capil",
               "pemkot", "pemda", "balai kota", "gedung"],
    "rahasia": ["rahasia", "dirahasiakan", "kerahasiaan", "identitas", "nama saya", "anonim", "tanpa nama",
                "diketahui", "ketahuan", "tahu", "disebarkan", "disebar", "aman", "privasi", "terlapor",
                "dilindungi", "perlindungan", "data pribadi", "data saya", "nama pelapor", "dibalas", "balas dendam",
                "tau nama", "tahu nama", "ngerti jenengku", "jeneng"],
    "lama": ["berapa lama", "lama", "lamanya", "berapa hari", "kapan selesai", "kapan ditanggapi",
             "kapan diproses", "durasi", "waktu proses", "target waktu", "batas waktu", "tenggat", "cepat",
             "secepatnya", "ditindaklanjuti", "ditanggapi", "direspon", "respon", "hari kerja"],
    "lapor": ["lapor", "melapor", "laporan", "melaporkan", "mengadu", "ngadu", "laporin", "aduan", "pengaduan", "komplain",
              "mengeluh", "keluhan", "mengirim laporan", "kirim laporan", "menyampaikan"],
    "cara": ["cara", "caranya", "bagaimana", "gimana", "piye", "yok opo", "yopo", "langkah", "tahapan", "prosedur", "alur", "mekanisme"],
    "proses": ["proses", "diproses", "prosesnya", "memproses", "penanganan", "ditangani", "menangani"],
}
_CONCEPTS = [(concept, compile_phrases(phrases)) for concept, phrases in SYNONYMS.items()]
_ALL_PHRASES = compile_phrases([p for phrases in SYNONYMS.values() for p in phrases])
_BY_PHRASE = {re.sub(r"\s+", " ", p): c for c, phrases in SYNONYMS.items() for p in phrases}
_TOKEN = re.compile(r"[a-z0-9]+")
FUNCTION_WORDS = frozenset(
    """
    yang di ke dari dan atau untuk dengan itu ini ada apa apakah saya aku kami kita anda bapak ibu admin
    kak min mas mbak pak bu tolong mohon mau ingin tanya bertanya numpang dong ya kah sih nih deh tidak
    bisa boleh akan sudah belum kalau kalo jika juga saja berapa kapan siapa kenapa mengapa harus perlu
    adalah pada oleh dalam nya lah pun kok gitu begitu terima kasih halo selamat pagi siang sore malam
    nang neng ning kene kono kunu iki iku ta tah gak ga nggak ora opo aku sampeyan rek cak yo wes wis karo lek
    mene sini situ mriki
    """.split()
)


def canonical(text: str, known: frozenset[str] = frozenset()) -> str:
    """The text as concepts and stems, without function words."""
    norm = normalize(text)

    def concept(match: re.Match[str]) -> str:
        phrase = re.sub(r"\s+", " ", match.group())
        return " " + _BY_PHRASE.get(phrase, _concept_of(phrase)) + " "

    replaced = _ALL_PHRASES.sub(concept, norm)
    words = [stem(w, known) for w in _TOKEN.findall(replaced) if w not in FUNCTION_WORDS]
    return " ".join(words)


def _concept_of(phrase: str) -> str:
    for name, pattern in _CONCEPTS:
        if pattern.fullmatch(phrase):
            return name
    return phrase


class FaqMatcher:
    """The FAQ entry a question means, if any (``match``)."""

    def __init__(self, entries: Sequence[FaqEntry], threshold: float = THRESHOLD) -> None:
        self.entries = tuple(entries)
        self.threshold = threshold
        raw_words = {w for e in self.entries for q in e.questions for w in _TOKEN.findall(normalize(q))}
        self._known = frozenset(raw_words | set(SYNONYMS))
        docs: list[str] = []
        self._owner: list[int] = []
        for index, entry in enumerate(self.entries):
            for question in entry.questions:
                docs.append(canonical(question, self._known))
                self._owner.append(index)
        self._words: Any = None
        self._chars: Any = None
        if docs:
            # imported here: scikit-learn takes a second to load and only FAQs need it at run time
            from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

            self._words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"[a-z0-9]+")
            self._chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
            self._word_matrix = self._words.fit_transform(docs)
            self._char_matrix = self._chars.fit_transform(docs)
        self._vocabulary = frozenset(w for doc in docs for w in doc.split())

    def scores(self, text: str) -> list[tuple[FaqEntry, float]]:
        """Every entry with its best similarity to ``text``, best first."""
        if self._words is None or self._chars is None:
            return []
        doc = canonical(text, self._known)
        if not doc:
            return []
        word_sim = (self._word_matrix @ self._words.transform([doc]).T).toarray().ravel()
        char_sim = (self._char_matrix @ self._chars.transform([doc]).T).toarray().ravel()
        combined = (WORD_WEIGHT * word_sim + (1 - WORD_WEIGHT) * char_sim) * self._coverage(doc)
        best = np.zeros(len(self.entries))
        for row, owner in enumerate(self._owner):
            best[owner] = max(best[owner], combined[row])
        order = sorted(range(len(self.entries)), key=lambda i: -best[i])
        return [(self.entries[i], float(best[i])) for i in order]

    def _coverage(self, doc: str) -> float:
        """The share of the question's words the FAQ knows: "resep rendang yang enak gimana?"
        shares only "gimana" with "cara lapor gimana" and must not match it."""
        words = doc.split()
        return sum(w in self._vocabulary for w in words) / len(words) if words else 0.0

    def match(self, text: str) -> tuple[FaqEntry, float] | None:
        """The entry ``text`` asks about and the similarity, or None (also for complaints)."""
        norm = normalize(text)
        if has("problem", norm) and not question_shaped(norm):
            return None  # something is broken: a complaint, not a question for the FAQ
        ranked = self.scores(text)
        if not ranked or ranked[0][1] < self.threshold:
            return None
        return ranked[0]


@lru_cache(maxsize=16)
def matcher(entries: tuple[FaqEntry, ...]) -> FaqMatcher:
    """One matcher per FAQ (the organisation's snapshot is immutable and hashable)."""
    return FaqMatcher(entries)
