"""`schedule`'s memory, several times faster: every answer (`record_answer`) and every replayed
log (an import, a sync's merge) is scheduled here.

Pure: py-fsrs's formulas and Anki's rules (`srs.study.intervals`), no collection.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fsrs import Rating, State

from srs.clock import Clock
from srs.model.memory import Memory, MemoryState
from srs.model.settings import DeckSettings
from srs.study.intervals import (
    exam_capped,
    fuzz_fraction,
    learning_due,
    review_days,
)
from srs.study.scheduling import NEEDED_RATINGS, schedule, scheduler_for

__all__ = ["LogScheduler"]


class LogScheduler:
    """`schedule` for an answer, or for answers replayed in order (an import, a sync's merge):
    the same memory, several times faster.

    `schedule` builds py-fsrs Cards and reviews each rating an answer's interval depends on;
    a replay of 300,000 answers spent most of its time there. This keeps the memory as plain
    numbers through py-fsrs's own formulas (so the same floats), works a neighbouring rating
    out only on a review card, where Anki's Hard < Good < Easy can lengthen the answer's
    interval (and then only its stability), and reuses the study day of the answer before.
    `tests/study/test_replay.py` holds it to `schedule` on random logs.

    Example: `LogScheduler(settings, clock).answer(memory, Rating.Good, card=c, now=at)`.
    """

    def __init__(self, settings: DeckSettings, clock: Clock) -> None:
        self.settings = settings
        # The zone resolved once (as `schedule` does).
        self.clock = Clock(clock.now_fn, clock.local_zone, clock.rollover_hour)
        self.scheduler = scheduler_for(settings)
        self._zone = self.clock.local_zone
        self._rollover = timedelta(hours=clock.rollover_hour)
        self._last: tuple[datetime, date] | None = None  # the last answer's time and day

    def study_day(self, at: datetime) -> date:
        """The learner's day of `at`, as `Clock.study_day` gives it (no conversion for the
        answer just scheduled)."""
        if self._last is not None and self._last[0] == at:
            return self._last[1]
        return (at.astimezone(self._zone) - self._rollover).date()

    def answer(self, memory: Memory, rating: Rating, *, card: str, now: datetime) -> Memory:
        """The card's memory after answering `rating` at `now`: `schedule`'s, arguments as
        for it."""
        if now.tzinfo is None:
            raise ValueError("naive datetime: answers are timed with aware datetimes")
        last = memory.last_review
        if last is None and memory.state is not MemoryState.New:  # never stored: the slow way
            return schedule(
                memory, rating, card=card, now=now, settings=self.settings, clock=self.clock
            )
        if type(rating) is not Rating:
            rating = Rating(rating)
        when = now if now.tzinfo is UTC else now.astimezone(UTC)
        if last is not None and when < last:
            when = last
        local = when.astimezone(self._zone)
        today = (local - self._rollover).date()
        elapsed = None if last is None else (today - self.study_day(last)).days
        self._last = (when, today)
        reviewing = memory.state is MemoryState.Review
        state, step, wait = self._step(memory, rating)
        if reviewing and wait is None:
            needs = NEEDED_RATINGS[rating]
        else:  # from (re)learning only Easy looks at another rating: Good's interval
            needs = (Rating.Good, Rating.Easy) if rating == Rating.Easy else (rating,)
        stabilities = self._stabilities(memory, needs, elapsed)
        if wait is None:  # the card is (or stays) in Review: an interval in days
            settings = self.settings
            fraction = fuzz_fraction(card, memory.reps, settings)
            previous = self._scheduled_days(memory) if reviewing else 0
            days = review_days(memory, stabilities, [rating], settings, fraction, previous)
            days = exam_capped(days, stabilities, settings, today)
            due = (local + timedelta(days=days[rating])).astimezone(UTC)
        else:
            due = learning_due(when, wait, self.clock, today)[0]
        return Memory(
            _MEMORY_STATES[state],
            step,
            stabilities[rating],
            self._difficulty(memory, rating),
            due,
            when,
            memory.reps + 1,
            memory.lapses + (reviewing and rating == Rating.Again),
        )

    def _scheduled_days(self, memory: Memory) -> int:
        """`scheduled_days(memory, clock)`, the last review's day taken from the answer
        before."""
        if memory.due is None or memory.last_review is None:
            return 0
        return (self.study_day(memory.due) - self.study_day(memory.last_review)).days

    def _stabilities(
        self, memory: Memory, ratings: tuple[Rating, ...], elapsed: int | None
    ) -> dict[Rating, float]:
        """The stability after each of `ratings`, `elapsed` study days after the last review
        (as py-fsrs's `review_card` computes it)."""
        fsrs = self.scheduler
        stability, difficulty = memory.stability, memory.difficulty
        if stability is None or difficulty is None:
            return {rating: fsrs._initial_stability(rating=rating) for rating in ratings}
        if elapsed is not None and elapsed < 1:
            return {
                rating: fsrs._short_term_stability(stability=stability, rating=rating)
                for rating in ratings
            }
        recall = (1 + fsrs._FACTOR * max(0, elapsed or 0) / stability) ** fsrs._DECAY
        return {
            rating: fsrs._next_stability(
                difficulty=difficulty, stability=stability, retrievability=recall, rating=rating
            )
            for rating in ratings
        }

    def _difficulty(self, memory: Memory, rating: Rating) -> float:
        """The difficulty after `rating` (as py-fsrs's `review_card` computes it)."""
        if memory.stability is None or memory.difficulty is None:
            return self.scheduler._initial_difficulty(rating=rating, clamp=True)
        return self.scheduler._next_difficulty(difficulty=memory.difficulty, rating=rating)

    def _step(self, memory: Memory, rating: Rating) -> tuple[State, int | None, timedelta | None]:
        """The state and (re)learning step after `rating`, and the step's wait (None: the card
        is in Review, its interval in days), by py-fsrs's `review_card`."""
        fsrs = self.scheduler
        if memory.state is MemoryState.Review:
            if rating == Rating.Again and fsrs.relearning_steps:
                return State.Relearning, 0, fsrs.relearning_steps[0]
            return State.Review, None, None
        if memory.state is MemoryState.Relearning:
            state, steps = State.Relearning, fsrs.relearning_steps
        else:
            state, steps = State.Learning, fsrs.learning_steps
        step = memory.step or 0
        if not steps or (step >= len(steps) and rating != Rating.Again):
            return State.Review, None, None
        if rating == Rating.Again:
            return state, 0, steps[0]
        if rating == Rating.Hard:
            if step == 0:
                wait = steps[0] * 1.5 if len(steps) == 1 else (steps[0] + steps[1]) / 2.0
                return state, 0, wait
            return state, step, steps[step]
        if rating == Rating.Good and step + 1 < len(steps):
            return state, step + 1, steps[step + 1]
        return State.Review, None, None


_MEMORY_STATES = {state: MemoryState(int(state)) for state in State}
