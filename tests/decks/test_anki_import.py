"""`srs import-anki`: Anki packages into deck files and the collection, history included.

The packages were made by genanki (legacy format) and by Anki's own backend, studied for 60 days
(current format); `current-states.json` holds Anki's account of every studied card
(tests/fixtures/anki/make_fixtures.py made them all).
"""

from __future__ import annotations

import json
import zipfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import FakeClock
from helpers import error_lines, invoke

from srs.collection.memory import memory_of
from srs.collection.reviews import deck_log
from srs.collection.settings import set_time_zone
from srs.collection.store import Store
from srs.decks.anki.convert import card_key
from srs.decks.anki.importer import FUTURE, deck_files, import_anki, read_anki, summary
from srs.decks.validate import load_deck

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "anki"
LEGACY = FIXTURES / "legacy.apkg"
CURRENT = FIXTURES / "current.apkg"
COLLECTION = FIXTURES / "current.colpkg"
ANKI = json.loads((FIXTURES / "current-states.json").read_text())
STUDIED: list[dict[str, Any]] = [c for c in ANKI["cards"] if c["deck"].startswith("Security+")]


def after_the_fixture() -> FakeClock:
    """A clock on the day the fixture was made (its last answers are today's): now."""
    return FakeClock(datetime.now(UTC))


def imported(tmp_path: Path, package: Path = CURRENT, clock: FakeClock | None = None) -> Store:
    """A new collection (in Anki's zone, UTC) with the package imported into it."""
    store = Store.open(tmp_path / "collection.db", clock or after_the_fixture())
    set_time_zone(store, ANKI["time_zone"])
    files = deck_files(read_anki(package), tmp_path / "out", package)
    import_anki(store, files, source=str(package))
    return store


def card_ids(store: Store, deck_id: str) -> dict[str, int]:
    return {r.card_key: r.card_id for r in deck_log(store, deck_id)}


# --- the round trip: a deck studied in Anki --------------------------------------------------


def test_every_card_has_as_many_reviews_as_anki_counts_for_it(tmp_path: Path) -> None:
    store = imported(tmp_path)

    per_card = Counter(review.card_key for review in deck_log(store, "security"))

    expected = {card_key(c["guid"], c["ord"]): c["answers"] for c in STUDIED if c["answers"]}
    assert dict(per_card) == expected
    assert sum(expected.values()) > 100


def test_stabilities_match_ankis_fsrs_states(tmp_path: Path) -> None:
    store = imported(tmp_path)
    ids = card_ids(store, "security")

    errors = []
    for card in (c for c in STUDIED if c["stability"] is not None):
        memory = memory_of(store, ids[card_key(card["guid"], card["ord"])])
        assert memory is not None and memory.stability is not None
        errors.append(abs(memory.stability - card["stability"]) / card["stability"])

    within = sum(error <= 0.01 for error in errors) / len(errors)
    assert len(errors) >= 15
    assert within >= 0.95, f"{within:.0%} of stabilities within 1% of Anki's"


def test_answers_come_in_with_source_anki_and_their_times(tmp_path: Path) -> None:
    store = imported(tmp_path)

    rows = store.conn.execute("SELECT DISTINCT source FROM reviews").fetchall()
    first = deck_log(store, "security")[0]

    assert rows == [("anki",)]
    assert first.reviewed_at.tzinfo is UTC and first.reviewed_at < datetime.now(UTC)


def test_a_suspended_card_stays_suspended(tmp_path: Path) -> None:
    store = imported(tmp_path)

    suspended = store.conn.execute("SELECT key FROM cards WHERE suspended = 1").fetchall()

    expected = [card_key(c["guid"], c["ord"]) for c in STUDIED if c["suspended"]]
    assert [key for (key,) in suspended] == expected


def test_importing_again_adds_no_answer_twice(tmp_path: Path) -> None:
    store = imported(tmp_path)
    before = store.conn.execute("SELECT count(*), sum(rating) FROM reviews").fetchone()

    files = deck_files(read_anki(CURRENT), tmp_path / "out", CURRENT)
    result = import_anki(store, files, source=str(CURRENT))

    assert store.conn.execute("SELECT count(*), sum(rating) FROM reviews").fetchone() == before
    assert result.decks[0].log.added == 0
    assert result.decks[0].log.already == before[0]
    assert not result.decks[0].changes.changes_anything


