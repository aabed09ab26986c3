"""A deck's review log out as CSV and back in: identity, replay, errors, the real log."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from conftest import FakeClock, deck_yaml
from fsrs import Rating
from helpers import dump_db
from reviewlog import REAL_DECK, REAL_LOG, real_log_collection, real_log_rows

from srs.collection.settings import set_setting
from srs.collection.store import CollectionError, Store
from srs.model.memory import Memory
from srs.study.answers import record_answer, undo_answer
from srs.study.browse import browse_cards
from srs.study.history import LogError, LogImport, export_log, import_log

MakeStore = Callable[..., Store]
HEADER = "card_id,review_rating,review_time,review_duration"


def write_log(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "log.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def card_id(store: Store, key: str) -> int:
    return int(store.conn.execute("SELECT id FROM cards WHERE key = ?", (key,)).fetchone()[0])


def memory_chains(store: Store) -> dict[int, list[tuple[str, str]]]:
    """Each card's logged (before, after) memory JSON, oldest answer first."""
    chains: dict[int, list[tuple[str, str]]] = {}
    rows = store.conn.execute(
        "SELECT card_id, before, after FROM reviews ORDER BY card_id, reviewed_at, id"
    )
    for cid, before, after in rows:
        chains.setdefault(cid, []).append((before, after))
    return chains


def stored_memory(store: Store, cid: int) -> Memory:
    row = store.conn.execute(
        f"SELECT {', '.join(Memory.COLUMNS)} FROM memory WHERE card_id = ?", (cid,)
    ).fetchone()
    return Memory.from_row(row)


