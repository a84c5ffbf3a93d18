"""Abusive language (kata kasar, makian) in Indonesian, Javanese and Sundanese chat.

Written for this project. The bot never refuses a message for it: it asks, politely and
once in a while, to keep the language courteous (bot/guard.py); the text is kept as written.

Two kinds of words:

- **always abusive** (``ALWAYS``): insults and obscenities that mean nothing else in a
  complaint ("bangsat", "goblok", "jancuk", "belegug"), also abbreviated ("bgst", "gblk",
  "ajg"), with a suffix ("bangsatlah"), stretched ("bangsaaat"), in leetspeak ("b4ngs4t"),
  masked ("b*ngs*t") or spelled out ("a.n.j.i.n.g");
- **abusive in context** (``CONTEXTUAL``): animals and other nouns a complaint may well be
  about ("anjing liar menggigit anak", "tahi ayam di selokan", "bangkai tikus"). They count
  only as an insult: after "dasar", "kayak"; next to a person ("kalian anjing", "anjing lu",
  "petugas babi"); with a person's suffix ("anjinglah", "asumu"); or said on their own as an
  exclamation ("Anjing! jalan rusak ..."), and never beside a word that makes them the
  animal or the thing itself ("ada anjing", "digigit anjing", "anjing liar", "daging babi").
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

_RAW_ALWAYS = """
    bangsat bangsad bgst bngst bgsd bajingan bajingn brengsek brengsk berengsek keparat kampret
    goblok goblog gblk gblg goblox tolol tll bego bgo begok idiot dungu bodoh oon pekok
    kontol kntl memek mmk ngentot ngntt entot ngewe jembut pepek peler titit
    pelacur lonte perek sundal jablay bencong sialan kunyuk bangke bedebah
    anjir anjrit anjrot njir anjay anjg ajg anj njing
    jancuk jancok dancuk diancuk cuk jancik jangkrik matamu raimu ndasmu gathel gatel? pekok
    belegug kehed koplok borokokok gelo? ewe?
    fuck fck shit bitch asshole bastard
"""
# a trailing "?" marks a word left out on purpose: it means something else too often
# ("gatel": itchy; "gelo": Sundanese for crazy, said of things; "ewe": a name, a word in Javanese)
ALWAYS: frozenset[str] = frozenset(w for w in _RAW_ALWAYS.split() if not w.endswith("?"))
CONTEXTUAL: frozenset[str] = frozenset(
    "anjing asu babi celeng kirik monyet setan iblis tai tahi taik taek bangkai".split()
)
SUFFIXES = ("nya", "lah", "mu", "lu", "lo", "an")  # bangsatnya, goblokmu
PERSON_SUFFIXES = ("lah", "mu", "lu", "lo")  # anjinglah, asumu ("anjingnya" is the dog)

# who an insult is thrown at
PEOPLE = frozenset("""
    lu lo loe elu lw luh kau engkau kamu kalian situ sia maneh kowe koe awakmu sampeyan
    petugas pejabat pemerintah pemkot pemkab pemda pemprov dinas bupati walikota wali gubernur lurah camat
    kades rt rw polisi aparat admin bot pegawai pns satpol dprd dewan presiden menteri
""".split())
INSULT_LEADS = frozenset("dasar kayak kaya kek kyk seperti mirip macam".split())
# words that make the contextual word the animal or the thing itself
NOUN_CONTEXT = frozenset("""
    ada banyak ekor seekor beberapa sekawanan gerombolan kawanan digigit gigitan menggigit gigit
    dikejar mengejar peliharaan pelihara dipelihara memelihara liar kotoran bangkai daging kandang ternak
    peternakan hutan rabies mati berkeliaran galak gila hewan binatang anak pakan vaksin steril menyerang
    diserang lepas dilepas jalanan tikus ayam sapi kucing kambing kuda bebek bau tumpukan buang membuang
    pup eek ngepet tetangga warga milik punya sungai got selokan
