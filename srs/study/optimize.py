"""Personal FSRS parameters: fitted to the learner's own review log, adopted only when they
predict reviews the fit did not see better than the defaults do.

The fit is `fsrs-rs-python`'s (the Rust fsrs crate that Anki uses; a fraction of a second for
thousands of reviews). FSRS predicts the chance of recalling a card at a review given on a later
study day than the one before, so those reviews are the ones fitted and judged. Judging follows
the FSRS benchmark (open-spaced-repetition/srs-benchmark, and fsrs-rs's
`evaluate_with_time_series_splits`): the reviews, in time order, are cut into six equal parts;
five fits each learn from the parts before one part and predict that part. A time-ordered split,
not k-fold by card: parameters are always used on reviews that come after the ones they were
fitted to, and a card's later reviews depend on its earlier ones, so a fold of cards would let
the fit see the learner's future. The default parameters predict the same five parts. The
parameters adopted are then fitted to the whole log. The dashboard suggests a new run once
enough reviews have been logged since the last one.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime

import fsrs_rs_python as fsrs_rs
from fsrs.scheduler import DEFAULT_PARAMETERS

from srs.collection.decks import require_deck
from srs.collection.reviews import LoggedReview, deck_log, reviews_per_deck
from srs.collection.settings import set_setting
from srs.collection.store import Store
from srs.model.memory import forgetting_curve

__all__ = [
    "MIN_REVIEWS",
    "SUGGEST_AFTER",
    "Evaluation",
    "NotEnoughReviews",
    "Optimization",
    "Prediction",
    "evaluate",
    "optimization_suggested",
    "optimize_deck",
]

MIN_REVIEWS = 400
"""Reviews on a later day than the card's previous one that a fit needs: a sixth of them (the
first part judged) is then 66 or more, enough to tell two parameter sets apart."""

SUGGEST_AFTER = 1000
"""New reviews (all answers) since the last run after which the dashboard suggests another."""

_SPLITS = 5
_RUN_KEY = "optimized_reviews:"
"""`meta` key prefix (+ deck id): the deck's answers counted at its last optimization."""


# --- the evaluation (pure) ------------------------------------------------------------------


@dataclass(frozen=True)
class Prediction:
    """A predicted chance of recall, what happened, and the review's place in its card's
    history (what the benchmark bins by).

    Attributes:
        recall: the predicted chance of recalling the card.
        recalled: the learner did (any rating above Again).
        elapsed_days: study days since the card's previous review (1 or more).
        reviews: the card's reviews on a later day than the one before, this one included.
        lapses: of those before this one, the ones answered Again.
    """

    recall: float
    recalled: bool
    elapsed_days: int
    reviews: int
    lapses: int


@dataclass(frozen=True)
class Evaluation:
    """How well a parameter set predicted reviews: lower is better for both.

    Attributes:
        log_loss: the mean negative log-likelihood of what happened (the fit's objective).
        rmse: RMSE(bins): the gap between predicted and observed recall in groups of similar
            reviews, weighted by group size: how far the forecasts are off on average.
    """

    log_loss: float
    rmse: float


def _log_bin(value: float, scale: float, base: float) -> int:
    """The benchmark's logarithmic bin: `scale * base ** floor(log_base(value))`, rounded."""
    return round(scale * base ** math.floor(math.log(value, base)))


def _bin(prediction: Prediction) -> tuple[int, int, int]:
    """The group of similar reviews a prediction belongs to, as fsrs-rs's `r_matrix_index`
    (and srs-benchmark's `rmse_matrix`) form it: elapsed days, review count, lapses."""
    lapses = prediction.lapses
    return (
        _log_bin(prediction.elapsed_days, 248, 3.62),
        _log_bin(prediction.reviews + 1, 1.99, 1.89),
        0 if lapses == 0 else _log_bin(lapses, 1.65, 1.73),
    )


