"""Intent names (stable strings the dialog engine switches on)."""

from __future__ import annotations

NEW_COMPLAINT = "new_complaint"
ADD_INFO = "add_info"
CHECK_STATUS = "check_status"
MY_COMPLAINTS = "my_complaints"
CANCEL = "cancel"
HELP = "help"
GREETING = "greeting"
THANKS = "thanks"
AFFIRM = "affirm"
DENY = "deny"
CHITCHAT = "chitchat"
EDIT = "edit"  # "ubah": change something in the draft
RATE_SATISFIED = "rate_satisfied"
RATE_UNSATISFIED = "rate_unsatisfied"
RATE_SCORE = "rate_score"  # "nilai 4": a score on the SKM 1-4 scale (entity "score")
EMERGENCY = "emergency"  # lives at risk now (entity "emergency": fire, flood_trapped, ...)
GOODBYE = "goodbye"  # "dadah", "sudah dulu ya", "makasih, sudah cukup"
QUESTION = "question"  # general information ("syarat bikin KTP apa aja?"); see nlu.faq
CASE_QUESTION = "case_question"  # about the citizen's own complaint ("kok laporan saya ditolak?")
CORRECTION = "correction"  # "bukan di Kebraon tapi di Wonokromo" (entity "correction")
UNSURE = "unsure"  # four words or more the rules cannot place: ask whether it is a report

ALL_INTENTS = frozenset(
    {
        NEW_COMPLAINT,
        ADD_INFO,
        CHECK_STATUS,
        MY_COMPLAINTS,
        CANCEL,
        HELP,
        GREETING,
        THANKS,
        AFFIRM,
        DENY,
        CHITCHAT,
        EDIT,
        RATE_SATISFIED,
        RATE_UNSATISFIED,
        RATE_SCORE,
        EMERGENCY,
        GOODBYE,
        QUESTION,
        CASE_QUESTION,
        CORRECTION,
        UNSURE,
    }
)
