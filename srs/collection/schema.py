"""The collection's schema: every table, and the numbered migrations that build it.

`MIGRATIONS[n]` takes a collection from schema version n to n + 1 (`PRAGMA user_version`). A
learner's collection outlives every release: a change to the schema is a new step appended here,
never an edit of an old one, and is tested on a collection made by the code before it.
"""

from __future__ import annotations

__all__ = ["APPLICATION_ID", "MIGRATIONS", "SCHEMA_VERSION", "count_answers"]

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
# every row that syncs as an event (reviews, submitted attempts, exam outcomes) gets an event
# id, the same on every device (milliseconds then random bits, as `srs.collection.changes`
# makes them; written out here, as a migration never changes), and `shared` (1: written to a
# segment or merged from one). The review log's one insert gives each answer its id itself: a
# trigger doing it cost more than the insert. Attempts and outcomes (one row per exam) get theirs
# from a trigger. A trigger leaves a tombstone when a shared review is deleted (undo), so the
# deletion reaches the other devices too. Existing rows get event ids here and are shared at the
# first sync: nothing is lost.
_EVENT_ID = (
    "printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) "
    "|| lower(hex(randomblob(10)))"
)


def _event_rows(table: str, *, trigger: bool) -> list[str]:
    return [
        f"ALTER TABLE {table} ADD COLUMN event_id TEXT",
        f"ALTER TABLE {table} ADD COLUMN shared INTEGER NOT NULL DEFAULT 0",
        f"UPDATE {table} SET event_id = {_EVENT_ID}",
        f"CREATE UNIQUE INDEX {table}_event ON {table} (event_id)",
        f"CREATE INDEX {table}_unshared ON {table} (id) WHERE shared = 0",
        *(
            [
                f"""CREATE TRIGGER {table}_event_id AFTER INSERT ON {table}
                WHEN new.event_id IS NULL
                BEGIN UPDATE {table} SET event_id = {_EVENT_ID} WHERE id = new.id; END"""
            ]
            if trigger
            else []
        ),
    ]