def evaluate(predictions: Iterable[Prediction]) -> Evaluation:
    """Log loss and RMSE(bins) of predictions, as the FSRS benchmark computes them.

    RMSE(bins): the reviews are grouped by (elapsed days, review count, lapses), each on a
    logarithmic scale; in each group the mean predicted recall is compared with the share
    recalled; the squared gaps are averaged, weighted by the group's size, and rooted.

    Raises:
        ValueError: no predictions.
    """
    groups: dict[tuple[int, int, int], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    loss = 0.0
    count = 0
    for prediction in predictions:
        chance = min(max(prediction.recall, 1e-9), 1 - 1e-9)
        loss -= math.log(chance if prediction.recalled else 1 - chance)
        group = groups[_bin(prediction)]
        group[0] += prediction.recall
        group[1] += prediction.recalled
        group[2] += 1
        count += 1
    if count == 0:
        raise ValueError("no predictions to evaluate")
    squares = sum((predicted - actual) ** 2 / size for predicted, actual, size in groups.values())
    return Evaluation(loss / count, math.sqrt(squares / count))


# --- the learner's log as FSRS sees it ------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    """A review FSRS predicts: the `position`-th answer of the `card`-th card's history."""

    reviewed_at: datetime
    card: int
    position: int
    outcome: Prediction
    """What happened and where, with no recall predicted yet (`_predicted` fills it in)."""


def _by_card(log: Iterable[LoggedReview]) -> list[list[LoggedReview]]:
    """The log's answers grouped by card, each card's oldest first."""
    cards: dict[int, list[LoggedReview]] = defaultdict(list)
    for review in log:
        cards[review.card_id].append(review)
    return list(cards.values())


def _history(answers: Sequence[LoggedReview]) -> list[tuple[int, int]]:
    """A card's answers as FSRS reads them: (rating, study days since the previous answer)."""
    return [
        (int(r.rating), 0 if n == 0 else max((r.day - answers[n - 1].day).days, 0))
        for n, r in enumerate(answers)
    ]


def _targets(cards: Sequence[Sequence[LoggedReview]]) -> list[_Target]:
    """The reviews given on a later study day than the card's previous one, in time order."""
    targets = []
    for card, answers in enumerate(cards):
        reviews = lapses = 0
        for position, (rating, elapsed) in enumerate(_history(answers)):
            if elapsed == 0:
                continue
            reviews += 1
            outcome = Prediction(math.nan, rating > 1, elapsed, reviews, lapses)
            targets.append(_Target(answers[position].reviewed_at, card, position, outcome))
            lapses += rating == 1
    targets.sort(key=lambda target: (target.reviewed_at, target.card, target.position))
    return targets


def _predicted(target: _Target, stability: float, parameters: Sequence[float]) -> Prediction:
    recall = forgetting_curve(target.outcome.elapsed_days, stability, parameters)
    return replace(target.outcome, recall=recall)


# --- fitting --------------------------------------------------------------------------------


class NotEnoughReviews(Exception):
    """The deck's log is too short to fit parameters to; the message says how short."""


@dataclass(frozen=True)
class Optimization:
    """One run of `optimize_deck`.

    Attributes:
        deck_id: the deck.
        reviews: every answer in the deck's log.
        held_out: the reviews predicted by parameters not fitted to them.
        default: how well FSRS's default parameters predicted them.
        fitted: how well parameters fitted to the reviews before each of them did.
        parameters: the 21 weights fitted to the whole log.
        adopted: they are now the deck's parameters (their log loss was lower).
    """

    deck_id: str
    reviews: int
    held_out: int
    default: Evaluation
    fitted: Evaluation
    parameters: tuple[float, ...]
    adopted: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "deck": self.deck_id,
            "reviews": self.reviews,
            "held_out": self.held_out,
            "default": asdict(self.default),
            "fitted": asdict(self.fitted),
            "adopted": self.adopted,
            "parameters": list(self.parameters),
        }


def optimize_deck(store: Store, deck_id: str) -> Optimization:
    """Fit FSRS-6 parameters to the deck's review log and adopt them if they predict better.

    Example: `result = optimize_deck(store, "aws"); print(result.fitted.log_loss)`.

    Raises:
        CollectionError: no such deck.
        NotEnoughReviews: fewer than `MIN_REVIEWS` reviews FSRS can predict (nothing changed).
    """
    require_deck(store, deck_id)
    log = deck_log(store, deck_id)
    cards = _by_card(log)
    targets = _targets(cards)
    if len(targets) < MIN_REVIEWS:
        raise NotEnoughReviews(
            f"'{deck_id}' has {len(targets)} reviews on a later day than the card's previous "
            f"one; fitting parameters needs at least {MIN_REVIEWS}. Nothing was changed."
        )
    answers = [[fsrs_rs.FSRSReview(*answer) for answer in _history(card)] for card in cards]
    items = [fsrs_rs.FSRSItem(answers[t.card][: t.position + 1]) for t in targets]
    histories = [fsrs_rs.FSRSItem(card) for card in answers]

    def fit(upto: int) -> list[float]:
        """Parameters fitted to the first `upto` targets (fsrs-rs starts from the defaults)."""
        return list(fsrs_rs.FSRS(DEFAULT_PARAMETERS).compute_parameters(items[:upto]))

    def predict(parameters: Sequence[float], chosen: Sequence[_Target]) -> list[Prediction]:
        states = fsrs_rs.FSRS(parameters).historical_memory_state_batch(histories)
        return [_predicted(t, states[t.card][t.position - 1].stability, parameters) for t in chosen]

    size = len(targets) // (_SPLITS + 1)
    held_out = targets[size:]
    fitted: list[Prediction] = []
    for split in range(1, _SPLITS + 1):
        end = len(targets) if split == _SPLITS else (split + 1) * size
        fitted += predict(fit(split * size), targets[split * size : end])
    default = evaluate(predict(DEFAULT_PARAMETERS, held_out))
    evaluation = evaluate(fitted)
    adopted = evaluation.log_loss < default.log_loss
    parameters = tuple(fit(len(targets)))
    with store.write():
        if adopted:
            set_setting(store, deck_id, "parameters", ", ".join(map(str, parameters)))
        store.set_meta(_RUN_KEY + deck_id, str(len(log)))
    return Optimization(deck_id, len(log), len(held_out), default, evaluation, parameters, adopted)


def optimization_suggested(store: Store) -> dict[str, int]:
    """The decks with at least `SUGGEST_AFTER` answers logged since their last optimization
    (or ever, for a deck never optimized), with that number: the dashboard suggests a run."""
    suggested = {}
    for deck_id, count in reviews_per_deck(store).items():
        new = count - int(store.meta(_RUN_KEY + deck_id) or 0)
        if new >= SUGGEST_AFTER:
            suggested[deck_id] = new
    return suggested