@pytest.fixture(scope="module")
def real_collection(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real log imported once (a few seconds); each test works on its own copy."""
    return real_log_collection(tmp_path_factory.mktemp("real") / "real.db", FakeClock())


@pytest.fixture
def real_store(real_collection: Path, tmp_path: Path, clock: FakeClock) -> Iterator[Store]:
    copy = tmp_path / "copy.db"
    shutil.copy(real_collection, copy)
    store = Store.open(copy, clock)
    yield store
    store.close()


# --- the real log ---------------------------------------------------------------------------


def test_real_log_is_imported_whole_and_every_card_is_rebuilt(real_store: Store) -> None:
    rows = real_log_rows()
    answers: dict[str, int] = {}
    for row in rows:
        answers[row["card_id"]] = answers.get(row["card_id"], 0) + 1

    cards = {card.key: card for card in browse_cards(real_store, REAL_DECK)}

    assert real_store.conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 12_580
    assert len(cards) == 1_205
    assert {key: card.reviews for key, card in cards.items()} == answers
    last = max(rows, key=lambda row: row["review_time"])
    assert cards[last["card_id"]].last_review == datetime.fromisoformat(last["review_time"])


def test_replayed_memory_runs_from_new_to_the_cards_memory_as_undo_needs(
    real_store: Store,
) -> None:
    for cid, chain in memory_chains(real_store).items():
        assert chain[0][0] == Memory().to_json()
        for (_, after), (before, _) in pairwise(chain):
            assert after == before
        assert chain[-1][1] == stored_memory(real_store, cid).to_json()


def test_importing_the_real_log_again_changes_nothing(real_store: Store) -> None:
    before = dump_db(real_store.path)

    result = import_log(real_store, REAL_DECK, REAL_LOG)

    assert result == LogImport(added=0, already=12_580, cards=0)
    assert dump_db(real_store.path) == before


def test_exported_real_log_holds_the_files_reviews(real_store: Store) -> None:
    exported = list(csv.DictReader(io.StringIO(export_log(real_store, REAL_DECK))))

    def answer(row: dict[str, str]) -> tuple[str, str, datetime, int]:
        duration = min(int(row["review_duration"]), 60_000)
        return (
            row["card_id"],
            row["review_rating"],
            datetime.fromisoformat(row["review_time"]),
            duration,
        )

    assert sorted(map(answer, exported)) == sorted(map(answer, real_log_rows()))
    assert {row["source"] for row in exported} == {"review"}
    times = [row["review_time"] for row in exported]
    assert times == sorted(times)


# --- moving a log ---------------------------------------------------------------------------


def test_a_log_moved_to_another_collection_rebuilds_the_same_memory(
    make_store: MakeStore, clock: FakeClock, tmp_path: Path
) -> None:
    studied = make_store(deck_yaml(free=2, choice=1), clock=clock)
    for rating, hours in (
        (Rating.Good, 0),
        (Rating.Again, 26),
        (Rating.Good, 80),
        (Rating.Easy, 200),
    ):
        clock.set(datetime(2025, 1, 6, 12, tzinfo=UTC) + timedelta(hours=hours))
        for key in ("free-0", "choice-0"):
            record_answer(studied, card_id(studied, key), rating, duration_ms=4_000)
    record_answer(studied, card_id(studied, "free-1"), Rating.Hard, duration_ms=1, source="exam")
    path = tmp_path / "moved.csv"
    path.write_text(export_log(studied, "demo"), encoding="utf-8")
    fresh = make_store(deck_yaml(free=2, choice=1), clock=clock)

    result = import_log(fresh, "demo", path)

    assert result == LogImport(added=9, already=0, cards=3)
    for key in ("free-0", "free-1", "choice-0"):
        assert stored_memory(fresh, card_id(fresh, key)) == stored_memory(
            studied, card_id(studied, key)
        )
    assert export_log(fresh, "demo") == export_log(studied, "demo")


def test_an_earlier_imported_answer_is_replayed_first_and_undo_still_works(
    make_store: MakeStore, clock: FakeClock, tmp_path: Path
) -> None:
    store = make_store(deck_yaml(free=1), clock=clock)
    cid = card_id(store, "free-0")
    studied = record_answer(store, cid, Rating.Good, duration_ms=2_000)
    earlier = clock.now() - timedelta(days=3)

    import_log(store, "demo", write_log(tmp_path, f"free-0,3,{earlier.isoformat()},5000"))

    chain = memory_chains(store)[cid]
    assert [Memory.from_json(after).last_review for _, after in chain] == [earlier, clock.now()]
    assert chain[1][0] == chain[0][1]
    rebuilt = undo_answer(store, studied)
    assert rebuilt == Memory.from_json(chain[0][1])
    assert stored_memory(store, cid) == rebuilt
    assert rebuilt.reps == 1


def test_imported_answers_count_for_the_study_day_they_were_given_on(
    make_store: MakeStore, clock: FakeClock, tmp_path: Path
) -> None:
    store = make_store(deck_yaml(free=1), clock=clock)

    import_log(store, "demo", write_log(tmp_path, "free-0,3,2025-01-05T02:30:00+00:00,100"))

    (day,) = store.conn.execute("SELECT day FROM reviews").fetchone()
    assert date.fromisoformat(day) == date(2025, 1, 4)  # before the 04:00 day start


def test_source_column_is_optional_and_exam_answers_keep_theirs(
    make_store: MakeStore, clock: FakeClock, tmp_path: Path
) -> None:
    store = make_store(deck_yaml(free=2), clock=clock)
    with_source = write_log(
        tmp_path,
        "free-0,3,2025-01-01T10:00:00+00:00,100,exam",
        "free-1,3,2025-01-01T10:00:00+00:00,100,",
        header=HEADER + ",source",
    )

    import_log(store, "demo", with_source)

    exported = list(csv.DictReader(io.StringIO(export_log(store, "demo"))))
    assert {row["card_id"]: row["source"] for row in exported} == {
        "free-0": "exam",
        "free-1": "review",
    }


def test_the_same_answer_is_added_once_however_often_it_is_written(
    make_store: MakeStore, clock: FakeClock, tmp_path: Path
) -> None:
    store = make_store(deck_yaml(free=1), clock=clock)
    path = write_log(
        tmp_path,
        "free-0,3,2025-01-01T10:00:00.123456+00:00,100",
        "free-0,3,2025-01-01T11:00:00.123+01:00,999",  # the same instant, to the millisecond
        "free-0,1,2025-01-01T10:00:00.123+00:00,100",  # another rating: another answer
    )

    assert import_log(store, "demo", path) == LogImport(added=2, already=1, cards=1)
    assert import_log(store, "demo", path) == LogImport(added=0, already=3, cards=0)


def test_backup_hook_runs_only_when_an_import_changes_something(
    make_store: MakeStore, clock: FakeClock, tmp_path: Path
) -> None:
    store = make_store(deck_yaml(free=1), clock=clock)
    path = write_log(tmp_path, "free-0,3,2025-01-01T10:00:00+00:00,100")
    calls: list[str] = []

    import_log(store, "demo", path, before_write=lambda: calls.append("backup"))
    import_log(store, "demo", path, before_write=lambda: calls.append("backup"))

    assert calls == ["backup"]


def test_a_replay_that_reaches_the_leech_threshold_flags_the_card(
    make_store: MakeStore, clock: FakeClock, tmp_path: Path
) -> None:
    store = make_store(deck_yaml(free=1), clock=clock)
    set_setting(store, "demo", "leech_threshold", "1")
    path = write_log(
        tmp_path,
        "free-0,3,2024-12-01T10:00:00+00:00,100",
        "free-0,3,2024-12-01T10:10:00+00:00,100",
        "free-0,1,2024-12-20T10:00:00+00:00,100",
    )

    import_log(store, "demo", path)

    (card,) = browse_cards(store, "demo")
    assert card.lapses == 1 and card.leech


# --- what is refused ------------------------------------------------------------------------


def test_every_problem_is_reported_with_its_line_and_nothing_is_written(
    make_store: MakeStore, clock: FakeClock, tmp_path: Path
) -> None:
    store = make_store(deck_yaml(free=1), clock=clock)
    path = write_log(
        tmp_path,
        "free-0,3,2025-01-01T10:00:00+00:00,100",
        "nope,3,2025-01-01T10:00:00+00:00,100",
        "free-0,5,2025-01-01T10:00:00+00:00,100",
        "free-0,3,2025-01-01T10:00:00,100",
        "free-0,3,2025-02-30T10:00:00+00:00,100",
        "free-0,3,2030-01-01T10:00:00+00:00,100",
        "free-0,3,2025-01-01T10:00:00+00:00,ten",
        "free-0,3,2025-01-01T10:00:00+00:00",
    )
    before = dump_db(store.path)

    with pytest.raises(LogError) as raised:
        import_log(store, "demo", path)

    assert [str(problem) for problem in raised.value.problems] == [
        f"{path}:3: no card 'nope' in deck 'demo'",
        f"{path}:4: review_rating must be 1, 2, 3 or 4 (Again to Easy), not '5'",
        f"{path}:5: review_time must be ISO-8601 with a UTC offset, e.g. "
        "2024-03-29T20:32:32.250+00:00, not '2025-01-01T10:00:00'",
        f"{path}:6: review_time must be ISO-8601 with a UTC offset, e.g. "
        "2024-03-29T20:32:32.250+00:00, not '2025-02-30T10:00:00+00:00'",
        f"{path}:7: review_time 2030-01-01T10:00:00+00:00 is in the future "
        "(now is 2025-01-06T12:00:00+00:00)",
        f"{path}:8: review_duration must be whole milliseconds, not 'ten'",
        f"{path}:9: expected 4 fields, found 3",
    ]
    assert dump_db(store.path) == before


def test_a_file_without_the_logs_columns_is_refused_at_its_first_line(
    make_store: MakeStore, clock: FakeClock, tmp_path: Path
) -> None:
    store = make_store(deck_yaml(free=1), clock=clock)
    path = write_log(tmp_path, "free-0,3,2025-01-01", header="card_id,rating,time")

    with pytest.raises(LogError) as raised:
        import_log(store, "demo", path)

    assert [str(problem) for problem in raised.value.problems] == [
        f"{path}:1: a review log starts with the header "
        "card_id,review_rating,review_time,review_duration,source "
        "(missing review_rating, review_time, review_duration)"
    ]


def test_control_characters_in_a_log_are_shown_as_visible_stand_ins(
    make_store: MakeStore, clock: FakeClock, tmp_path: Path
) -> None:
    store = make_store(deck_yaml(free=1), clock=clock)
    path = write_log(tmp_path, "\x1b]52;c;aGk=\x07,3,2025-01-01T10:00:00+00:00,100")

    with pytest.raises(LogError) as raised:
        import_log(store, "demo", path)

    assert str(raised.value.problems[0]) == f"{path}:2: no card '␛]52;c;aGk=␇' in deck 'demo'"


def test_a_missing_file_is_one_problem(make_store: MakeStore, tmp_path: Path) -> None:
    store = make_store(deck_yaml(free=1))

    with pytest.raises(LogError) as raised:
        import_log(store, "demo", tmp_path / "absent.csv")

    assert [str(p) for p in raised.value.problems] == [
        f"{tmp_path / 'absent.csv'}: cannot read: No such file or directory"
    ]


def test_unknown_deck_is_refused(make_store: MakeStore, tmp_path: Path) -> None:
    store = make_store(deck_yaml(free=1))

    with pytest.raises(CollectionError, match="no deck 'other'"):
        import_log(store, "other", write_log(tmp_path))
    with pytest.raises(CollectionError, match="no deck 'other'"):
        export_log(store, "other")