""".split())

_LEET = str.maketrans({"4": "a", "@": "a", "3": "e", "1": "i", "!": "i", "0": "o", "5": "s", "$": "s", "7": "t"})
_TOKEN = re.compile(r"[a-z0-9@$*!]*[a-z*][a-z0-9@$*!]*|[^\sa-z0-9]")
_SPELLED = re.compile(r"\b(?:[a-z][.\-_ ]){2,}[a-z]\b")  # a.n.j.i.n.g, a n j i n g
_REPEAT = re.compile(r"(.)\1+")


def _squeeze(word: str) -> str:
    """Runs of one letter as one: "bangsaaat", "goblokk" and "bangsat", "goblok" compare equal."""
    return _squeeze_short(word) if len(word) <= 30 else _REPEAT.sub(r"\1", word)


@lru_cache(maxsize=4096)  # words recur from message to message
def _squeeze_short(word: str) -> str:
    return _REPEAT.sub(r"\1", word)


_ALWAYS = frozenset(_squeeze(w) for w in ALWAYS)
_CONTEXTUAL = frozenset(_squeeze(w) for w in CONTEXTUAL)


def _tokens(text: str) -> list[str]:
    """Words (leetspeak read as letters, runs of a letter squeezed) and punctuation marks."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = _SPELLED.sub(lambda m: re.sub(r"[.\-_ ]", "", m.group()), folded)
    out = []
    for token in _TOKEN.findall(folded):
        if token.isalpha() or any(ch.isalpha() for ch in token):
            # "!" and digits inside a word are leetspeak; at its end "!" is punctuation
            stripped = token.rstrip("!")
            out.append(_squeeze(stripped.translate(_LEET)))
            out.extend("!" * (len(token) > len(stripped)))
        else:
            out.append(token)
    return out


def _masked(word: str, lexicon: frozenset[str]) -> str | None:
    """A word of ``lexicon`` that ``word`` masks with asterisks ("b*ngs*t"), if one."""
    letters = word.replace("*", "")
    if "*" not in word or len(letters) < 3 or word.count("*") > len(letters):
        return None
    pattern = re.compile(re.escape(word).replace(r"\*", "[a-z]"))
    return next((w for w in sorted(lexicon) if pattern.fullmatch(w)), None)


def _lookup(word: str, lexicon: frozenset[str], suffixes: tuple[str, ...]) -> str | None:
    if "*" in word:
        found = _lookup_plain(word, lexicon, suffixes)
        return found if found is not None else _masked(word, lexicon)
    return _forms(lexicon, suffixes).get(word)  # a word without "*" is a form or nothing


def _lookup_plain(word: str, lexicon: frozenset[str], suffixes: tuple[str, ...]) -> str | None:
    if word in lexicon:
        return word
    for suffix in suffixes:
        if word.endswith(suffix) and word[: -len(suffix)] in lexicon:
            return word[: -len(suffix)]
    return None


@cache  # one table per lexicon (two)
def _forms(lexicon: frozenset[str], suffixes: tuple[str, ...]) -> dict[str, str]:
    """Every word ``_lookup_plain`` finds in ``lexicon`` (each lexicon word, bare or with a
    suffix) -> what it finds."""
    forms = {w + suffix for w in lexicon for suffix in ("", *suffixes)}
    return {form: found for form in forms if (found := _lookup_plain(form, lexicon, suffixes)) is not None}


def _is_word(token: str | None) -> bool:
    return token is not None and (token.isalpha() or any(ch.isalpha() or ch == "*" for ch in token))


@lru_cache(maxsize=256)  # the last texts (a short answer, "ya", "kirim", is typed again and again)
def abusive_words(text: str) -> tuple[str, ...]:
    """The abusive words of ``text`` (as the lexicon spells them), in order; () when none."""
    tokens = _tokens(text)
    found: list[str] = []
    for i, token in enumerate(tokens):
        if not _is_word(token):
            continue
        word = _lookup(token, _ALWAYS, SUFFIXES)
        if word is None:
            word = _contextual(tokens, i)
        if word is not None:
            found.append(word)
    return tuple(found)


def is_abusive(text: str) -> bool:
    return bool(abusive_words(text))


def _contextual(tokens: list[str], i: int) -> str | None:
    """The contextual word at ``tokens[i]`` when it is thrown as an insult."""
    token = tokens[i]
    with_person = _lookup(token, _CONTEXTUAL, PERSON_SUFFIXES)
    if with_person is not None and with_person != token:
        return with_person  # "anjinglah", "asumu"
    if token not in _CONTEXTUAL:
        return None
    before = tokens[i - 1] if i > 0 else None
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    near = [t for t in (*tokens[max(i - 2, 0):i], *tokens[i + 1:i + 3]) if _is_word(t)]
    if any(t in NOUN_CONTEXT for t in near):
        return None
    if before in INSULT_LEADS or before in PEOPLE or after in PEOPLE:
        return token
    alone = not _is_word(before) and not _is_word(after)  # "Anjing!", ", babi."
    return token if alone else None