_V3 = [
    "INSERT OR IGNORE INTO meta (key, value) VALUES ('device_id', lower(hex(randomblob(8))))",
    *_event_rows("reviews", trigger=False),
    *_event_rows("exam_attempts", trigger=True),
    *_event_rows("exam_outcomes", trigger=True),
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
    f"""INSERT INTO sync_changes (event_id, kind, deck_id, target, value, changed_at, device)
    SELECT {_EVENT_ID}, 'setting', d.id, s.key, json_quote(s.value),
        '1970-01-01T00:00:00.000000Z', (SELECT value FROM meta WHERE key = 'device_id')
    FROM decks d, json_each(CASE WHEN json_valid(d.settings) THEN d.settings ELSE '{{}}' END) s
    WHERE s.type = 'text'""",
    f"""INSERT INTO sync_changes (event_id, kind, deck_id, target, value, changed_at, device)
    SELECT {_EVENT_ID}, 'suspended', deck_id, key, 'true',
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

# v4: the review log summed per study day (`srs stats`, docs/stats.md), by deck, by the card's
# topic ('' without one; the deck format refuses an empty topic) and whether the card is still
# in its deck file (`in_deck`, not retired): answers, right ones (above Again), time, and Anki's
# true retention counts (answers to cards in Review when answered, young and mature: interval
# before the answer under / at least 21 days, whole days from the last review to the due
# date). Reading a year of these rows takes milliseconds; reading the log's memory-before JSON
# for a year took 1.7 s at 1,000,000 answers. Triggers keep the sums exact whatever writes:
# an answer or an import inserts into the log, undo and a merged tombstone delete, a replay
# rewrites `before` (a merged review is inserted as a new card's, then replayed), and a card
# whose topic changes or that is retired or restored takes its answers along. Each takes the
# row's answers away before the change and adds them back after it. Days whose answers were all
# undone keep their row, at zero.
_SUMMED = (
    "answers",
    "right_answers",
    "duration_ms",
    "young",
    "young_right",
    "mature",
    "mature_right",
)


def _kind(row: str) -> str:
    """SQL: 0 for the answer `row` if not a review card's, 1 if a young one's, 2 if a mature
    one's (read from the memory before it)."""
    return (
        f"CASE WHEN json_extract({row}.before, '$.state') != 2 THEN 0 "
        f"WHEN round(julianday(json_extract({row}.before, '$.due')) - "
        f"julianday(json_extract({row}.before, '$.last_review'))) >= 21 THEN 2 ELSE 1 END"
    )


def _summed(row: str, kind: str) -> tuple[str, ...]:
    """SQL: what the answer `row` (whose kind is `kind`) adds to each of `_SUMMED`."""
    right = f"{row}.rating > 1"
    return (
        "1",
        right,
        f"{row}.duration_ms",
        f"{kind} = 1",
        f"{kind} = 1 AND {right}",
        f"{kind} = 2",
        f"{kind} = 2 AND {right}",
    )


def _upsert(select: str) -> str:
    """SQL: add the rows `select` gives (deck, day, in deck, topic, then `_SUMMED`)."""
    return (
        f"INSERT INTO review_days (deck_id, day, in_deck, topic, {', '.join(_SUMMED)}) "
        f"{select} ON CONFLICT (deck_id, day, in_deck, topic) DO UPDATE SET "
        + ", ".join(f"{name} = {name} + excluded.{name}" for name in _SUMMED)
    )


def _count_answer(row: str, sign: str) -> str:
    """SQL: add (`sign` '+') or take away ('-') one answer (`new` or `old` in a trigger on
    reviews): the single UPSERT an answer pays for (about 10 µs)."""
    values = ", ".join(f"{sign}({value})" for value in _summed(row, "k.k"))
    return _upsert(
        f"SELECT c.deck_id, {row}.day, c.retired = 0, coalesce(c.topic, ''), {values} "
        f"FROM cards c, (SELECT {_kind(row)} AS k) k WHERE c.id = {row}.card_id"
    )


def count_answers(sign: str, where: str) -> str:
    """SQL: add (`sign` '+') or take away ('-') the logged answers `where` selects (from
    `reviews r`), summed per day: a whole log, one card's, or a batch an import inserted
    (`srs.collection.reviews.insert_log_rows`)."""
    values = ", ".join(f"{sign}sum({value})" for value in _summed("r", "r.k"))
    return _upsert(
        f"SELECT c.deck_id, r.day, c.retired = 0, coalesce(c.topic, ''), {values} "
        # LIMIT -1 keeps SQLite from copying the JSON reads into each sum that uses k.
        f"FROM (SELECT r.card_id, r.day, r.rating, r.duration_ms, {_kind('r')} AS k "
        f"FROM reviews r WHERE {where} LIMIT -1) r JOIN cards c ON c.id = r.card_id "
        "WHERE true GROUP BY 1, 2, 3, 4"
    )


_CARD_MOVES = (
    "OF topic, retired ON cards WHEN old.topic IS NOT new.topic OR old.retired != new.retired"
)

_V4 = [
    f"""CREATE TABLE review_days (
        deck_id TEXT NOT NULL,
        day TEXT NOT NULL,
        in_deck INTEGER NOT NULL,
        topic TEXT NOT NULL,
        {", ".join(f"{name} INTEGER NOT NULL" for name in _SUMMED)},
        PRIMARY KEY (deck_id, day, in_deck, topic)
    ) WITHOUT ROWID""",
    # The cards per topic of a deck, and each card's topic, read by scanning this index alone
    # (the table's rows hold the card text: 8 times slower at 100,000 cards). Topic first: led
    # by deck_id, SQLite took it for finding a deck's cards, and joined every card of a deck to
    # its answers to find one day's (4.5 s for a deck's streak at 1,000,000 answers).
    "CREATE INDEX cards_topic ON cards (topic, deck_id, retired)",
    count_answers("", "true"),
    f"CREATE TRIGGER review_days_insert AFTER INSERT ON reviews "
    f"BEGIN {_count_answer('new', '+')}; END",
    f"CREATE TRIGGER review_days_delete AFTER DELETE ON reviews "
    f"BEGIN {_count_answer('old', '-')}; END",
    "CREATE TRIGGER review_days_update AFTER UPDATE "
    "OF card_id, day, rating, duration_ms, before ON reviews "
    f"BEGIN {_count_answer('old', '-')}; {_count_answer('new', '+')}; END",
    f"CREATE TRIGGER review_days_card_out BEFORE UPDATE {_CARD_MOVES} "
    f"BEGIN {count_answers('-', 'r.card_id = old.id')}; END",
    f"CREATE TRIGGER review_days_card_in AFTER UPDATE {_CARD_MOVES} "
    f"BEGIN {count_answers('+', 'r.card_id = new.id')}; END",
]

_V5 = [
    # Each card's shape (options shown, right ones among them) as numbers: the pass chance reads
    # it for every card of a deck, and parsing the two JSON lists took half of that read.
    "ALTER TABLE cards ADD COLUMN option_count INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE cards ADD COLUMN answer_count INTEGER NOT NULL DEFAULT 0",
    "UPDATE cards SET option_count = json_array_length(answers) + json_array_length(distractors), "
    "answer_count = json_array_length(answers)",
    # What the pass chance needs of every card a mock exam can ask (cards.EXAM_CARD), read from
    # this index alone (the table's rows hold the card text), a card shape at a time; and the
    # exam's pools, in deck order (position), to draw a form from. Partial,
    # so that only those reads can use it: as a full index led by deck_id, SQLite took it to
    # find one day's answers of a deck and walked every card of the deck for each day of the
    # dashboard's streak (11 s at 100,000 cards).
    "CREATE INDEX cards_exam ON cards "
    "(deck_id, retired, option_count, answer_count, topic, position, id) "
    "WHERE retired = 0 AND option_count > answer_count",
    # Each card's first answer (its memory was new): what the learner knew before studying it.
    # Covering, so the guess-rate fit reads a deck's first answers without the log's rows.
    "CREATE INDEX reviews_first ON reviews (card_id, reviewed_at, rating, choice) "
    "WHERE json_extract(before, '$.state') = 0",
]

MIGRATIONS: list[list[str]] = [_V1, _V2, _V3, _V4, _V5]
"""Forward migrations: MIGRATIONS[n] takes the schema from version n to n + 1."""

SCHEMA_VERSION = len(MIGRATIONS)
