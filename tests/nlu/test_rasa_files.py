"""nlu/data/rasa/ is a Rasa 3 assistant a Rasa user can train with nlu/data/nlu.yml.

Rasa cannot be installed here, so its rules are written out below as checks, taken from
Rasa 3's YAML schemas (rasa/shared/utils/schemas/domain.yml, stories.yml,
model_config.yml; rasa/shared/nlu/training_data/schemas/responses.yml) and from what
``rasa data validate`` verifies (rasa/validator.py: intents against the NLU data, form
slots and slot mapping conditions, actions and responses used in rules and stories,
mandatory config keys) and what Rasa's FormAction looks up at run time (a question for
every required slot, ``validate_<form>`` listed among the actions). Each check returns the
problems it finds; the tests below also break the files on purpose to see them found.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from bot import texts
from nlu import rasa as nlu_data

RASA_DIR = nlu_data.DATA_DIR / "rasa"
Doc = dict[str, Any]

SLOT_TYPES = {"text", "bool", "categorical", "float", "list", "any"}
SLOT_KEYS = {"type", "influence_conversation", "values", "min_value", "max_value", "initial_value", "mappings"}
MAPPING_TYPES = {"from_entity", "from_text", "from_intent", "from_trigger_intent", "custom"}
MAPPING_KEYS = {"type", "intent", "not_intent", "entity", "role", "group", "value", "action", "conditions"}
MAPPING_REQUIRES = {"from_entity": ("entity",), "from_intent": ("value",), "from_trigger_intent": ("value",)}
DOMAIN_KEYS = {"version", "intents", "entities", "actions", "responses", "slots", "forms", "config", "session_config"}
RESPONSE_KEYS = {"id", "text", "image", "custom", "buttons", "button_type", "quick_replies", "attachment",
                 "elements", "channel", "metadata", "condition"}
RULE_KEYS = {"rule", "steps", "condition", "conversation_start", "wait_for_user_input", "metadata"}
STORY_KEYS = {"story", "steps", "metadata"}
STEP_KINDS = {"intent", "user", "action", "active_loop", "slot_was_set", "or", "bot", "checkpoint"}
CONFIG_KEYS = {"version", "recipe", "language", "assistant_id", "pipeline", "policies"}
# Rasa's own intents and slot, known without being declared
DEFAULT_INTENTS = {"nlu_fallback", "restart", "back", "out_of_scope", "session_start"}
DEFAULT_ACTIONS = {"action_listen", "action_restart", "action_session_start", "action_default_fallback",
                   "action_deactivate_loop", "action_revert_fallback_events", "action_default_ask_affirmation",
                   "action_default_ask_rephrase", "action_two_stage_fallback", "action_unlikely_intent",
                   "action_back", "action_extract_slots"}
# Built-in components that work for Indonesian without downloading a language model
OFFLINE_COMPONENTS = {"WhitespaceTokenizer", "RegexFeaturizer", "LexicalSyntacticFeaturizer", "CountVectorsFeaturizer",
                      "DIETClassifier", "EntitySynonymMapper", "ResponseSelector", "FallbackClassifier",
                      "RegexEntityExtractor", "KeywordIntentClassifier"}
POLICIES = {"MemoizationPolicy", "AugmentedMemoizationPolicy", "RulePolicy", "TEDPolicy", "UnexpecTEDIntentPolicy"}
# What each response says, in bot/texts (the one place to review wording)
RESPONSE_TEXTS = {
    "utter_greet": texts.GREETING,
    "utter_help": texts.HELP,
    "utter_thanks": texts.THANKS,
    "utter_default": texts.NOT_UNDERSTOOD,
    "utter_nothing_to_cancel": texts.NOTHING_TO_CANCEL,
    "utter_start_report": texts.START_INTAKE,
    "utter_ask_description": texts.ASK_DESCRIPTION,
    "utter_ask_place": texts.ASK_PLACE,
    "utter_ask_event_date": texts.ASK_DATE,
    "utter_ask_category": texts.ASK_SERVICE,
    "utter_ask_privacy": texts.ASK_PRIVACY,
    "utter_ask_name": texts.ASK_NAME,
    "utter_ask_contact": texts.ASK_CONTACT,
}
BUTTON_TITLES = {
    "utter_ask_event_date": [texts.BTN_DATE_UNKNOWN],
    "utter_ask_privacy": list(texts.PRIVACY_BUTTONS.values()),
    "utter_ask_contact": [texts.BTN_CHAT_CONTACT],
}


def load(name: str) -> Doc:
    return yaml.safe_load((RASA_DIR / name).read_text(encoding="utf-8"))


def nlu_intents_and_entities() -> tuple[set[str], set[str]]:
    data = nlu_data.load(nlu_data.DATA_DIR / "nlu.yml")
    entities = {e.type for examples in data.intents.values() for example in examples for e in example.entities}
    return set(data.intents), entities


def names(items: list[Any]) -> list[str]:
    """A domain list of names, each a string or a one-key mapping (``- intent: {...}``)."""
    return [item if isinstance(item, str) else next(iter(item)) for item in items or []]


def _version(doc: Doc, where: str) -> list[str]:
    return [] if doc.get("version") == "3.1" else [f"{where}: version must be the string \"3.1\""]


# --- domain.yml ------------------------------------------------------------------------------

def check_domain(domain: Doc, intents: set[str], entities: set[str]) -> list[str]:
    problems = _version(domain, "domain")
    problems += [f"domain: unknown key {key!r}" for key in set(domain) - DOMAIN_KEYS]
    declared_intents = names(domain.get("intents"))
    declared_entities = set(names(domain.get("entities")))
    problems += [f"intent {i!r} is in the domain but not in nlu.yml" for i in set(declared_intents) - intents]
    problems += [f"intent {i!r} is in nlu.yml but not in the domain" for i in intents - set(declared_intents)]
    problems += [f"entity {e!r} is annotated in nlu.yml but not in the domain" for e in entities - declared_entities]
    forms: Doc = domain.get("forms") or {}
    slots: Doc = domain.get("slots") or {}
    responses: Doc = domain.get("responses") or {}
    actions = names(domain.get("actions"))
    problems += [f"action {a!r} listed twice" for a in set(actions) if actions.count(a) > 1]

    for name, slot in slots.items():
        if not isinstance(slot, dict) or slot.get("type") not in SLOT_TYPES:
            problems.append(f"slot {name!r}: type must be one of {sorted(SLOT_TYPES)}")
            continue
        problems += [f"slot {name!r}: unknown key {key!r}" for key in set(slot) - SLOT_KEYS]
        mappings = slot.get("mappings")
        if not isinstance(mappings, list) or not mappings:
            problems.append(f"slot {name!r}: mappings must be a non-empty list (Rasa 3 has no auto-fill)")
            continue
        for mapping in mappings:
            kind = mapping.get("type") if isinstance(mapping, dict) else None
            if kind not in MAPPING_TYPES:
                problems.append(f"slot {name!r}: mapping type {kind!r} is not one of {sorted(MAPPING_TYPES)}")
                continue
            problems += [f"slot {name!r}: unknown mapping key {key!r}" for key in set(mapping) - MAPPING_KEYS]
            problems += [f"slot {name!r}: a {kind} mapping needs {key!r}"
                         for key in MAPPING_REQUIRES.get(kind, ()) if mapping.get(key) is None]
            if kind == "from_entity" and mapping.get("entity") not in declared_entities:
                problems.append(f"slot {name!r}: maps the undeclared entity {mapping.get('entity')!r}")
            for key in ("intent", "not_intent"):
                for intent in nlu_list(mapping.get(key)):
                    if intent not in declared_intents:
                        problems.append(f"slot {name!r}: mapping names the undeclared intent {intent!r}")
            for condition in mapping.get("conditions") or []:
                if set(condition) - {"active_loop", "requested_slot"}:
                    problems.append(f"slot {name!r}: a condition has keys other than active_loop, requested_slot")
                loop = condition.get("active_loop")
                if loop and loop not in forms:
                    problems.append(f"slot {name!r}: condition on {loop!r}, which is not a form")
                elif loop and name not in forms[loop].get("required_slots", []) and kind != "from_trigger_intent":
                    problems.append(f"slot {name!r}: condition on form {loop!r}, but not among its required_slots")
                requested = condition.get("requested_slot")
                if requested and requested not in slots:
                    problems.append(f"slot {name!r}: condition on requested_slot {requested!r}, not a slot")

    for form, spec in forms.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("required_slots"), list):
            problems.append(f"form {form!r}: required_slots must be a list")
            continue
        problems += [f"form {form!r}: unknown key {key!r}" for key in set(spec) - {"required_slots", "ignored_intents"}]
        for slot in spec["required_slots"]:
            if slot not in slots:
                problems.append(f"form {form!r}: required slot {slot!r} is not a declared slot")
            asks = {f"action_ask_{form}_{slot}", f"utter_ask_{form}_{slot}", f"action_ask_{slot}", f"utter_ask_{slot}"}
            if not asks & (set(actions) | set(responses)):
                problems.append(f"form {form!r}: nothing asks for {slot!r} (utter_ask_{slot} or action_ask_{slot})")
        problems += [f"form {form!r}: ignored intent {i!r} is not declared"
                     for i in nlu_list(spec.get("ignored_intents")) if i not in declared_intents]
        if f"validate_{form}" not in actions:
            problems.append(f"form {form!r}: validate_{form} is not among the actions, so Rasa never calls it")

    for name, variations in responses.items():
        if not name.startswith("utter_"):
            problems.append(f"response {name!r}: names start with utter_")
        if not isinstance(variations, list) or not variations:
            problems.append(f"response {name!r}: must be a non-empty list of variations")
            continue
        for variation in variations:
            if not isinstance(variation, dict) or not ({"text", "custom", "image", "attachment"} & set(variation)):
                problems.append(f"response {name!r}: each variation needs text (or custom, image, attachment)")
                continue
            problems += [f"response {name!r}: unknown key {key!r}" for key in set(variation) - RESPONSE_KEYS]
            if "text" in variation and not isinstance(variation["text"], str):
                problems.append(f"response {name!r}: text must be a string")
            for button in variation.get("buttons") or []:
                if not (isinstance(button, dict) and isinstance(button.get("title"), str)
                        and isinstance(button.get("payload"), str)):
                    problems.append(f"response {name!r}: buttons need a string title and payload")

    session = domain.get("session_config") or {}
    expiry = session.get("session_expiration_time", 0)
    if not isinstance(expiry, (int, float)) or expiry < 0:
        problems.append("session_config: session_expiration_time must be a number >= 0")
    if not isinstance(session.get("carry_over_slots_to_new_session", True), bool):
        problems.append("session_config: carry_over_slots_to_new_session must be true or false")
    return problems


def nlu_list(value: Any) -> list[str]:
    return [] if value is None else value if isinstance(value, list) else [value]


# --- rules.yml and stories.yml ------------------------------------------------------------------

def check_dialogues(doc: Doc, kind: str, domain: Doc) -> list[str]:
    """``kind``: "rules" or "stories"."""
    problems = _version(doc, kind)
    problems += [f"{kind}: unknown key {key!r}" for key in set(doc) - {"version", kind}]
    blocks = doc.get(kind)
    if not isinstance(blocks, list) or not blocks:
        return problems + [f"{kind}: a non-empty list is needed"]
    title = "rule" if kind == "rules" else "story"
    allowed = RULE_KEYS if kind == "rules" else STORY_KEYS
    step_kinds = STEP_KINDS if kind == "stories" else STEP_KINDS - {"bot", "checkpoint", "user"}
    intents = set(names(domain.get("intents"))) | DEFAULT_INTENTS
    forms = set(domain.get("forms") or {})
    slots = set(domain.get("slots") or {}) | {"requested_slot"}
    entities = set(names(domain.get("entities")))
    actions = set(names(domain.get("actions"))) | set(domain.get("responses") or {}) | forms | DEFAULT_ACTIONS
    for block in blocks:
        name = block.get(title) if isinstance(block, dict) else None
        if not isinstance(name, str) or not name:
            problems.append(f"{kind}: every {title} needs a non-empty name")
            continue
        problems += [f"{name}: unknown key {key!r}" for key in set(block) - allowed]
        steps = block.get("steps")
        if not isinstance(steps, list) or not steps:
            problems.append(f"{name}: steps must be a non-empty list")
            continue
        for step in [*steps, *(block.get("condition") or [])]:
            found = [key for key in step_kinds if isinstance(step, dict) and key in step]
            if len(found) != 1:
                problems.append(f"{name}: a step needs exactly one of {sorted(step_kinds)}: {step!r}")
                continue
            key, value = found[0], step[found[0]]
            if key == "intent" and value not in intents:
                problems.append(f"{name}: intent {value!r} is not in the domain")
            if key == "action" and value not in actions:
                problems.append(f"{name}: action {value!r} is neither a domain action, a response nor a form")
            if key == "active_loop" and value is not None and value not in forms:
                problems.append(f"{name}: active_loop {value!r} is not a form")
            if key == "slot_was_set":
                for item in value or []:
                    slot = item if isinstance(item, str) else next(iter(item))
                    if slot not in slots:
                        problems.append(f"{name}: slot_was_set of the undeclared slot {slot!r}")
            for entity in step.get("entities") or []:
                entity_name = entity if isinstance(entity, str) else next(iter(entity))
                if entity_name not in entities:
                    problems.append(f"{name}: entity {entity_name!r} is not in the domain")
    return problems


# --- config.yml ----------------------------------------------------------------------------------

def check_config(config: Doc, rules: Doc) -> list[str]:
    problems = [f"config: unknown key {key!r}" for key in set(config) - CONFIG_KEYS]
    problems += [f"config: {key} is mandatory" for key in ("language", "pipeline", "policies", "assistant_id")
                 if not config.get(key)]
    if config.get("assistant_id") == "placeholder_default":
        problems.append("config: assistant_id must be replaced with a unique name")
    if config.get("language") != "id":
        problems.append("config: the language is Indonesian, \"id\"")
    pipeline = [c.get("name") for c in config.get("pipeline") or [] if isinstance(c, dict)]
    policies = [p.get("name") for p in config.get("policies") or [] if isinstance(p, dict)]
    problems += [f"config: component {c!r} is not a built-in that works without downloads"
                 for c in pipeline if c not in OFFLINE_COMPONENTS]
    problems += [f"config: unknown policy {p!r}" for p in policies if p not in POLICIES]
    if "RulePolicy" not in policies:
        problems.append("config: forms and rules need the RulePolicy")
    if pipeline and pipeline[0] != "WhitespaceTokenizer":
        problems.append("config: the pipeline starts with a tokenizer")
    if "FallbackClassifier" in pipeline and not any(
        step.get("intent") == "nlu_fallback" for rule in rules.get("rules") or [] for step in rule.get("steps") or []
    ):
        problems.append("config: FallbackClassifier predicts nlu_fallback, which no rule answers")
    return problems


# --- the shipped files ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def files() -> dict[str, Doc]:
    return {name: load(f"{name}.yml") for name in ("domain", "config", "rules", "stories")}


def all_problems(files: dict[str, Doc]) -> list[str]:
    intents, entities = nlu_intents_and_entities()
    domain = files["domain"]
    return (
        check_domain(domain, intents, entities)
        + check_dialogues(files["rules"], "rules", domain)
        + check_dialogues(files["stories"], "stories", domain)
        + check_config(files["config"], files["rules"])
    )


def test_the_rasa_files_follow_rasas_rules(files: dict[str, Doc]) -> None:
    assert all_problems(files) == []


def test_they_sit_apart_from_the_classifiers_training_data() -> None:
    """nlu.train reads nlu/data/*.yml: the Rasa files must not become training data."""
    trained = {path.name for path in nlu_data.training_files()}
    assert trained.isdisjoint({"domain.yml", "config.yml", "rules.yml", "stories.yml"})
    assert {path.name for path in RASA_DIR.glob("*.yml")} == {"domain.yml", "config.yml", "rules.yml", "stories.yml"}


def test_the_responses_say_what_the_chat_says(files: dict[str, Doc]) -> None:
    responses = files["domain"]["responses"]
    assert set(responses) == set(RESPONSE_TEXTS)
    for name, text in RESPONSE_TEXTS.items():
        [variation] = responses[name]
        assert variation["text"] == text, f"{name}: copy the text of bot/texts into domain.yml"
        assert [b["title"] for b in variation.get("buttons", [])] == BUTTON_TITLES.get(name, [])


def test_the_form_asks_in_the_chats_order_and_the_actions_are_the_servers(files: dict[str, Doc]) -> None:
    pytest.importorskip("rasa_sdk")
    from bot.channels.rasa import FORM, actions
    from bot.channels.rasa.services import FORM_SLOTS

    domain = files["domain"]
    assert domain["forms"][FORM]["required_slots"] == list(FORM_SLOTS)
    assert [action.name() for action in actions(services=None)] == domain["actions"]


BREAKAGES = [
    ("domain", lambda d: d["responses"].pop("utter_ask_place"), "nothing asks for 'place'"),
    ("domain", lambda d: d["actions"].remove("validate_complaint_form"), "Rasa never calls it"),
    ("domain", lambda d: d["intents"].append("order_pizza"), "not in nlu.yml"),
    ("domain", lambda d: d["intents"].remove("add_info"), "in nlu.yml but not in the domain"),
    ("domain", lambda d: d["entities"].remove("tracking_code"), "undeclared entity"),
    ("domain", lambda d: d["slots"]["name"].pop("mappings"), "non-empty list"),
    ("domain", lambda d: d["slots"]["name"].update(type="string"), "type must be one of"),
    ("domain", lambda d: d["slots"]["agency"]["mappings"].append({"type": "from_entity"}), "needs 'entity'"),
    ("domain", lambda d: d["forms"]["complaint_form"]["required_slots"].remove("place"), "not among its required_slots"),
    ("domain", lambda d: d["forms"]["complaint_form"]["required_slots"].append("nik"), "not a declared slot"),
    ("domain", lambda d: d["responses"]["utter_greet"][0].update(buttons=[{"title": "Ya"}]), "title and payload"),
    ("domain", lambda d: d.update(version=3.1), "version"),
    ("rules", lambda r: r["rules"][0]["steps"].append({"action": "utter_goodbye"}), "utter_goodbye"),
    # an intent the domain does not declare ("goodbye" is a real one since the chat's issue 14)
    ("rules", lambda r: r["rules"][0]["steps"].append({"intent": "see_you_later"}), "intent 'see_you_later'"),
    ("rules", lambda r: r["rules"][0]["steps"].append({"active_loop": "pizza_form"}), "not a form"),
    ("stories", lambda s: s["stories"][0]["steps"].append({"action": "x", "intent": "greeting"}), "exactly one"),
    ("config", lambda c: c.update(language="en"), "Indonesian"),
    ("config", lambda c: c["policies"].pop(1), "RulePolicy"),
    ("config", lambda c: c["pipeline"].insert(0, {"name": "SpacyNLP", "model": "xx"}), "without downloads"),
    ("config", lambda c: c.pop("assistant_id"), "assistant_id is mandatory"),
]


@pytest.mark.parametrize(("name", "breakage", "expected"), BREAKAGES, ids=[b[2] for b in BREAKAGES])
def test_a_broken_file_is_caught(files: dict[str, Doc], name: str, breakage, expected: str) -> None:
    broken = copy.deepcopy(files)
    breakage(broken[name])
    problems = all_problems(broken)
    assert any(expected in problem for problem in problems), problems
