"""The JSON Schema for editors and the deck-format page must describe the format deck.py enforces.

jsonschema is not a dependency, so the schema is checked by its structure: the keys, required
keys and patterns it names are compared with srs.decks.checker, and its patterns are run
against the loader's own parsing on sample values.
"""

from __future__ import annotations

import json
import re
import textwrap
import tomllib
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml

from srs.decks import checker as deckmod
from srs.decks.validate import DeckError, parse_deck
from srs.model.deck import parse_duration, parse_pass_mark

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "srs" / "decks" / "schema" / "deck.schema.json"
DOC_FILE = ROOT / "docs" / "deck-format.md"
MODELINE = "# yaml-language-server: $schema="

Schema = dict[str, Any]


@pytest.fixture(scope="module")
def schema() -> Schema:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def resolve(root: Schema, node: Schema) -> Schema:
    """`node` with its local `$ref` merged in (the node's own keywords win, as in editors)."""
    while "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), f"only local references are expected, not {ref}"
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def objects(schema: Schema) -> dict[str, Schema]:
    """The five mappings of the format, found by following the schema from its root."""
    card = resolve(schema, schema["properties"]["cards"]["items"])
    distractor = resolve(schema, card["properties"]["distractors"]["items"])
    choices = [resolve(schema, s) for s in distractor["anyOf"]]
    (choice,) = [c for c in choices if c.get("type") == "object"]
    return {
        "deck": schema,
        "card": card,
        "exam": resolve(schema, schema["properties"]["exam"]),
        "feedback": resolve(schema, card["properties"]["feedback"]),
        "distractor": choice,
    }


KEY_TUPLES = {
    "deck": deckmod.DECK_KEYS,
    "card": deckmod.CARD_KEYS,
    "exam": deckmod.EXAM_KEYS,
    "feedback": deckmod.FEEDBACK_KEYS,
    "distractor": deckmod.CHOICE_KEYS,
}


def test_schema_is_json_and_packaged(schema: Schema) -> None:
    packaged = files("srs.decks") / "schema" / "deck.schema.json"
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = package_data["tool"]["setuptools"]["package-data"]["srs"]

    assert packaged.is_file()
    assert json.loads(packaged.read_text(encoding="utf-8")) == schema
    assert "decks/schema/*.json" in patterns
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("name", KEY_TUPLES)
def test_schema_keys_match_the_loader(schema: Schema, name: str) -> None:
    obj = objects(schema)[name]

    assert tuple(obj["properties"]) == KEY_TUPLES[name]
    assert obj["additionalProperties"] is False
    assert set(obj.get("required", ())) <= set(KEY_TUPLES[name])


def test_every_property_has_a_title_and_description(schema: Schema) -> None:
    missing = []
    for name, obj in objects(schema).items():
        for key, prop in obj["properties"].items():
            prop = resolve(schema, prop)
            if not prop.get("title") or not prop.get("description"):
                missing.append(f"{name}.{key}")
    blueprint = objects(schema)["exam"]["properties"]["blueprint"]["additionalProperties"]

    assert missing == []
    assert blueprint["title"] and blueprint["description"]


def test_id_patterns_are_the_loaders(schema: Schema) -> None:
    found = objects(schema)

    assert found["deck"]["properties"]["deck"]["pattern"] == f"^{deckmod.DECK_ID.pattern}$"
    assert found["card"]["properties"]["id"]["pattern"] == f"^{deckmod.CARD_ID.pattern}$"


def _full_deck() -> dict[str, Any]:
    """A deck using every key once, where leaving out any optional key keeps it valid."""
    return {
        "deck": "d",
        "title": "T",
        "description": "D",
        "exam": {
            "title": "E",
            "questions": "1",
            "pass_mark": "70%",
            "time_limit": "1m",
            "blueprint": {"A": "1"},
        },
        "cards": [
            {
                "id": "c1",
                "question": "Q",
                "answer": "yes",
                "distractors": ["no", {"text": "maybe", "feedback": "F"}],
                "topic": "A",
                "tags": ["t"],
                "feedback": {"correct": "R", "incorrect": "W"},
                "explanation": "X",
            },
            {"id": "c2", "question": "Q", "answer": "yes", "distractors": ["no"], "topic": "A"},
        ],
    }


