"""Keypress latency in the review screen, through Textual's pilot (run in its own process).

`python -m bench.tui_pilot COLLECTION ITERATIONS` opens the study app headless (100x40)
straight into today's review and, for each card, presses a letter (choose an option) and then
enter (accept the suggested rating). It prints JSON: the milliseconds from each key press to the
screen update that shows its result.

How "shown" is detected: the app's `_display` (called with each screen update the compositor
renders) is wrapped; the headless driver skips turning an update into terminal text, so the
wrapper does that itself (`render_segments`, the work a terminal driver does) and looks for the
result in the text: the verdict ("Correct"/"Incorrect") after a letter, the next card's question
after enter. A widget whose content changed is not yet on screen: Textual may paint it a frame
or two later (after a layout pass, or after the footer rebuilds), and that delay is what a
learner waits for. Only the write to the terminal is left out (`bench.tui_pty` includes it).
"""

from __future__ import annotations

import asyncio
import gc
import json
import random
import re
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from textual import events
from textual._compositor import CompositorUpdate

from srs.collection.store import Store
from srs.textsafe import displayable
from srs.tui.app import SrsApp
from srs.tui.screens.review import ReviewScreen

__all__ = ["measure"]

SIZE = (100, 40)


_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\\\)")


async def measure(path: Path, iterations: int) -> dict[str, Any]:
    """Answer `iterations` cards; returns the latencies in ms and what was shown."""
    store = Store.open(path)
    app = SrsApp(store, review=None)
    choose_ms: list[float] = []
    rate_ms: list[float] = []
    waiting: list[tuple[Callable[[str, ReviewScreen], bool], asyncio.Future[float]]] = []
    original = app._display

    def display(screen: Any, renderable: Any) -> None:
        original(screen, renderable)
        if not isinstance(renderable, CompositorUpdate):
            return
        text = renderable.render_segments(app.console)
        if waiting and isinstance(screen, ReviewScreen):
            done, future = waiting[0]
            if done(_ESCAPES.sub("", text), screen) and not future.done():
                future.set_result(time.perf_counter())
                waiting.clear()

    app._display = display  # type: ignore[method-assign]
    rng = random.Random(7)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen), screen
        loop = asyncio.get_running_loop()

        async def press(key: str, done: Callable[[str, ReviewScreen], bool]) -> float:
            future: asyncio.Future[float] = loop.create_future()
            waiting.append((done, future))
            started = time.perf_counter()
            char = key if len(key) == 1 else ("\r" if key == "enter" else None)
            app.post_message(events.Key(key, char))
            shown = await asyncio.wait_for(future, 10)
            return (shown - started) * 1000

        for _ in range(iterations):
            card = screen.card
            assert card is not None, "the queue ran out: use fewer iterations"
            letter = "abcd"[rng.randrange(len(screen.options))] if screen.options else "space"
            choose_ms.append(await press(letter, lambda text, _: "orrect" in text))
            await _settle(pilot)
            rate_ms.append(await press("enter", partial(_shows_next, card.id)))
            await _settle(pilot)
        counts = screen.session.counts()
    store.close()
    return {
        "choose_ms": choose_ms,
        "rate_ms": rate_ms,
        "left": [counts.new, counts.learning, counts.review],
    }


async def _settle(pilot: Any) -> None:
    """A learner's pause between keys: every update of the last one is drawn."""
    await pilot.pause()
    await asyncio.sleep(0.02)


def _shows_next(answered: int, text: str, screen: ReviewScreen) -> bool:
    """The update paints the question of the card after `answered` (its first 40 characters:
    one line's worth)."""
    card = screen.card
    return (
        card is not None and card.id != answered and displayable(card.content.question)[:40] in text
    )


def main(argv: list[str]) -> None:
    gc.collect()
    result = asyncio.run(measure(Path(argv[0]), int(argv[1])))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
