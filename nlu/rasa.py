"""Reading (and checking) training data in Rasa 3 NLU format.

Only the parts this project uses: ``version``, and an ``nlu:`` list of blocks, each one
of ``intent`` / ``synonym`` / ``lookup`` / ``regex`` with ``examples`` as a block
string of ``- `` lines. Examples may carry entity annotations, as in Rasa:

    [Kebraon](place)
    [pdam]{"entity": "agency", "value": "PDAM"}

``load`` gives the examples with annotations removed and the entities' spans on the
plain text; ``check`` lists what a Rasa user would trip over.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).parent / "data"
BLOCK_KEYS = ("intent", "synonym", "lookup", "regex")
ENTITY_TYPES = frozenset(
    {"place", "place_detail", "date", "agency", "phone", "nik", "money", "tracking_code", "score"}
)
_ANNOTATION = re.compile(r"\[(?P<text>[^\[\]]+)\](?:\((?P<type>[^()]+)\)|(?P<json>\{[^{}]*\}))")


@dataclass(frozen=True)
class Annotation:
    start: int
    end: int
    type: str
    value: str | None  # the normalised value when the example gives one ({"value": ...})
    text: str


@dataclass(frozen=True)
class Example:
    text: str
    entities: tuple[Annotation, ...] = ()


@dataclass
class TrainingData:
    version: str = ""
    intents: dict[str, list[Example]] = field(default_factory=dict)
    synonyms: dict[str, list[str]] = field(default_factory=dict)
    lookups: dict[str, list[str]] = field(default_factory=dict)
    regexes: dict[str, list[str]] = field(default_factory=dict)

    def labelled(self, prefix: str = "") -> list[tuple[str, str]]:
        """(text, label) pairs of the intents named ``prefix...``, label without the prefix."""
        return [
            (example.text, name[len(prefix):])
            for name, examples in self.intents.items()
            if name.startswith(prefix)
            for example in examples
        ]


def parse_example(line: str) -> Example:
    """Strip Rasa entity annotations from one example, keeping their spans."""
    out: list[str] = []
    entities: list[Annotation] = []
    pos = 0
    length = 0
    for match in _ANNOTATION.finditer(line):
        before = line[pos : match.start()]
        out.append(before)
        length += len(before)
        surface = match.group("text")
        if match.group("type") is not None:
            kind, value = match.group("type").strip(), None
        else:
            spec = json.loads(match.group("json"))
            kind = str(spec["entity"])
            value = str(spec["value"]) if "value" in spec else None
        entities.append(Annotation(length, length + len(surface), kind, value, surface))
        out.append(surface)
        length += len(surface)
        pos = match.end()
    out.append(line[pos:])
    return Example("".join(out), tuple(entities))


def _lines(block: str) -> list[str]:
    return [line.strip()[2:].strip() for line in block.splitlines() if line.strip()]


def load(path: Path | str) -> TrainingData:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    data = TrainingData(version=str(raw.get("version", "")))
    for block in raw.get("nlu") or []:
        kind = next((k for k in BLOCK_KEYS if k in block), None)
        if kind is None:
            continue
        name = str(block[kind])
        lines = _lines(block.get("examples") or "")
        if kind == "intent":
            data.intents.setdefault(name, []).extend(parse_example(line) for line in lines)
        elif kind == "synonym":
            data.synonyms.setdefault(name, []).extend(lines)
        elif kind == "lookup":
            data.lookups.setdefault(name, []).extend(lines)
        else:
            data.regexes.setdefault(name, []).extend(lines)
    return data


EXCLUDED_DIRS = frozenset({"rasa", "regions", "model", "similarity"})  # not training data: a Rasa assistant's files, the regions, the model, the similar-complaint scorer's lexicon and pairs


def training_files(directory: Path = DATA_DIR) -> list[Path]:
    """The Rasa files the classifier trains from, in a fixed order: ``*.yml`` of the folder
    and of its subfolders (``categories/``, ``intents/``), but not ``rasa/``."""
    found = [
        path for path in directory.rglob("*.yml")
        if not EXCLUDED_DIRS & set(path.relative_to(directory).parts[:-1])
    ]
    return sorted(found, key=lambda path: path.relative_to(directory).as_posix())


def data_hash(files: list[Path] | None = None, directory: Path = DATA_DIR) -> str:
    """sha256 over the training files' names (relative to ``directory``) and bytes (the
    model artefact records it)."""
    digest = hashlib.sha256()
    for path in files if files is not None else training_files(directory):
        name = path.relative_to(directory).as_posix() if path.is_relative_to(directory) else path.name
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def check(path: Path | str) -> list[str]:
    """Problems with a file as Rasa 3 training data (empty when it is fine)."""
    problems: list[str] = []
    text = Path(path).read_text(encoding="utf-8")
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:  # pragma: no cover - reported, not raised
        return [f"not YAML: {exc}"]
    if not isinstance(raw, dict):
        return ["top level is not a mapping"]
    if str(raw.get("version", "")) not in ("3.0", "3.1"):
        problems.append(f"version should be \"3.1\", is {raw.get('version')!r}")
    if set(raw) - {"version", "nlu"}:
        problems.append(f"unexpected top-level keys {sorted(set(raw) - {'version', 'nlu'})}")
    blocks = raw.get("nlu")
    if not isinstance(blocks, list) or not blocks:
        return problems + ["no nlu: list"]
    seen: set[tuple[str, str]] = set()
    for k, block in enumerate(blocks):
        kinds = [key for key in BLOCK_KEYS if isinstance(block, dict) and key in block]
        if len(kinds) != 1:
            problems.append(f"block {k}: needs exactly one of {BLOCK_KEYS}")
            continue
        kind = kinds[0]
        if (kind, str(block[kind])) in seen:
            problems.append(f"block {k}: {kind} {block[kind]!r} repeated")
        seen.add((kind, str(block[kind])))
        if set(block) - {kind, "examples"}:
            problems.append(f"block {k}: unexpected keys {sorted(set(block) - {kind, 'examples'})}")
        examples = block.get("examples")
        if not isinstance(examples, str) or not examples.strip():
            problems.append(f"block {k} ({block[kind]}): examples must be a non-empty block string")
            continue
        for line in examples.splitlines():
            if not line.strip():
                continue
            if not line.strip().startswith("- "):
                problems.append(f"{block[kind]}: example not a '- ' line: {line!r}")
                continue
            body = line.strip()[2:]
            if kind != "intent":
                continue
            problems += _check_annotations(str(block[kind]), body)
    return problems


def _check_annotations(intent: str, body: str) -> list[str]:
    problems: list[str] = []
    if body.count("[") != body.count("]"):
        problems.append(f"{intent}: unbalanced [ ] in {body!r}")
    for match in _ANNOTATION.finditer(body):
        if match.group("json") is not None:
            try:
                spec = json.loads(match.group("json"))
            except json.JSONDecodeError:
                problems.append(f"{intent}: bad entity JSON in {body!r}")
                continue
            kind = spec.get("entity")
        else:
            kind = match.group("type")
        if kind not in ENTITY_TYPES:
            problems.append(f"{intent}: unknown entity type {kind!r} in {body!r}")
    stripped = _ANNOTATION.sub("", body)
    if "[" in stripped or "]" in stripped:
        problems.append(f"{intent}: bracket that is not an entity annotation in {body!r}")
    return problems