def _parents(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    card = data["cards"][0]
    return {
        "deck": data,
        "card": card,
        "exam": data["exam"],
        "feedback": card["feedback"],
        "distractor": card["distractors"][1],
    }


def _load(data: dict[str, Any]) -> list[str]:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    try:
        parse_deck(text.encode("utf-8"))
    except DeckError as exc:
        return [p.message for p in exc.problems]
    return []


def test_full_deck_loads() -> None:
    assert _load(_full_deck()) == []


@pytest.mark.parametrize(
    ("name", "key"), [(name, key) for name, keys in KEY_TUPLES.items() for key in keys]
)
def test_schema_requires_what_the_loader_requires(schema: Schema, name: str, key: str) -> None:
    data = _full_deck()
    del _parents(data)[name][key]
    required = key in objects(schema)[name].get("required", ())

    problems = _load(data)

    if required:
        assert any(m.startswith(f"'{key}' is required") for m in problems), problems
    else:
        assert problems == []


def _schema_accepts(pattern: str, text: str) -> bool:
    return re.search(pattern, text) is not None


PASS_MARKS = [
    "70%",
    "70 %",
    "62.5%",
    "100%",
    "100.0%",
    "0.5%",
    "00.5%",
    "070%",
    "0%",
    "0.0%",
    "100.5%",
    "150%",
    "7O%",
    "70",
    "0.7",
    ".7",
    "1",
    "1.0",
    "1.00",
    "0",
    "0.0",
    "1.5",
    "7e-1",
    "%",
    "-70%",
]
DURATIONS = [
    "90s",
    "30m",
    "1h30m",
    "2h",
    "1h0m",
    "01m",
    "1h2m3s",
    "0m",
    "0s",
    "0h0m0s",
    "00m",
    "1h 30m",
    "30",
    "m",
    "1m30h",
    "1d",
    "-5m",
]
COUNTS = ["1", "3", "007", " 2 ", "0", "00", "-1", "1.0", "+1", "one", "1e0"]


@pytest.mark.parametrize("text", PASS_MARKS)
def test_pass_mark_pattern_agrees_with_the_loader(schema: Schema, text: str) -> None:
    pattern = objects(schema)["exam"]["properties"]["pass_mark"]["pattern"]

    assert _schema_accepts(pattern, text) == (parse_pass_mark(text) is not None)


@pytest.mark.parametrize("text", DURATIONS)
def test_time_limit_pattern_agrees_with_the_loader(schema: Schema, text: str) -> None:
    pattern = objects(schema)["exam"]["properties"]["time_limit"]["pattern"]

    assert _schema_accepts(pattern, text) == (parse_duration(text) is not None)


@pytest.mark.parametrize("text", COUNTS)
def test_count_pattern_agrees_with_the_loader(schema: Schema, text: str) -> None:
    exam = objects(schema)["exam"]["properties"]
    blueprint = exam["blueprint"]["additionalProperties"]
    data = _full_deck()
    data["exam"] = {"questions": text, "pass_mark": "1"}

    loader_accepts = not any("whole number" in m for m in _load(data))

    assert blueprint["pattern"] == exam["questions"]["pattern"]
    assert _schema_accepts(exam["questions"]["pattern"], text) == loader_accepts


def _doc_examples() -> list[tuple[int, str]]:
    """Every ```yaml block of the page that is a whole deck, with its line number."""
    text = DOC_FILE.read_text(encoding="utf-8")
    found = []
    for match in re.finditer(r"^( *)```yaml\n(.*?)^\1```$", text, re.MULTILINE | re.DOTALL):
        block = textwrap.dedent(match.group(2))
        if block.startswith(("deck:", MODELINE)):
            found.append((text.count("\n", 0, match.start()) + 1, block))
    return found


def test_doc_has_deck_examples() -> None:
    assert len(_doc_examples()) >= 2


@pytest.mark.parametrize(("line", "block"), _doc_examples(), ids=lambda v: str(v)[:20])
def test_doc_example_loads(line: int, block: str) -> None:
    deck = parse_deck(block.encode("utf-8"), f"docs/deck-format.md:{line}")

    assert deck.cards
