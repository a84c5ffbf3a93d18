"""The intake dialog: ask for what is missing, take each answer, validate it, move on."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from complaints.taxonomy import CategoryOrigin, PrivacyMode
from nlu import Parse, Understanding

from . import similar, texts
from .answers import (
    read_date,
    read_edit_field,
    read_person_name,
    read_place,
    read_privacy,
    read_service,
    valid_description,
)
from .buttons import (
    ButtonData,
    CardPhone,
    Confirm,
    ConfirmChoice,
    ContactByChat,
    DateUnknown,
    Edit,
    Offer,
    OfferChoice,
    Privacy,
    Service,
)
from .corrections import apply_correction, corrected_name, correction_of, more_at_summary
from .draft import (
    Contact,
    Contributed,
    Draft,
    EvidenceDraft,
    IntakeConfig,
    NotRemembered,
    OutsidePlace,
    PlaceDraft,
    Step,
    absorb,
    choose_category,
    choose_privacy,
    clear_field,
    identity_missing,
    is_substantive,
    remember,
    remember_description,
    share_context,
)
from .messages import Profile
from .questions import DATE_BUTTONS, NAME_BUTTONS, ask, ask_next
from .render.labels import shorten
from .state import Asking
from .turn import Turn

SEND_WORDS = {"kirim", "ya", "iya", "ok", "oke", "benar", "betul", "sudah benar", "sudah", "kirim saja", "sip", "lanjut"}
EDIT_WORDS = {"ubah", "edit", "ganti", "perbaiki", "koreksi"}
# where a correction may come instead of the answer (not where free words are the answer itself)
CORRECTABLE = frozenset({Step.PLACE, Step.DATE, Step.SERVICE, Step.CONFIRM, Step.EDIT, Step.CONTACT})
CANCEL_WORDS = {"ya", "iya", "ya batalkan", "batalkan", "batal", "yakin", "hapus"}


def split_choice(text: str, parse: Parse) -> bool:
    """A typed answer to "two reports?": yes unless it says one ("satu saja", "tidak")."""
    words = set(text.lower().replace(",", " ").split())
    return not (words & {"satu", "gabung", "sekaligus"} or parse.intent == "deny")


def outside_choice(text: str) -> OfferChoice | None:
    """A typed answer to "outside the area": forward, SP4N-LAPOR!, another place; None: a place."""
    words = set(text.lower().replace("!", " ").split())
    if words & {"lapor", "sp4n", "sp4n-lapor", "lapor.go.id"}:
        return OfferChoice.LAPOR
    if words & {"teruskan", "salurkan", "ya", "iya", "boleh", "terus"}:
        return OfferChoice.FORWARD
    if words & {"ubah", "ganti", "salah"}:
        return OfferChoice.PLACE
    return None


class Outcome(Enum):
    """What an answer asks the engine to do beyond the next question."""

    SUBMIT = "submit"
    CANCEL = "cancel"
    STALE = "stale"  # a button that does not answer the question asked
    LAPOR = "lapor"  # the place is outside the area and the citizen goes to SP4N-LAPOR!
    SUPPORT = "support"  # the same problem is reported: the citizen supports that case (bot.similar)


def with_profile(draft: Draft, profile: Profile | None) -> Draft:
    """What the channel knows of the sender, where the draft does not say otherwise."""
    if profile is None or draft.privacy is PrivacyMode.ANONIM:
        return draft
    if profile.name and not draft.name:
        person = read_person_name(profile.name)
        if person is not None:
            draft.name, draft.title, draft.name_from_profile = person.name, person.title, True
    if profile.phone and (draft.contact is None or not draft.contact.phone):
        draft.contact = Contact(phone=profile.phone)
    return draft


@dataclass
class Intake:
    nlu: Understanding
    config: IntakeConfig

    # --- starting ---------------------------------------------------------------------

    def start(self, turn: Turn, parse: Parse | None, draft: Draft | None = None, *, split: bool = True) -> None:
        """Open a draft, filling it from the first message when that describes a problem
        (``draft``: one holding a photo or a shared location that came first). Two problems
        in one message are offered as two reports."""
        draft = with_profile(draft or Draft(), turn.msg.profile)
        turn.say(texts.START_INTAKE)
        if parse is not None:
            absorb(draft, parse, self.config, describe=is_substantive(parse))
            if draft.description and parse.text == turn.text:  # this message's own words (not an offer's)
                remember_description(draft, turn.msg, parse)
            place = draft.place
            if not place.done and place.outside is None and draft.description:  # "depan terminal Bungurasih Waru"
                outside = (place.detail and self.nlu.resolve_outside(place.detail)) or self.nlu.resolve_outside(parse.text)
                if outside is not None:
                    place.outside = OutsidePlace(code=outside.code, name=outside.name, path=outside.path,
                                                 regency=outside.regency or outside.name)
            parts = self.nlu.split_problems(parse.text, turn.now) if split and draft.description else []
            if len(parts) > 1:
                turn.state = Asking(step=Step.SPLIT, draft=draft, pending=parts)
                ask(turn, draft, Step.SPLIT, self.config)
                return
        ask_next(turn, draft, self.config)

    def reprompt(self, turn: Turn) -> None:
        """The question again, when one waits."""
        if isinstance(turn.state, Asking):
            ask(turn, turn.state.draft, turn.state.step, self.config)

    def send(self, turn: Turn, asking: Asking, mode: PrivacyMode) -> Outcome | None:
        """A "Kirim" button: file now, or ask what this way still needs (the name; the phone, where required)."""
        choose_privacy(asking.draft, mode)
        asking.draft.sending = True
        return self.submit_or_ask(turn, asking)

    def submit_or_ask(self, turn: Turn, asking: Asking) -> Outcome | None:
        missing = identity_missing(asking.draft, turn.ctx.org.phone_required)
        if missing is None:
            return Outcome.SUBMIT
        ask(turn, asking.draft, missing, self.config)
        return None

    def after_field(self, turn: Turn, asking: Asking) -> Outcome | None:
        """A question about the problem was answered: the next one, or the summary. After
        the name (or phone), asked because "Kirim" was pressed, the report goes."""
        if asking.step in (Step.NAME, Step.CONTACT) and asking.draft.sending:  # not in drafts stored before
            return self.submit_or_ask(turn, asking)
        ask_next(turn, asking.draft, self.config)
        return None

    # --- answers ----------------------------------------------------------------------

    def answer_button(self, turn: Turn, asking: Asking, button: ButtonData) -> Outcome | None:
        """A pressed button: an answer to the question asked, or STALE."""
        draft = asking.draft
        match asking.step, button:
            case Step.CONFIRM, Confirm(ConfirmChoice.SEND):
                return self.send(turn, asking, draft.privacy or PrivacyMode.BIASA)
            case Step.CONFIRM | Step.NAME | Step.CONTACT, Privacy(mode):
                return self.send(turn, asking, mode)
            case Step.CONFIRM, Confirm(ConfirmChoice.CANCEL):
                ask(turn, draft, Step.CANCEL_CONFIRM, self.config)
            case Step.CONFIRM, Confirm(ConfirmChoice.EDIT):
                ask(turn, draft, Step.EDIT, self.config)
            case Step.EDIT, Edit(part):
                clear_field(draft, part)
                ask_next(turn, draft, self.config)
            case Step.DATE, DateUnknown():
                draft.event_date = NotRemembered.DATE
                ask_next(turn, draft, self.config)
            case Step.SERVICE, Service(category):
                choose_category(draft, category, CategoryOrigin.CITIZEN)
                ask_next(turn, draft, self.config)
            case Step.PRIVACY, Privacy(mode):
                choose_privacy(draft, mode)
                ask_next(turn, draft, self.config)
            case Step.CONTACT, ContactByChat() if not turn.ctx.org.phone_required:
                draft.contact = Contact(phone=None)
                return self.after_field(turn, asking)
            case Step.CONTACT, CardPhone(phone) if phone is not None:  # a contact card's number, confirmed
                draft.contact = Contact(phone=phone)
                return self.after_field(turn, asking)
            case Step.CONTACT, CardPhone():
                ask(turn, draft, Step.CONTACT, self.config)
            case Step.CANCEL_CONFIRM, Offer(OfferChoice.CANCEL):
                return Outcome.CANCEL
            case Step.CANCEL_CONFIRM, Offer(OfferChoice.KEEP):
                turn.say(texts.RESUMED)
                ask_next(turn, draft, self.config)
            case Step.SPLIT, Offer(OfferChoice.SPLIT | OfferChoice.ONE as choice):
                self._split(turn, asking, choice is OfferChoice.SPLIT)
            case Step.OUTSIDE, Offer(OfferChoice.FORWARD | OfferChoice.LAPOR | OfferChoice.PLACE as choice):
                return self._outside(turn, asking, choice)
            case Step.SIMILAR | Step.SUPPORT_PRIVACY, _:
                answered = similar.answer_button(turn, asking, button, self.config)
                return Outcome.STALE if answered is None else Outcome.SUPPORT if answered else None
            case _:
                return Outcome.STALE
        return None

    def answer_text(self, turn: Turn, asking: Asking, parse: Parse) -> Outcome | None:
        text = turn.text.strip()
        if not text:
            turn.say(texts.EMPTY_MESSAGE)
            self.reprompt(turn)
            return None
        draft = asking.draft
        if asking.step in CORRECTABLE and (parse.intent == "correction" or correction_of(parse) is not None):
            apply_correction(self.nlu, self.config, turn, asking, parse)
            return None
        match asking.step:
            case Step.DESCRIPTION:
                self._description(turn, draft, text, parse)
            case Step.PLACE:
                done, reply = read_place(self.nlu, self.config, draft, text, parse)
                if reply is not None:
                    turn.say(reply)
                if done:
                    remember(draft, turn.msg, Contributed.PLACE, text)
                    ask_next(turn, draft, self.config)
            case Step.DATE:
                when, problem = read_date(self.nlu, self.config, text, turn.now)
                if when is None:
                    turn.say(problem or texts.DATE_UNPARSED, DATE_BUTTONS)
                    return None
                draft.event_date = when
                draft.ongoing = draft.ongoing or parse.entity("ongoing") is not None
                remember(draft, turn.msg, Contributed.DATE, text)
                ask_next(turn, draft, self.config)
            case Step.SERVICE:
                read_service(draft, text, parse)
                ask_next(turn, draft, self.config)
            case Step.PRIVACY:
                mode = read_privacy(text)
                if mode is None:
                    self.reprompt(turn)
                    return None
                choose_privacy(draft, mode)
                ask_next(turn, draft, self.config)
            case Step.NAME:
                mode = read_privacy(text)
                if mode is PrivacyMode.ANONIM:
                    return self.send(turn, asking, mode)
                person = read_person_name(text)
                if person is None:
                    turn.say(texts.NAME_INVALID, NAME_BUTTONS)
                    return None
                draft.name, draft.title, draft.name_from_profile = person.name, person.title, False
                remember(draft, turn.msg, Contributed.NAME, text)
                return self.after_field(turn, asking)
            case Step.CONTACT:
                phone = self.nlu.parse_phone(text)
                if phone is None:
                    turn.say(texts.CONTACT_INVALID)
                    ask(turn, draft, Step.CONTACT, self.config)
                    return None
                draft.contact = Contact(phone=phone)
                remember(draft, turn.msg, Contributed.CONTACT, text)
                return self.after_field(turn, asking)
            case Step.CONFIRM:
                return self._confirm(turn, asking, text, parse)
            case Step.SIMILAR | Step.SUPPORT_PRIVACY:
                return Outcome.SUPPORT if similar.answer_text(turn, asking, text, self.config) else None
            case Step.EDIT:
                part = read_edit_field(text)
                if part is None:
                    self.reprompt(turn)
                    return None
                clear_field(draft, part)
                ask_next(turn, draft, self.config)
            case Step.CANCEL_CONFIRM:
                if " ".join(text.lower().split()) in CANCEL_WORDS:
                    return Outcome.CANCEL
                turn.say(texts.RESUMED)
                ask_next(turn, draft, self.config)
            case Step.SPLIT:
                self._split(turn, asking, split_choice(text, parse))
            case Step.OUTSIDE:
                choice = outside_choice(text)
                if choice is None:  # another place, typed
                    asking.draft.place.outside = None
                    done, reply = read_place(self.nlu, self.config, draft, text, parse)
                    if reply is not None:
                        turn.say(reply)
                    if done:
                        remember(draft, turn.msg, Contributed.PLACE, text)
                        ask_next(turn, draft, self.config)
                    else:
                        ask(turn, draft, Step.PLACE, self.config)
                    return None
                return self._outside(turn, asking, choice)
        return None

    def _description(self, turn: Turn, draft: Draft, text: str, parse: Parse) -> None:
        if not valid_description(text):
            turn.say(texts.ASK_DESCRIPTION_AGAIN)
            return
        draft.description = None
        absorb(draft, parse, self.config, describe=True)
        remember_description(draft, turn.msg, parse)
        ask_next(turn, draft, self.config)

    def _confirm(self, turn: Turn, asking: Asking, text: str, parse: Parse) -> Outcome | None:
        person = corrected_name(text)
        if person is not None:  # "nama saya bukan …, tulis saja …"
            draft = asking.draft
            draft.name, draft.title, draft.name_from_profile = person.name, person.title, False
            turn.say(texts.CORRECTED["name"])
            self.reprompt(turn)
            return None
        word = " ".join(text.lower().split())
        mode = read_privacy(text)
        if mode is not None and len(word.split()) <= 3:  # "rahasia", "kirim anonim"
            return self.send(turn, asking, mode)
        if word in SEND_WORDS or parse.intent == "affirm":
            return self.send(turn, asking, asking.draft.privacy or PrivacyMode.BIASA)
        if word in EDIT_WORDS or parse.intent == "edit":
            ask(turn, asking.draft, Step.EDIT, self.config)
            return None
        more_at_summary(turn, asking.draft, text, parse)  # other words: more of the report
        self.reprompt(turn)
        return None

    def _split(self, turn: Turn, asking: Asking, separately: bool) -> None:
        """Two problems: the first becomes this draft, the others wait their turn; or one report."""
        parts, draft = asking.pending, asking.draft
        if not separately or not parts:
            asking.pending = []
            ask_next(turn, draft, self.config)
            return
        first = Draft(name=draft.name, title=draft.title, name_from_profile=draft.name_from_profile,
                      contact=draft.contact, evidence=draft.evidence,
                      sources=[s for s in draft.sources if s.part is not Contributed.DESCRIPTION])
        absorb(first, self.nlu.parse(parts[0], turn.now), self.config, describe=True)
        share_context(first, draft)
        turn.state = Asking(step=Step.DESCRIPTION, draft=first, pending=parts[1:])
        ask_next(turn, first, self.config)

    def next_problem(self, turn: Turn, filed: Draft, pending: list[str]) -> None:
        """After filing one of several problems: the next, with the same identity answers."""
        if not pending:
            return
        draft = Draft(privacy=filed.privacy, name=filed.name, title=filed.title,
                      name_from_profile=filed.name_from_profile, contact=filed.contact)
        text = pending[0]
        turn.say(texts.NEXT_PROBLEM.format(text=shorten(text, 80)))
        absorb(draft, self.nlu.parse(text, turn.now), self.config, describe=True)
        share_context(draft, filed)
        turn.state = Asking(step=Step.DESCRIPTION, draft=draft, pending=pending[1:])
        ask_next(turn, draft, self.config)

    def _outside(self, turn: Turn, asking: Asking, choice: OfferChoice) -> Outcome | None:
        place, outside = asking.draft.place, asking.draft.place.outside
        if choice is OfferChoice.LAPOR:
            turn.say(texts.LAPOR_POINTER.format(regency=outside.regency if outside else "-"))
            return Outcome.LAPOR
        if choice is OfferChoice.FORWARD and outside is not None:
            place.region_code, place.region_name = outside.code, outside.path or outside.name
        else:
            asking.draft.place = PlaceDraft()
        place = asking.draft.place
        place.outside = None
        ask_next(turn, asking.draft, self.config)
        return None

    # --- other kinds of input ----------------------------------------------------------

    def add_location(self, turn: Turn, asking: Asking, latitude: float, longitude: float) -> None:
        asking.draft.place.latitude, asking.draft.place.longitude = latitude, longitude
        remember(asking.draft, turn.msg, Contributed.PLACE)
        if asking.step in (Step.PLACE, Step.OUTSIDE):
            asking.draft.place.outside = None
            ask_next(turn, asking.draft, self.config)
        else:
            self.reprompt(turn)

    def add_media(self, turn: Turn, asking: Asking, evidence: EvidenceDraft) -> None:
        asking.draft.evidence.append(evidence)
        remember(asking.draft, turn.msg, Contributed.EVIDENCE, evidence.ref)
        label = texts.MEDIA_KIND.get(evidence.kind, "berkas")
        if evidence.kind in texts.MEDIA_NEEDS_TEXT_KINDS and not asking.draft.description and not evidence.caption:
            turn.say(texts.MEDIA_NEEDS_TEXT.format(kind=label[:1].upper() + label[1:]))
            ask(turn, asking.draft, Step.DESCRIPTION, self.config)
            return
        turn.say(texts.MEDIA_SAVED.format(kind=label))
        self.reprompt(turn)
