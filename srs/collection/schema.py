"""The collection's schema: every table, and the numbered migrations that build it.

`MIGRATIONS[n]` takes a collection from schema version n to n + 1 (`PRAGMA user_version`). A
learner's collection outlives every release: a change to the schema is a new step appended here,
never an edit of an old one, and is tested on a collection made by the code before it.
"""

from __future__ import annotations

__all__ = ["APPLICATION_ID", "MIGRATIONS", "SCHEMA_VERSION"]

APPLICATION_ID = 0x53525331  # "SRS1": marks the file as ours in the SQLite header

_V1 = [
    """CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE decks (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        description TEXT,
        exam TEXT,
        settings TEXT NOT NULL DEFAULT '{}',
        source TEXT,
        fingerprint TEXT,
        imported_at TEXT NOT NULL
    )""",
    """CREATE TABLE cards (
        id INTEGER PRIMARY KEY,
        deck_id TEXT NOT NULL REFERENCES decks(id),
        key TEXT NOT NULL,
        position INTEGER NOT NULL,
        question TEXT NOT NULL,
        answers TEXT NOT NULL,
        distractors TEXT NOT NULL,
        topic TEXT,
        tags TEXT NOT NULL,
        feedback_correct TEXT,
        feedback_incorrect TEXT,
        explanation TEXT,
        retired INTEGER NOT NULL DEFAULT 0,
        suspended INTEGER NOT NULL DEFAULT 0,
        buried_until TEXT,
        leech INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (deck_id, key)
    )""",
    # state: 0 new, 1 learning, 2 review, 3 relearning (py-fsrs's State, plus "new").
    """CREATE TABLE memory (
        card_id INTEGER PRIMARY KEY REFERENCES cards(id),
        state INTEGER NOT NULL DEFAULT 0,
        step INTEGER,
        stability REAL,
        difficulty REAL,
        due TEXT,
        last_review TEXT,
        reps INTEGER NOT NULL DEFAULT 0,
        lapses INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX memory_queue ON memory (state, due)",
    "CREATE INDEX cards_deck ON cards (deck_id, retired)",
    # before/after hold the memory row as JSON, so undo restores the exact prior state.
    """CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        card_id INTEGER NOT NULL REFERENCES cards(id),
        reviewed_at TEXT NOT NULL,
        day TEXT NOT NULL,
        rating INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        source TEXT NOT NULL,
        choice TEXT,
        before TEXT NOT NULL,
        after TEXT NOT NULL
    )""",
    "CREATE INDEX reviews_card ON reviews (card_id, reviewed_at)",
    "CREATE INDEX reviews_day ON reviews (day)",
    # One row per mock-exam attempt, kept forever (history and calibration read them).
    # deadline is absolute (started_at + time limit), so time runs on while srs is closed;
    # timed_out says the clock, not the learner, submitted it.
    """CREATE TABLE exam_attempts (
        id INTEGER PRIMARY KEY,
        deck_id TEXT NOT NULL REFERENCES decks(id),
        kind TEXT NOT NULL,
        retake_of INTEGER REFERENCES exam_attempts(id),
        started_at TEXT NOT NULL,
        deadline TEXT,
        submitted_at TEXT,
        timed_out INTEGER NOT NULL DEFAULT 0,
        pass_mark REAL NOT NULL,
        predicted_pass REAL,
        predicted_score REAL,
        score INTEGER
    )""",
    "CREATE INDEX exam_attempts_deck ON exam_attempts (deck_id, submitted_at)",
    # One row per question of an attempt. choices: the option texts in the order shown (JSON);
    # chosen: the texts picked (JSON, NULL while unanswered); correct: the verdict frozen at
    # submission (a later deck edit does not rewrite history); review_id: the review it was
    # logged as, so a submission interrupted by a crash is finished without logging twice.
    """CREATE TABLE exam_answers (
        attempt_id INTEGER NOT NULL REFERENCES exam_attempts(id),
        position INTEGER NOT NULL,
        card_id INTEGER NOT NULL REFERENCES cards(id),
        choices TEXT NOT NULL,
        chosen TEXT,
        flagged INTEGER NOT NULL DEFAULT 0,
        answered_at TEXT,
        correct INTEGER,
        review_id INTEGER,
        PRIMARY KEY (attempt_id, position)
    )""",
    "CREATE INDEX exam_answers_card ON exam_answers (card_id)",
    f"PRAGMA application_id = {APPLICATION_ID}",
]

# v2: the real outcome of a sitting of the real exam, beside what srs predicted for that day
# (`srs plan DECK --result`): the calibration point that counts most. The exam date itself is
# a deck setting (`exam_date`), so it is read with the settings on every answer.
_V2 = [
    """CREATE TABLE exam_outcomes (
        id INTEGER PRIMARY KEY,
        deck_id TEXT NOT NULL REFERENCES decks(id),
        exam_date TEXT NOT NULL,
        passed INTEGER NOT NULL,
        score REAL,
        predicted_pass REAL,
        predicted_score REAL,
        recorded_at TEXT NOT NULL
    )""",
    "CREATE INDEX exam_outcomes_deck ON exam_outcomes (deck_id, exam_date)",
]

# v3: sync through a shared folder (`srs sync`, docs/sync.md). The collection gets a device id;
# every row that syncs as an event (reviews, submitted attempts, exam outcomes) gets a random
# event id, the same on every device, and `shared` (1: written to a segment or merged from one).
# Triggers give every inserted row its event id whatever code inserts it, and leave a tombstone
# when a shared review is deleted (undo), so the deletion reaches the other devices too.
# Existing rows get event ids here and are shared at the first sync: nothing is lost.
_EVENT_ID = "lower(hex(randomblob(16)))"


def _event_rows(table: str) -> list[str]:
    return [
        f"ALTER TABLE {table} ADD COLUMN event_id TEXT",
        f"ALTER TABLE {table} ADD COLUMN shared INTEGER NOT NULL DEFAULT 0",
        f"UPDATE {table} SET event_id = {_EVENT_ID}",
        f"CREATE UNIQUE INDEX {table}_event ON {table} (event_id)",
        f"CREATE INDEX {table}_unshared ON {table} (id) WHERE shared = 0",
        f"""CREATE TRIGGER {table}_event_id AFTER INSERT ON {table} WHEN new.event_id IS NULL
        BEGIN UPDATE {table} SET event_id = {_EVENT_ID} WHERE id = new.id; END""",
    ]


_V3 = [
    "INSERT OR IGNORE INTO meta (key, value) VALUES ('device_id', lower(hex(randomblob(8))))",
    *_event_rows("reviews"),
    *_event_rows("exam_attempts"),
    *_event_rows("exam_outcomes"),
    # Reviews deleted after they were shared (undo, or a tombstone merged from elsewhere).
    """CREATE TABLE sync_tombstones (
        event_id TEXT PRIMARY KEY,
        shared INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TRIGGER reviews_tombstone AFTER DELETE ON reviews WHEN old.shared = 1
    BEGIN INSERT OR IGNORE INTO sync_tombstones (event_id) VALUES (old.event_id); END""",
    # Changes of a value where the last writer wins (by time, then device id): deck settings
    # (target: the setting's name), suspending and burying a card (target: its key in the
    # deck). value is JSON. Both this device's changes and those merged are kept.
    """CREATE TABLE sync_changes (
        event_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        deck_id TEXT NOT NULL,
        target TEXT NOT NULL,
        value TEXT NOT NULL,
        changed_at TEXT NOT NULL,
        device TEXT NOT NULL,
        shared INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX sync_changes_target ON sync_changes (kind, deck_id, target, changed_at)",
    "CREATE INDEX sync_changes_unshared ON sync_changes (event_id) WHERE shared = 0",
    # What was already set before v3 is shared as set at the epoch: any later change wins.
    """INSERT INTO sync_changes (event_id, kind, deck_id, target, value, changed_at, device)
    SELECT lower(hex(randomblob(16))), 'setting', d.id, s.key, json_quote(s.value),
        '1970-01-01T00:00:00.000000Z', (SELECT value FROM meta WHERE key = 'device_id')
    FROM decks d, json_each(CASE WHEN json_valid(d.settings) THEN d.settings ELSE '{}' END) s
    WHERE s.type = 'text'""",
    """INSERT INTO sync_changes (event_id, kind, deck_id, target, value, changed_at, device)
    SELECT lower(hex(randomblob(16))), 'suspended', deck_id, key, 'true',
        '1970-01-01T00:00:00.000000Z', (SELECT value FROM meta WHERE key = 'device_id')
    FROM cards WHERE suspended = 1""",
    # Segments of other devices merged (and this device's own, written), by file.
    """CREATE TABLE sync_segments (
        device TEXT NOT NULL,
        name TEXT NOT NULL,
        events INTEGER NOT NULL,
        merged_at TEXT NOT NULL,
        PRIMARY KEY (device, name)
    )""",
    # Events held: they name a deck or card this collection does not have yet.
    """CREATE TABLE sync_held (
        event_id TEXT PRIMARY KEY,
        device TEXT NOT NULL,
        body TEXT NOT NULL,
        reason TEXT NOT NULL
    )""",
]

MIGRATIONS: list[list[str]] = [_V1, _V2, _V3]
"""Forward migrations: MIGRATIONS[n] takes the schema from version n to n + 1."""

SCHEMA_VERSION = len(MIGRATIONS)
