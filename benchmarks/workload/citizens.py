"""The simulated citizens of the pipeline benchmarks: what each wants to report and how
they answer whatever the bot asks next (text or buttons), until the receipt."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bot import texts
from bot.messages import OutgoingMessage

MAX_TURNS = 16  # a conversation that needs more has gone off the script: the run fails


# Kelurahan of Kota Surabaya (the demo organisation's area), as a citizen would type them
PLACES = (
    "Kebraon", "Kedurus", "Karang Pilang", "Waru Gunung", "Sidosermo", "Bendul Merisi", "Margorejo",
    "Jemur Wonosari", "Siwalankerto", "Kalirungkut", "Rungkut Kidul", "Kedung Baruk", "Penjaringansari",
    "Medokan Ayu", "Wonokromo", "Jagir", "Ngagel", "Ngagel Rejo", "Darmo", "Sawunggaling", "Tegalsari",
    "Kedungdoro", "Keputran", "Petemon", "Sawahan", "Banyu Urip", "Putat Jaya", "Kupang Krajan", "Pakis",
    "Embong Kaliasin", "Genteng", "Kapasari", "Ketabang", "Peneleh", "Gubeng", "Mojo", "Airlangga",
    "Kertajaya", "Baratajaya", "Pucang Sewu", "Keputih", "Gebang Putih", "Klampis Ngasem", "Menur Pumpungan",
    "Nginden Jangkungan", "Semolowaru", "Medokan Semampir", "Tambaksari", "Ploso", "Gading", "Pacarkembang",
    "Rangkah", "Pacarkeling", "Dukuh Setro", "Simokerto", "Kapasan", "Sidodadi", "Tambakrejo", "Simolawang",
    "Ampel",
)
# What citizens complain about: a description (no place, no date) per kind of problem
PROBLEMS = (
    "lampu jalan di depan gg {n} mati, gelap sekali kalau malam",
    "jalan berlubang besar dekat masjid, kemarin ada pengendara motor yang jatuh",
    "sampah menumpuk di pinggir jalan dekat pasar, baunya sampai ke rumah warga",
    "selokan mampet dan air meluap ke jalan setiap kali hujan",
    "sudah tiga kali ke kelurahan untuk mengurus KTP tapi disuruh kembali terus",
    "antrean di puskesmas lama sekali dan dokternya sering tidak ada di tempat",
    "lampu lalu lintas di perempatan mati, kendaraan jadi semrawut",
    "parkir liar di trotoar depan pertokoan bikin macet dan pejalan kaki terpaksa lewat jalan",
    "pabrik membuang limbah ke sungai, airnya hitam dan berbau",
    "pohon besar di pinggir jalan sudah miring dan dahannya hampir patah",
    "air pdam tidak mengalir sudah beberapa hari, warga harus beli air",
    "petugas kelurahan meminta uang tambahan untuk surat pengantar",
)
DATES = ("kemarin", "tadi pagi", "3 hari lalu", "seminggu yang lalu", "2 minggu lalu", "5 November", "lupa")
MOBILE_PREFIXES = ("0812", "0813", "0821", "0822", "0852", "0857", "0878", "0896")
NAMES = ("Budi Santoso", "Siti Aminah", "Rahmat Hidayat", "Dewi Anggraini", "Agus Salim", "Nur Hasanah",
         "Eko Prasetyo", "Sri Mulyani", "Andi Wijaya", "Rina Kartika")


@dataclass
class Persona:
    """What one citizen wants to report, and how they answer the bot."""

    chat_id: int
    opening: str  # "rich" (what, where, when at once), "describe" (what only), "menu" (greeting first)
    problem: str
    place: str
    date: str  # typed, or "button" for "Tidak ingat"
    privacy: str  # biasa, rahasia, anonim: chosen on the summary ("Kirim", "Kirim rahasia", "Kirim anonim")
    privacy_by_button: bool  # rahasia and anonim: the button, or typed ("kirim rahasia")
    name: str  # asked after "Kirim" or "Kirim rahasia" when the channel did not give it
    phone: str | None  # asked only where the organisation requires it; None: "contact by chat"
    send_by_button: bool  # biasa: "Kirim", or typed "kirim"


def make_persona(rng: random.Random, chat_id: int) -> Persona:
    problem = rng.choice(PROBLEMS).format(n=rng.randint(1, 30))
    return Persona(
        chat_id=chat_id,
        opening=rng.choices(("rich", "describe", "menu"), weights=(2, 4, 4))[0],
        problem=problem,
        place=rng.choice(PLACES),
        date=rng.choice(DATES + ("button",)),
        privacy=rng.choices(("biasa", "rahasia", "anonim"), weights=(5, 2, 3))[0],
        privacy_by_button=rng.random() < 0.7,
        name=rng.choice(NAMES),
        phone=rng.choice((None, f"{rng.choice(MOBILE_PREFIXES)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}")),
        send_by_button=rng.random() < 0.8,
    )


class OffScript(AssertionError):
    pass


@dataclass
class Conversation:
    """A citizen answering whatever the bot asks next, until the receipt. ``text_only``:
    never a button (every answer typed), for channels where only text messages are fed."""

    persona: Persona
    text_only: bool = False
    replies: list[OutgoingMessage] = field(default_factory=list)
    turns: int = 0
    done: bool = False
    transcript: list[str] = field(default_factory=list)

    @property
    def sender(self) -> str:
        return str(self.persona.chat_id)

    def _press(self, button: str, typed: str, prefer_button: bool = True) -> tuple[str | None, str | None]:
        return (None, button) if prefer_button and not self.text_only else (typed, None)

    def next_message(self) -> tuple[str | None, str | None]:
        """(text, button) of the next message."""
        p = self.persona
        if self.turns == 0:
            if p.opening == "rich":
                since = p.date if p.date not in ("button", "lupa") else "kemarin"
                return f"{p.problem} di kelurahan {p.place} sejak {since}", None
            if p.opening == "describe":
                return f"mau lapor pak, {p.problem}", None
            return "halo", None
        said = "\n".join(r.text for r in self.replies)
        buttons = [b.id for r in self.replies for b in r.buttons]
        if "confirm:send" in buttons:  # the summary: sent the way this citizen reports
            if p.privacy == "biasa":
                return self._press("confirm:send", "kirim", p.send_by_button)
            return self._press(f"privacy:{p.privacy}", f"kirim {p.privacy}", p.privacy_by_button)
        if "offer:new" in buttons:  # another citizen's report of it is offered: this one files its own
            return self._press("offer:new", "tetap buat laporan baru")
        if texts.ASK_NAME in said:  # after "Kirim" or "Kirim rahasia", when the name is not known
            return p.name, None
        if "offer:one" in buttons:  # read as two problems: one report is what they meant
            return self._press("offer:one", "satu laporan saja")
        if "menu:new" in buttons:
            return self._press("menu:new", f"mau lapor pak, {p.problem}")
        if texts.ASK_DESCRIPTION in said:
            return p.problem, None
        if texts.ASK_PLACE in said or "Di kelurahan/desa atau kecamatan mana" in said:
            return f"kelurahan {p.place}", None
        if "date:unknown" in buttons:
            if p.date in ("button", "lupa"):
                return self._press("date:unknown", "lupa")
            return p.date, None
        if any(b.startswith("service:") for b in buttons):
            return self._press(next(b for b in buttons if b.startswith("service:")), "dinas terkait")
        if texts.ASK_SERVICE in said:
            return "dinas terkait", None
        if "contact:chat" in buttons:
            phone = p.phone or f"0812-{p.chat_id % 10000:04d}-{p.chat_id // 10000 % 10000:04d}"
            return self._press("contact:chat", phone, p.phone is None)
        raise OffScript(f"conversation {self.sender} went off the script:\n" + "\n".join(self.transcript[-8:]))

    def took(self, text: str | None, button: str | None, replies: list[OutgoingMessage]) -> None:
        self.turns += 1
        self.replies = replies
        self.transcript.append(f"CITIZEN: {text if text is not None else '[' + str(button) + ']'}")
        self.transcript.append("BOT: " + " | ".join(r.text.replace("\n", " / ")[:160] for r in replies))
        if any("Kode laporan:" in r.text for r in replies):
            self.done = True
        elif self.turns >= MAX_TURNS:
            raise OffScript(f"conversation {self.sender} did not finish in {MAX_TURNS} turns:\n"
                            + "\n".join(self.transcript))
        elif any(r.text == texts.TRY_AGAIN_LATER for r in replies):
            raise OffScript(f"conversation {self.sender}: the engine failed on {self.transcript[-1]}")
