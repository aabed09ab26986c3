"""Predicted chances to pass, computed off the UI thread: a deck of 100,000 cards takes about a
second, which no screen may wait for."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from textual import work
from textual.message import Message
from textual.widget import Widget
from textual.worker import get_current_worker

from srs.collection.store import CollectionError, Store
from srs.exam.form import exam_spec
from srs.exam.probability import Prediction
from srs.exam.readiness import deck_readiness

__all__ = ["PassPredictor"]


class PassPredictor(Widget):
    """Predicts decks' chances to pass in a worker and posts each one as it is ready.

    It shows nothing: a screen that needs predictions (the dashboard, the exam start page) holds
    one, calls `predict`, and handles `PassPredictor.Predicted`. A new request cancels the one
    still running; leaving the screen cancels it too.
    """

    DEFAULT_CSS = "PassPredictor { display: none; }"

    @dataclass
    class Predicted(Message):
        """One deck's prediction; None when the deck has no exam, or `error` says why it could
        not be made."""

        deck_id: str
        prediction: Prediction | None
        error: str | None = None

    @work(thread=True, exclusive=True, exit_on_error=False)
    def predict(self, store: Store, deck_ids: list[str]) -> None:
        """Predict each deck in turn, on a read-only connection of the worker's own (WAL lets
        it read while the app writes)."""
        try:
            reader = store.reader()
        except CollectionError as exc:
            for deck_id in deck_ids:
                self.post_message(self.Predicted(deck_id, None, str(exc)))
            return
        with reader:
            for deck_id in deck_ids:
                predicted = _predicted(reader, deck_id)
                # A newer request (the page shown again after an exam) must not be overwritten.
                if get_current_worker().is_cancelled:
                    return
                self.post_message(predicted)


def _predicted(store: Store, deck_id: str) -> PassPredictor.Predicted:
    """The deck's prediction, or why there is none (a read the worker cannot make is shown on
    the page, not left as "computing…")."""
    try:
        if exam_spec(store, deck_id) is None:
            return PassPredictor.Predicted(deck_id, None)
        return PassPredictor.Predicted(deck_id, deck_readiness(store, deck_id))
    except (CollectionError, sqlite3.Error) as exc:
        return PassPredictor.Predicted(deck_id, None, str(exc))