def test_a_later_import_replays_only_the_cards_with_new_answers_to_the_same_memory(
    tmp_path: Path,
) -> None:
    answers = read_anki(CURRENT).decks[0].answers
    times = sorted(answer.id for kept in answers.values() for answer in kept)
    halfway = FakeClock(datetime.fromtimestamp(times[len(times) // 2] / 1000, UTC))
    store = imported(tmp_path / "twice", clock=halfway)
    newer = sum(any(a.id > times[len(times) // 2] for a in kept) for kept in answers.values())

    halfway.set(datetime.now(UTC))
    files = deck_files(read_anki(CURRENT), tmp_path / "twice" / "out", CURRENT)
    result = import_anki(store, files, source=str(CURRENT))

    once = imported(tmp_path)
    assert 0 < result.decks[0].log.cards == newer < len(answers)
    for key, card_id in card_ids(store, "security").items():
        assert memory_of(store, card_id) == memory_of(once, card_ids(once, "security")[key])


def test_answers_dated_after_now_are_left_out(tmp_path: Path) -> None:
    early = FakeClock(datetime(2025, 1, 6, 12, tzinfo=UTC))  # before the fixture was studied

    store = imported(tmp_path, clock=early)

    assert store.conn.execute("SELECT count(*) FROM reviews").fetchone() == (0,)


def test_the_summary_counts_what_came_in_and_what_was_left_out(tmp_path: Path) -> None:
    conversion = read_anki(CURRENT)
    store = Store.open(tmp_path / "c.db", after_the_fixture())
    files = deck_files(conversion, tmp_path / "security.yaml", CURRENT)

    lines = summary(conversion, import_anki(store, files, source="x"), CURRENT)

    assert lines[0].startswith("read current.apkg (collection.anki21b, schema 18): 1 deck, ")
    assert lines[1].startswith("security: 19 added, 0 updated, 0 retired, 0 unchanged -> ")
    assert "1 card suspended as in Anki" in lines[2]
    assert lines[3] == "converted: 13 free recall, 4 cloze, 2 multiple choice"
    assert "answers before the card was reset to new" in lines[4]
    assert "not answers (a due date set, rescheduled, reset)" in lines[4]
    assert lines[5:] == [
        "media shown by name: 1 image as [image: name]",
        "not imported: 1 media file (handshake.png)",
    ]
    assert FUTURE not in "\n".join(lines)


def test_the_import_reports_its_steps_and_each_card_replayed(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "c.db", after_the_fixture())
    files = deck_files(read_anki(CURRENT), tmp_path / "out", CURRENT)
    heard: list[tuple[str, int, int]] = []

    result = import_anki(store, files, source="x", progress=lambda *step: heard.append(step))

    assert list(dict.fromkeys(step for step, _, _ in heard)) == [
        "Importing the cards",
        "Replaying the answers of security",
        "Writing the log of security",
    ]
    log = result.decks[0].log
    counts = [(done, total) for step, done, total in heard if step.startswith("Replaying")]
    assert len(counts) == log.cards
    assert [done for done, _ in counts] == sorted({done for done, _ in counts})
    assert counts[-1] == (log.added, log.added)


# --- the legacy format, through the command ---------------------------------------------------


def test_a_legacy_package_becomes_valid_deck_files_one_per_top_level_deck(tmp_path: Path) -> None:
    out = tmp_path / "decks"

    result = invoke(tmp_path / "c.db", "import-anki", str(LEGACY), "-o", str(out))

    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["aws-cloud-practitioner.yaml", "spanish.yaml"]
    check = invoke(None, "check", str(out))
    assert check.exit_code == 0 and check.stdout == "2 decks OK, 16 cards\n"
    assert "converted: 10 free recall, 2 multiple choice, 2 cloze, 1 select all, " in result.stdout


def test_legacy_cards_keep_subdecks_as_topics_tags_and_html_as_text(tmp_path: Path) -> None:
    invoke(tmp_path / "c.db", "import-anki", str(LEGACY), "-o", str(tmp_path))
    deck = load_deck(tmp_path / "aws-cloud-practitioner.yaml")
    cards = {card.question.split("\n")[0]: card for card in deck.cards}

    billing = cards["Which compute services bill per second?"]
    assert billing.topic == "Billing"
    assert billing.tags == ("aws::billing", "exam-2024")
    assert billing.answers == ("- EC2 (Linux)\n- Lambda (per ms)",)
    assert cards["Which plan includes a TAM?"].answers == ("Plan | TAM\nEnterprise | yes",)
    assert cards["What does S3 stand for?"].answers == (
        "Simple Storage Service\n(<object> storage)",
    )
    assert cards["[... DDoS service] protects against DDoS; WAF filters HTTP."].answers == (
        "Shield",
    )
    assert cards["Whose logo is this? [image: aws-logo.png]"].answers == ("AWS [sound: aws.mp3]",)
    choice = cards["Which service stores objects?"]
    assert (choice.answers, [c.text for c in choice.distractors]) == (
        ("S3",),
        ["EBS", "EFS", "RDS"],
    )
    assert deck.title == "AWS Cloud Practitioner" and deck.description == "AWS basics"


def test_terminal_escapes_in_fields_are_imported_as_visible_symbols(tmp_path: Path) -> None:
    result = invoke(tmp_path / "c.db", "import-anki", str(LEGACY), "-o", str(tmp_path))
    text = (tmp_path / "aws-cloud-practitioner.yaml").read_text()

    assert "\x1b" not in text and "\x1b" not in result.output
    assert "An escape ␛]52;c;aGVsbG8=␇ in a field" in text
    assert "answer: Markup [@click=app.quit]quit[/] stays text" in text
    assert "1 field held control characters (terminal escapes)" in result.stdout


# --- the command: output files, decks, errors -------------------------------------------------


def test_the_written_file_imports_as_unchanged(tmp_path: Path) -> None:
    db, deck = tmp_path / "c.db", tmp_path / "security.yaml"
    invoke(db, "import-anki", str(CURRENT), "-o", str(deck))

    again = invoke(db, "import", str(deck))

    assert again.stdout == "security: 0 added, 0 updated, 0 retired, 19 unchanged (no changes)\n"


def test_a_collection_package_makes_a_deck_per_top_level_deck(tmp_path: Path) -> None:
    result = invoke(tmp_path / "c.db", "import-anki", str(COLLECTION), "-o", str(tmp_path / "d"))

    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == ["linux.yaml", "security.yaml"]


def test_deck_id_names_the_deck(tmp_path: Path) -> None:
    result = invoke(
        tmp_path / "c.db",
        "import-anki",
        str(CURRENT),
        "--deck-id",
        "secplus",
        "-o",
        str(tmp_path / "s.yaml"),
    )

    assert result.exit_code == 0, result.output
    assert load_deck(tmp_path / "s.yaml").id == "secplus"


@pytest.mark.parametrize(
    ("package", "deck_id", "message"),
    [
        (COLLECTION, "one", "the package holds 2 top-level decks (Security+, Linux)"),
        (CURRENT, "Not A Slug", "deck id 'Not A Slug' must be a slug"),
    ],
)
def test_a_deck_id_that_cannot_be_used_is_refused(
    tmp_path: Path, package: Path, deck_id: str, message: str
) -> None:
    result = invoke(tmp_path / "c.db", "import-anki", str(package), "--deck-id", deck_id)

    assert result.exit_code == 1
    assert len(error_lines(result)) == 1 and message in result.stderr
    assert not (tmp_path / "c.db").exists()


def test_a_file_edited_since_its_import_is_replaced_only_with_force(tmp_path: Path) -> None:
    db, deck = tmp_path / "c.db", tmp_path / "security.yaml"
    invoke(db, "import-anki", str(CURRENT), "-o", str(deck))
    deck.write_text(deck.read_text() + "# my notes\n")

    refused = invoke(db, "import-anki", str(CURRENT), "-o", str(deck))
    forced = invoke(db, "import-anki", str(CURRENT), "-o", str(deck), "--force")

    assert refused.exit_code == 1
    assert error_lines(refused) == [
        f"srs: error: {deck} exists and is not the file deck 'security' was last imported "
        "from; move it away or add --force to replace it"
    ]
    assert forced.exit_code == 0 and "# my notes" not in deck.read_text()


def test_an_unchanged_file_is_replaced_by_a_reimport(tmp_path: Path) -> None:
    db, deck = tmp_path / "c.db", tmp_path / "security.yaml"
    invoke(db, "import-anki", str(CURRENT), "-o", str(deck))

    again = invoke(db, "import-anki", str(CURRENT), "-o", str(deck))

    assert again.exit_code == 0, again.output
    assert "security: 0 added, 0 updated, 0 retired, 19 unchanged -> " in again.stdout


@pytest.mark.parametrize(
    "make",
    [
        lambda path: path.write_text("not a zip"),
        lambda path: zipfile.ZipFile(path, "w").writestr("../../etc/cron.d/x", "boom"),
        lambda path: zipfile.ZipFile(path, "w").writestr("collection.anki2", b"\x00" * 5000),
    ],
    ids=["not-a-zip", "path-traversal", "not-a-database"],
)
def test_bad_packages_print_one_line_and_write_nothing(tmp_path: Path, make: Any) -> None:
    package = tmp_path / "bad.apkg"
    make(package)
    out = tmp_path / "out"

    result = invoke(tmp_path / "c.db", "import-anki", str(package), "-o", str(out))

    assert result.exit_code == 1
    assert len(error_lines(result)) == 1
    assert error_lines(result)[0].startswith(f"srs: error: {package}: ")
    assert not (tmp_path / "c.db").exists() and not out.exists()


def test_an_anki_imported_log_exports_and_imports_again(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    invoke(db, "import-anki", str(CURRENT), "-o", str(tmp_path / "s.yaml"))
    log = tmp_path / "log.csv"

    exported = invoke(db, "export-log", "security", "-o", str(log))
    again = invoke(db, "import-log", "security", str(log))

    answers = sum(c["answers"] for c in STUDIED)
    assert exported.exit_code == 0 and again.exit_code == 0, again.output
    assert log.read_text().count(",anki\n") == answers
    assert again.stdout == (
        f"security: 0 reviews added, {answers} already in the log; memory rebuilt for 0 cards\n"
    )
