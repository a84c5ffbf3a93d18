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
    }
)
