"""Asking one question of the intake: its text and its buttons (the summary with the ways
to send it, the name, the choices for two problems or a place outside the area)."""

from __future__ import annotations

from complaints.notifications import Button
from complaints.taxonomy import Category, Maladministration, PrivacyMode

from . import texts
from .buttons import (
    Confirm,
    ConfirmChoice,
    ContactByChat,
    DateUnknown,
    Edit,
    Offer,
    OfferChoice,
    Privacy,
    Service,
    SupportCase,
)
from .draft import Draft, IntakeConfig, Step, next_missing
from .render.citizen import summary
from .render.labels import category_label, shorten
from .state import Asking
from .turn import Turn

DATE_BUTTONS = (DateUnknown().button(texts.BTN_DATE_UNKNOWN),)
SEND_BUTTONS = {
    PrivacyMode.BIASA: Confirm(ConfirmChoice.SEND).button(texts.BTN_SEND),
    PrivacyMode.RAHASIA: Privacy(PrivacyMode.RAHASIA).button(texts.BTN_SEND_RAHASIA),
    PrivacyMode.ANONIM: Privacy(PrivacyMode.ANONIM).button(texts.BTN_SEND_ANONIM),
}
CHANGE_BUTTONS = (Confirm(ConfirmChoice.EDIT).button(texts.BTN_EDIT), Confirm(ConfirmChoice.CANCEL).button(texts.BTN_CANCEL))
CONFIRM_BUTTONS = (*SEND_BUTTONS.values(), *CHANGE_BUTTONS)
SENSITIVE_BUTTONS = (SEND_BUTTONS[PrivacyMode.RAHASIA], SEND_BUTTONS[PrivacyMode.BIASA],
                     SEND_BUTTONS[PrivacyMode.ANONIM], *CHANGE_BUTTONS)
CONTACT_BUTTONS = (ContactByChat().button(texts.BTN_CHAT_CONTACT),)
NAME_BUTTONS = (SEND_BUTTONS[PrivacyMode.ANONIM],)
PRIVACY_BUTTONS = tuple(Privacy(mode).button(label) for mode, label in texts.PRIVACY_BUTTONS.items())
EDIT_BUTTONS = tuple(Edit(part).button(label) for part, label in texts.EDIT_FIELD_LABELS.items())
CANCEL_BUTTONS = (Offer(OfferChoice.CANCEL).button(texts.BTN_CANCEL_YES), Offer(OfferChoice.KEEP).button(texts.BTN_CANCEL_NO))
SPLIT_BUTTONS = (Offer(OfferChoice.SPLIT).button(texts.BTN_SPLIT), Offer(OfferChoice.ONE).button(texts.BTN_ONE))
OUTSIDE_BUTTONS = (
    Offer(OfferChoice.FORWARD).button(texts.BTN_FORWARD),
    Offer(OfferChoice.LAPOR).button(texts.BTN_LAPOR),
    Offer(OfferChoice.PLACE).button(texts.BTN_CHANGE_PLACE),
)
NEW_ANYWAY = Offer(OfferChoice.NEW).button(texts.BTN_NEW_ANYWAY)
SERVICE_CHOICES = 3  # the likeliest categories offered as buttons, besides "Lainnya"
# an official's conduct, pungli, corruption: "Kirim rahasia" comes first on the summary
SENSITIVE = frozenset({
    Maladministration.PERMINTAAN_IMBALAN, Maladministration.PENYALAHGUNAAN_WEWENANG, Maladministration.TIDAK_PATUT,
    Maladministration.BERPIHAK, Maladministration.DISKRIMINASI, Maladministration.KONFLIK_KEPENTINGAN,
})


def service_buttons(draft: Draft) -> list[Button]:
    """The likeliest categories the NLU found, and "Lainnya"; none when it found none."""
    ranking = [c for c in draft.ranking if c is not Category.LAINNYA][:SERVICE_CHOICES]
    if not ranking:
        return []
    return [*(Service(c).button(category_label(c)) for c in ranking),
            Service(Category.LAINNYA).button(texts.BTN_OTHER_CATEGORY)]


def is_sensitive(draft: Draft) -> bool:
    """Pungli, corruption, an official's conduct: rahasia is offered first."""
    return draft.maladministration in SENSITIVE or draft.category is Category.PELAYANAN_APARATUR


def ask(turn: Turn, draft: Draft, step: Step, config: IntakeConfig) -> None:
    """Ask for ``step`` (the summary for CONFIRM) and wait for its answer."""
    pending = turn.state.pending if isinstance(turn.state, Asking) else []
    if isinstance(turn.state, Asking) and turn.state.draft is draft:
        asking = turn.state
        asking.step = step
    else:
        asking = turn.state = Asking(step=step, draft=draft, pending=pending)
    match step:
        case Step.CONFIRM if not draft.similar_checked:  # the similar cases are looked up first (bot.similar.settle)
            asking.step = Step.SIMILAR
        case Step.SIMILAR:
            turn.say(draft.similar_offer, (*(SupportCase(code).button(texts.BTN_SUPPORT_CODE.format(code=code))
                                             for code in draft.similar), NEW_ANYWAY))
        case Step.SUPPORT_PRIVACY:
            turn.say(texts.ASK_SUPPORT_PRIVACY.format(code=draft.supporting), PRIVACY_BUTTONS)
        case Step.CONFIRM:
            sensitive = is_sensitive(draft)
            turn.say(summary(draft, sensitive), SENSITIVE_BUTTONS if sensitive else CONFIRM_BUTTONS)
        case Step.DESCRIPTION:
            turn.say(texts.ASK_DESCRIPTION)
        case Step.PLACE:
            detail = draft.place.detail
            turn.say(texts.ASK_PLACE_REGION.format(detail=detail) if detail else texts.ASK_PLACE)
        case Step.DATE:
            turn.say(texts.ASK_DATE, DATE_BUTTONS)
        case Step.SERVICE:
            choices = service_buttons(draft)
            turn.say(texts.ASK_SERVICE_CHOICES if choices else texts.ASK_SERVICE, choices)
        case Step.PRIVACY:  # only in drafts stored before the choice moved to the summary
            turn.say(texts.ASK_PRIVACY, PRIVACY_BUTTONS)
        case Step.NAME:
            turn.say(texts.ASK_NAME, NAME_BUTTONS)
        case Step.CONTACT:
            turn.say(texts.ASK_CONTACT, () if turn.ctx.org.phone_required else CONTACT_BUTTONS)
        case Step.EDIT:
            turn.say(texts.ASK_EDIT_FIELD, EDIT_BUTTONS)
        case Step.CANCEL_CONFIRM:
            turn.say(texts.ASK_CANCEL_CONFIRM, CANCEL_BUTTONS)
        case Step.SPLIT:
            items = "\n".join(texts.SPLIT_ITEM.format(number=i, text=shorten(t, 80)) for i, t in enumerate(pending, 1))
            turn.say(texts.ASK_SPLIT.format(count=len(pending), items=items), SPLIT_BUTTONS)
        case Step.OUTSIDE:
            outside = draft.place.outside
            turn.say(texts.OUTSIDE_AREA.format(
                place=outside.name if outside else "-", regency=outside.regency if outside else "-",
                area=config.area_name or texts.OUTSIDE_AREA_SCOPE), OUTSIDE_BUTTONS)


def ask_next(turn: Turn, draft: Draft, config: IntakeConfig) -> None:
    ask(turn, draft, next_missing(draft) or Step.CONFIRM, config)


