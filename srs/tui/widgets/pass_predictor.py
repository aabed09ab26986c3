"""Predicted chances to pass, computed off the UI thread: a deck of 100,000 cards takes about a
second, which no screen may wait for. Each one computed is kept in the collection, so the next
showing of a page starts from it (`last_known`) instead of "computing…"."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass

from textual import getters, work
from textual.message import Message
from textual.widget import Widget

from srs.collection.chances import last_pass_chance, save_pass_chance
from srs.collection.store import CollectionError, Store
from srs.exam.probability import Prediction
from srs.tui.base import SrsAppBase
from srs.tui.widgets.reading import post_each

__all__ = ["PassPredictor", "last_known"]


class PassPredictor(Widget):
    """Predicts decks' chances to pass in a worker and posts each one as it is ready.

    It shows nothing: a screen that needs predictions (the dashboard, the exam start page) holds
    one, calls `predict`, and handles `PassPredictor.Predicted`. A new request cancels the one
    still running; leaving the screen cancels it too.
    """

    DEFAULT_CSS = "PassPredictor { display: none; }"

    app = getters.app(SrsAppBase)

    @dataclass
    class Predicted(Message):
        """One deck's prediction; None when the deck has no exam, or `error` says why it could
        not be made."""

        deck_id: str
        prediction: Prediction | None
        error: str | None = None

    @work(thread=True, exclusive=True, exit_on_error=False)
    def predict(self, store: Store, deck_ids: list[str]) -> None:
        """Predict each deck in turn (`post_each`)."""
        post_each(
            store,
            deck_ids,
            _predicted,
            lambda deck_id, error: self.Predicted(deck_id, None, error),
            self.post_message,
        )

    def on_pass_predictor_predicted(self, event: Predicted) -> None:
        """Keep each new prediction for the next showing (the event goes on to the screen).

        Written here, on the app's own connection, because the worker's is read-only, with the
        model the worker fitted (for the next process: `save_fitted_model`). A cache that
        cannot be written (a read-only or busy collection) only means "computing…" next time:
        not worth a notification.
        """
        from srs.exam.readiness import save_fitted_model  # the worker imported it already

        store = self.app.store
        if event.prediction is None or store.read_only:
            return
        figures = event.prediction.to_dict()
        # Unchanged (shown again with no answer since): no write, so no fsync on this thread.
        with suppress(CollectionError):
            if last_pass_chance(store, event.deck_id) != figures:
                save_pass_chance(store, event.deck_id, figures)
            save_fitted_model(store, event.deck_id)


def last_known(store: Store, deck_id: str) -> Prediction | None:
    """The deck's prediction as last computed (on any earlier showing or run), or None.

    A quick read, for a screen to show before its worker delivers the current one.
    """
    values = last_pass_chance(store, deck_id)
    if values is None:
        return None
    try:
        return Prediction(**values)  # type: ignore[arg-type]
    except TypeError:  # saved by a version whose Prediction had other fields
        return None


def _predicted(store: Store, deck_id: str) -> PassPredictor.Predicted:
    """The deck's prediction; None when it has no mock exam."""
    from srs.exam.form import exam_spec
    from srs.exam.readiness import deck_readiness

    if exam_spec(store, deck_id) is None:
        return PassPredictor.Predicted(deck_id, None)
    return PassPredictor.Predicted(deck_id, deck_readiness(store, deck_id))
