"""Rasa: a rasa-sdk action server for a Rasa assistant trained on ``nlu/data/``.

Rasa (the trainer and dialogue manager, not a dependency of this project) reads the
citizen's messages and runs the ``complaint_form`` declared in ``nlu/data/rasa/domain.yml``;
these actions do the rest with our NLU, domain rules, database and texts:

- ``validate_complaint_form``: extracts and validates each slot of the form (form.py);
- ``action_ask_confirm``: the summary to confirm, change or cancel;
- ``action_submit_complaint``: files the report and utters the receipt (actions.py);
- ``action_cancel_complaint``, ``action_check_status``, ``action_my_complaints``.

Rasa's ``sender_id`` is the complainant's sender on channel ``rasa``. Run it with
``aduan rasa-actions`` (aduan/commands/rasa.py), or in your own event loop with
``ActionServer(ActionServices(...))``. Needs the ``rasa`` extra (rasa-sdk).
"""

from .server import DEFAULT_PORT, ActionServer, actions, create_action_app
from .services import CHANNEL, FORM, ActionServices

__all__ = ["CHANNEL", "DEFAULT_PORT", "FORM", "ActionServer", "ActionServices", "actions", "create_action_app"]
